// `cs-helper metrics` figures from known records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Counter, Counters } from '../../src/state/counters.js';
import { readMetrics } from '../../src/state/read-metrics.js';
import { RunRecords, type StepSample } from '../../src/state/run-records.js';
import { StateDatabase } from '../../src/state/state-database.js';

function step(component: string, durationMs: number, estimatedMs: number, overrides: Partial<StepSample> = {}): StepSample {
  return { node: component, component, componentVersion: '1', status: 'completed', cached: false, clean: true, inputRows: 1000, inputBytes: 100_000, inputColumns: 5, rowsIn: 1000, rowsOut: 1000, estimatedMs, baseEstimateMs: estimatedMs, durationMs, ...overrides };
}

describe('readMetrics', () => {
  let dir: string;
  let state: StateDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-metrics-'));
    state = StateDatabase.open({ home: dir });
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('computes generation times, hit rates, success rate, estimate error and usage', () => {
    const records = new RunRecords(state);
    const counters = new Counters(state);
    // The 20 ms plan made no lookup (--no-cache): it is neither a hit nor a miss.
    for (const [fromCache, cacheLookup, ms] of [[false, true, 4], [false, true, 6], [false, false, 20], [true, true, 0.5], [true, true, 1.5]] as const) records.planGenerated({ planId: 'p', fingerprint: 'f', fromCache, cacheLookup, generationMs: ms });
    counters.add(Counter.patternHit, 2);
    counters.add(Counter.patternMiss, 2);
    counters.add(Counter.resultHit, 1);
    counters.add(Counter.resultMiss, 3);
    counters.flush();
    const run = (id: string, status: string, steps: StepSample[]): void => {
      records.runFinished({ runId: id, planId: 'p', fingerprint: 'f', planFromCache: false, startedAt: '2026-01-01T00:00:00Z', status, durationMs: 10, estimatedMs: 10, steps: steps.length, cachedSteps: steps.filter((s) => s.cached).length }, steps);
    };
    run('r1', 'completed', [step('import.csv', 150, 100), step('analysis.patterns', 50, 100)]);
    run('r2', 'completed', [step('import.csv', 250, 100), step('analysis.patterns', 1, 100, { cached: true })]);
    run('r3', 'failed', [step('import.csv', 10, 100, { status: 'failed' }), step('export.csv', 0, 5, { status: 'skipped' })]);
    run('r4', 'cancelled', [step('import.csv', 120, 100), step('export.csv', 3, 5, { status: 'cancelled' })]);

    const metrics = readMetrics(state);
    expect(metrics.plan_generation.all).toEqual({ count: 5, mean_ms: 6.4, median_ms: 4 });
    expect(metrics.plan_generation.uncached).toEqual({ count: 3, mean_ms: 10, median_ms: 6 });
    expect(metrics.plan_generation.cached).toEqual({ count: 2, mean_ms: 1, median_ms: 1 });
    expect(metrics.plan_generation.without_lookup).toEqual({ count: 1, mean_ms: 20, median_ms: 20 });
    expect(metrics.pattern_cache).toEqual({ hits: 2, misses: 2, hit_rate: 0.5, entries: 0 });
    expect(metrics.result_cache).toEqual(expect.objectContaining({ hits: 1, misses: 3, hit_rate: 0.25 }));
    expect(metrics.runs).toEqual({ total: 4, completed: 2, failed: 1, cancelled: 1, success_rate: 0.5 });
    // Completed steps that really ran: import 150/100, 250/100 and 120/100; patterns 50/100 (the cached one is left out).
    expect(metrics.estimates).toEqual([
      { component: 'import.csv', steps: 3, mean_ratio: 1.733, mean_absolute_error_ms: 73.33, rows_per_second: 5769 },
      { component: 'analysis.patterns', steps: 1, mean_ratio: 0.5, mean_absolute_error_ms: 50, rows_per_second: 20000 },
    ]);
    expect(metrics.component_usage).toEqual([
      { component: 'import.csv', steps: 4, completed: 3, from_cache: 0, failed: 1, skipped: 0, cancelled: 0 },
      { component: 'analysis.patterns', steps: 2, completed: 2, from_cache: 1, failed: 0, skipped: 0, cancelled: 0 },
      { component: 'export.csv', steps: 2, completed: 0, from_cache: 0, failed: 0, skipped: 1, cancelled: 1 },
    ]);
    // Every step is counted once: completed, failed, skipped or cancelled (from cache is a part of completed).
    for (const u of metrics.component_usage) expect(u.completed + u.failed + u.skipped + u.cancelled).toBe(u.steps);
  });
});
