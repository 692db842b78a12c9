// Learned estimates: measured times replace a component's own estimate once there are enough clean samples.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LearnedEstimates } from '../../src/engine/learned-estimates.js';
import type { StepSample } from '../../src/state/run-records.js';
import { StateDatabase } from '../../src/state/state-database.js';

const SIZE = { rows: 10_000, bytes: 2_000_000, columns: 16 };

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
    expect(estimates.estimateFor('analysis.patterns', SIZE, 100)).toBe(100);
    record(estimates, [sample(280)]);
    // Median of 3.0, 3.2 and 2.8 times the component's own figure.
    expect(estimates.estimateFor('analysis.patterns', SIZE, 100)).toBeCloseTo(300);
    // Scaled to what the component says for another size.
    expect(estimates.estimateFor('analysis.patterns', { rows: 1_000_000, bytes: 200_000_000, columns: 16 }, 5_000)).toBeCloseTo(15_000);
    expect(estimates.estimateFor('import.csv', SIZE, 40)).toBe(40);
  });

  it('learns only from clean, real measurements: no retries, loops, fallbacks, failures or cache hits', () => {
    const estimates = new LearnedEstimates(state);
    record(estimates, [sample(900, { clean: false }), sample(900, { cached: true }), sample(900, { status: 'failed' })]);
    record(estimates, [sample(900, { clean: false }), sample(900, { cached: true }), sample(900, { status: 'failed' })]);
    record(estimates, [sample(900, { clean: false })]);
    expect(estimates.sampleCount('analysis.patterns')).toBe(0);
    expect(estimates.estimateFor('analysis.patterns', SIZE, 100)).toBe(100);
  });

  it('prefers samples measured at the nearest input sizes', () => {
    const estimates = new LearnedEstimates(state);
    // Small inputs run 4x over the estimate (start-up costs), big ones at it.
    for (const d of [400, 410, 390]) record(estimates, [sample(d, { inputRows: 100, inputBytes: 20_000 })]);
    for (const d of [100, 105, 95]) record(estimates, [sample(d, { inputRows: 1_000_000, inputBytes: 200_000_000 })]);
    const nearest = new LearnedEstimates(state, undefined, { neighbours: 3 });
    expect(nearest.estimateFor('analysis.patterns', { rows: 120, bytes: 25_000, columns: 16 }, 10)).toBeCloseTo(40);
    expect(nearest.estimateFor('analysis.patterns', { rows: 900_000, bytes: 180_000_000, columns: 16 }, 1000)).toBeCloseTo(1000);
  });

  it('is read back from the database by a new process', () => {
    const first = new LearnedEstimates(state);
    for (const d of [200, 200, 200]) record(first, [sample(d)]);
    expect(new LearnedEstimates(state).estimateFor('analysis.patterns', SIZE, 100)).toBeCloseTo(200);
  });

  it('bounds a wild ratio: one machine hiccup does not make estimates absurd', () => {
    const estimates = new LearnedEstimates(state, undefined, { minSamples: 1 });
    record(estimates, [sample(1_000_000)]);
    expect(estimates.estimateFor('analysis.patterns', SIZE, 100)).toBe(2_000);
  });
});
