import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSession } from '../../src/session/compile-session.js';
import type { CompiledSession } from '../../src/session/compiled-session.js';
import { readSessionEvents } from '../../src/session/session-files.js';
import { sessionStats } from '../../src/session/session-stats.js';
import { COMPLETED, CRASHED, LEGACY, SESSION_FIXTURES } from '../helpers/session-fixtures.js';

async function documentOf(file: string): Promise<CompiledSession> {
  const { events } = await readSessionEvents(join(SESSION_FIXTURES, file));
  return compileSession(events, { interrupted: true });
}

/** A copy of a document with other planning rows: only the fields the statistics read. */
function withPlans(document: CompiledSession, plans: { generation_ms: number; from_cache?: boolean }[]): CompiledSession {
  return {
    ...document,
    performance_metrics: {
      ...document.performance_metrics,
      plan_generation_ms: plans.map((p) => p.generation_ms),
      cache_hits: plans.filter((p) => p.from_cache === true).length,
      cache_misses: plans.filter((p) => p.from_cache === false).length,
      pattern_cache_hits: plans.filter((p) => p.from_cache === true).length,
      pattern_cache_misses: plans.filter((p) => p.from_cache === false).length,
      result_cache_hits: 0,
      result_cache_misses: 0,
    },
  };
}

describe('sessionStats', () => {
  it('adds up the fixture sessions: statuses, runs, errors, components, estimates, planning and cache', async () => {
    const stats = sessionStats([await documentOf(COMPLETED.file), await documentOf(CRASHED.file), await documentOf(LEGACY.file)]);
    expect(stats.sessions).toBe(3);
    expect(stats.statuses).toEqual({ completed: 1, failed: 1, cancelled: 0, interrupted: 1, running: 0 });
    // The crashed session started a run that never ended: 1 of 2 runs completed.
    expect(stats.runs).toEqual({ started: 2, completed: 1, failed: 0, cancelled: 0 });
    expect(stats.success_rate).toBe(0.5);
    expect(stats.errors).toEqual({
      total: 2,
      by_type: [
        { type: 'command-failed', code: 'no-such-component', count: 1 },
        { type: 'feed-unreadable', code: 'input-file-not-found', count: 1 },
      ],
    });
    expect(stats.slowest_components).toEqual([
      { tool: 'import.csv', calls: 2, mean_ms: 1340, max_ms: 2500 },
      { tool: 'export.csv', calls: 1, mean_ms: 40, max_ms: 40 },
      { tool: 'processing.enrich', calls: 1, mean_ms: 30, max_ms: 30 },
    ]);
    // import.csv: 180 vs 100 and 2500 vs 100 -> ratios 1.8 and 25, errors 80 and 2400 ms.
    expect(stats.estimated_vs_actual).toEqual([
      { component: 'import.csv', steps: 2, mean_ratio: 13.4, mean_absolute_error_ms: 1240 },
      { component: 'export.csv', steps: 1, mean_ratio: 2, mean_absolute_error_ms: 20 },
      { component: 'processing.enrich', steps: 1, mean_ratio: 0.6, mean_absolute_error_ms: 20 },
    ]);
    expect(stats.plan_generation).toEqual({ count: 2, mean_ms: 54, median_ms: 54 });
    expect(stats.cache).toEqual({ hits: 1, misses: 1, hit_rate: 0.5 });
    expect(stats.pattern_cache).toEqual({ hits: 1, misses: 1, hit_rate: 0.5 });
    expect(stats.result_cache).toEqual({ hits: 0, misses: 0, hit_rate: null });
  });

  it('counts the pattern and the result cache apart, and both together under `cache`', async () => {
    const base = await documentOf(LEGACY.file);
    const withCaches = (pattern: [number, number], result: [number, number]): CompiledSession => ({
      ...base,
      performance_metrics: {
        ...base.performance_metrics,
        cache_hits: pattern[0] + result[0],
        cache_misses: pattern[1] + result[1],
        pattern_cache_hits: pattern[0],
        pattern_cache_misses: pattern[1],
        result_cache_hits: result[0],
        result_cache_misses: result[1],
      },
    });
    // A first run (a plan and five steps looked up, all missed), then a rerun served by both caches.
    const stats = sessionStats([withCaches([0, 1], [0, 5]), withCaches([1, 0], [5, 0])]);
    expect(stats.cache).toEqual({ hits: 6, misses: 6, hit_rate: 0.5 });
    expect(stats.pattern_cache).toEqual({ hits: 1, misses: 1, hit_rate: 0.5 });
    expect(stats.result_cache).toEqual({ hits: 5, misses: 5, hit_rate: 0.5 });
  });

  it('counts errors of the same type with different codes apart', async () => {
    const base = await documentOf(LEGACY.file);
    const error = base.errors[0];
    if (error === undefined) throw new Error('fixture changed: the legacy session has an error');
    const document = { ...base, errors: [error, { ...error, code: null }, { ...error, code: null }] };
    expect(sessionStats([document]).errors.by_type).toEqual([
      { type: 'command-failed', code: null, count: 2 },
      { type: 'command-failed', code: 'no-such-component', count: 1 },
    ]);
  });

  it('takes the median of an odd and an even number of plans, and knows no cache rate without cache data', async () => {
    const document = await documentOf(LEGACY.file);
    expect(sessionStats([withPlans(document, [{ generation_ms: 30 }, { generation_ms: 10 }, { generation_ms: 200 }])]).plan_generation).toEqual({ count: 3, mean_ms: 80, median_ms: 30 });
    expect(sessionStats([withPlans(document, [{ generation_ms: 10, from_cache: true }, { generation_ms: 40, from_cache: true }, { generation_ms: 20, from_cache: false }, { generation_ms: 30 }])])).toMatchObject({
      plan_generation: { count: 4, mean_ms: 25, median_ms: 25 },
      cache: { hits: 2, misses: 1, hit_rate: 0.6667 },
    });
    expect(sessionStats([withPlans(document, [{ generation_ms: 5 }])]).cache).toEqual({ hits: 0, misses: 0, hit_rate: null });
  });

  it('leaves a ratio out for a zero estimate but still measures the error', async () => {
    const document = await documentOf(COMPLETED.file);
    const rows = document.workflow_executions.map((row) => (row.step_name === 'export-enriched_data' && row.status === 'completed' ? { ...row, metadata: { ...row.metadata, estimated_ms: 0 } } : row));
    const accuracy = sessionStats([{ ...document, workflow_executions: rows }]).estimated_vs_actual.find((e) => e.component === 'export.csv');
    expect(accuracy).toEqual({ component: 'export.csv', steps: 1, mean_ratio: null, mean_absolute_error_ms: 40 });
  });

  it('gives nulls, not zeros or NaN, for what no session measured', () => {
    expect(sessionStats([])).toEqual({
      sessions: 0,
      statuses: { completed: 0, failed: 0, cancelled: 0, interrupted: 0, running: 0 },
      runs: { started: 0, completed: 0, failed: 0, cancelled: 0 },
      success_rate: null,
      errors: { total: 0, by_type: [] },
      slowest_components: [],
      estimated_vs_actual: [],
      plan_generation: { count: 0, mean_ms: null, median_ms: null },
      cache: { hits: 0, misses: 0, hit_rate: null },
      pattern_cache: { hits: 0, misses: 0, hit_rate: null },
      result_cache: { hits: 0, misses: 0, hit_rate: null },
    });
  });
});
