// Learned estimates: measured times replace a component's own estimate once there are enough clean samples.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputSize } from '../../src/components/component.js';
import { LearnedEstimates } from '../../src/engine/learned-estimates.js';
import type { StepSample } from '../../src/state/run-records.js';
import { StateDatabase } from '../../src/state/state-database.js';

const SIZE = { rows: 10_000, bytes: 2_000_000, columns: 16 };
/** A component's own estimate: 100 ms at SIZE, proportional to the rows. */
const own = ({ rows }: InputSize): number => rows / 100;

function sample(durationMs: number, overrides: Partial<StepSample> = {}): StepSample {
  return { node: 'patterns', component: 'analysis.patterns', componentVersion: '1', status: 'completed', cached: false, clean: true, inputRows: SIZE.rows, inputBytes: SIZE.bytes, inputColumns: 16, rowsIn: SIZE.rows, rowsOut: 10, estimatedMs: 100, baseEstimateMs: 100, durationMs, ...overrides };
}

describe('learned estimates', () => {
  let dir: string;
  let state: StateDatabase;
  let runs = 0;
  const record = (estimates: LearnedEstimates, steps: readonly StepSample[]): void => {
    runs += 1;
    estimates.recordRun({ runId: `run-${runs}`, planId: 'p', fingerprint: 'f', planFromCache: false, startedAt: new Date().toISOString(), status: 'completed', durationMs: 1, estimatedMs: 1, steps: steps.length, cachedSteps: 0 }, steps);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-estimates-'));
    state = StateDatabase.open({ home: dir });
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("uses the component's own estimate until it has three clean samples, then the measured ratio", () => {
    const estimates = new LearnedEstimates(state);
    record(estimates, [sample(300)]);
    record(estimates, [sample(320)]);
    expect(estimates.estimateFor('analysis.patterns', SIZE, own)).toBe(100);
    record(estimates, [sample(280)]);
    // Median of 3.0, 3.2 and 2.8 times the component's own figure.
    expect(estimates.estimateFor('analysis.patterns', SIZE, own)).toBeCloseTo(300);
    // Scaled to what the component says for another size.
    expect(estimates.estimateFor('analysis.patterns', { rows: 1_000_000, bytes: 200_000_000, columns: 16 }, own)).toBeCloseTo(30_000);
    expect(estimates.estimateFor('import.csv', SIZE, () => 40)).toBe(40);
  });

  it('learns only from clean, real measurements: no retries, loops, fallbacks, failures or cache hits', () => {
    const estimates = new LearnedEstimates(state);
    record(estimates, [sample(900, { clean: false }), sample(900, { cached: true }), sample(900, { status: 'failed' })]);
    record(estimates, [sample(900, { clean: false }), sample(900, { cached: true }), sample(900, { status: 'failed' })]);
    record(estimates, [sample(900, { clean: false })]);
    expect(estimates.sampleCount('analysis.patterns')).toBe(0);
    expect(estimates.estimateFor('analysis.patterns', SIZE, own)).toBe(100);
  });

  it('prefers samples measured at the nearest input sizes', () => {
    const estimates = new LearnedEstimates(state);
    // Small inputs run 4x over the estimate (start-up costs), big ones at it.
    for (const d of [4, 4.1, 3.9]) record(estimates, [sample(d, { inputRows: 100, inputBytes: 20_000 })]);
    for (const d of [10_000, 10_500, 9_500]) record(estimates, [sample(d, { inputRows: 1_000_000, inputBytes: 200_000_000 })]);
    const nearest = new LearnedEstimates(state, undefined, { neighbours: 3 });
    expect(nearest.estimateFor('analysis.patterns', { rows: 120, bytes: 25_000, columns: 16 }, own)).toBeCloseTo(4.8);
    expect(nearest.estimateFor('analysis.patterns', { rows: 900_000, bytes: 180_000_000, columns: 16 }, own)).toBeCloseTo(9_000);
  });

  it('is read back from the database by a new process', () => {
    const first = new LearnedEstimates(state);
    for (const d of [200, 200, 200]) record(first, [sample(d)]);
    expect(new LearnedEstimates(state).estimateFor('analysis.patterns', SIZE, own)).toBeCloseTo(200);
  });

  it('bounds a wild ratio: one machine hiccup does not make estimates absurd', () => {
    const estimates = new LearnedEstimates(state, undefined, { minSamples: 1 });
    record(estimates, [sample(1_000_000)]);
    expect(estimates.estimateFor('analysis.patterns', SIZE, own)).toBe(2_000);
  });

  it("compares past runs with the component's current estimate, so a refitted estimate is not scaled by the old one's error", () => {
    // Three runs of ~700 ms when the component's estimate said 99 ms (7x over); its estimate is then refitted to 850 ms.
    const estimates = new LearnedEstimates(state);
    for (const d of [690, 700, 710]) record(estimates, [sample(d, { baseEstimateMs: 99, estimatedMs: 99 })]);
    // The measured time, not 850 ms times the old 7x (5.9 s).
    expect(estimates.estimateFor('analysis.patterns', SIZE, () => 850)).toBeCloseTo(700);
    expect(new LearnedEstimates(state).estimateFor('analysis.patterns', SIZE, () => 850)).toBeCloseTo(700);
  });
});
