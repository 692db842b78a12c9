// The figures of `cs-helper metrics`, read from the state database: plan generation (cached and not), cache hit
// rates, run success, estimate error and usage per component. Read-only: nothing is written.
import { Counter } from './counters.js';
import type { StateDatabase } from './state-database.js';

export interface TimingSummary {
  readonly count: number;
  readonly mean_ms: number | null;
  readonly median_ms: number | null;
}

export interface HitRate {
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses); null before the first lookup. */
  readonly hit_rate: number | null;
}

export interface ComponentEstimate {
  readonly component: string;
  /** Completed steps that ran (not served from the cache). */
  readonly steps: number;
  /** Mean of actual / estimate; null when no step had an estimate above zero. */
  readonly mean_ratio: number | null;
  readonly mean_absolute_error_ms: number;
  /** Input rows per second over those steps. */
  readonly rows_per_second: number | null;
}

export interface ComponentUsage {
  readonly component: string;
  readonly steps: number;
  readonly completed: number;
  readonly from_cache: number;
  readonly failed: number;
  readonly skipped: number;
  /** Stopped by a cancellation (Ctrl-C, a failing sibling, a cancelled job): completed + failed + skipped + cancelled = steps. */
  readonly cancelled: number;
}

export interface Metrics {
  readonly state_dir: string;
  /**
   * `all` = `cached` + `uncached`. `without_lookup` are the uncached plans that never consulted the pattern cache
   * (--no-cache, or a plan of several datasets): the cache's hits and misses count lookups, so they add up to `all`
   * minus these (less any plan that failed after its lookup, and the events beyond the kept history).
   */
  readonly plan_generation: { readonly all: TimingSummary; readonly cached: TimingSummary; readonly uncached: TimingSummary; readonly without_lookup: TimingSummary };
  readonly pattern_cache: HitRate & { readonly entries: number };
  readonly result_cache: HitRate & { readonly entries: number; readonly bytes: number };
  readonly runs: { readonly total: number; readonly completed: number; readonly failed: number; readonly cancelled: number; readonly success_rate: number | null };
  /** Largest mean absolute error first. */
  readonly estimates: readonly ComponentEstimate[];
  /** Most used first. */
  readonly component_usage: readonly ComponentUsage[];
}

export function readMetrics(state: StateDatabase): Metrics {
  const db = state.db;
  const counters = new Map((db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[]).map((r) => [r.name, r.value]));
  // cache_lookup is null for plans recorded before it was: they are taken to have looked, as most plans do.
  const plans = db.prepare('SELECT from_cache, cache_lookup, generation_ms FROM plan_events').all() as { from_cache: number; cache_lookup: number | null; generation_ms: number }[];
  const runs = db.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status').all() as { status: string; n: number }[];
  const runCount = (status: string): number => runs.find((r) => r.status === status)?.n ?? 0;
  const total = runs.reduce((sum, r) => sum + r.n, 0);
  const patterns = db.prepare('SELECT count(*) AS n FROM patterns').get() as { n: number };
  const results = db.prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM results').get() as { n: number; bytes: number };
  const estimates = db
    .prepare(
      `SELECT component, count(*) AS steps,
              avg(CASE WHEN estimated_ms > 0 THEN duration_ms / estimated_ms END) AS mean_ratio,
              avg(abs(duration_ms - estimated_ms)) AS mae,
              CASE WHEN sum(duration_ms) > 0 THEN sum(input_rows) * 1000.0 / sum(duration_ms) END AS rows_per_second
       FROM step_runs WHERE status = 'completed' AND cached = 0 GROUP BY component`,
    )
    .all() as { component: string; steps: number; mean_ratio: number | null; mae: number; rows_per_second: number | null }[];
  const usage = db
    .prepare(
      `SELECT component, count(*) AS steps,
              sum(status = 'completed') AS completed, sum(cached) AS from_cache, sum(status = 'failed') AS failed, sum(status = 'skipped') AS skipped,
              sum(status = 'cancelled') AS cancelled
       FROM step_runs GROUP BY component`,
    )
    .all() as { component: string; steps: number; completed: number; from_cache: number; failed: number; skipped: number; cancelled: number }[];

  return {
    state_dir: state.home,
    plan_generation: {
      all: timing(plans.map((p) => p.generation_ms)),
      cached: timing(plans.filter((p) => p.from_cache === 1).map((p) => p.generation_ms)),
      uncached: timing(plans.filter((p) => p.from_cache === 0).map((p) => p.generation_ms)),
      without_lookup: timing(plans.filter((p) => p.cache_lookup === 0).map((p) => p.generation_ms)),
    },
    pattern_cache: { ...hitRate(counters.get(Counter.patternHit) ?? 0, counters.get(Counter.patternMiss) ?? 0), entries: patterns.n },
    result_cache: { ...hitRate(counters.get(Counter.resultHit) ?? 0, counters.get(Counter.resultMiss) ?? 0), entries: results.n, bytes: results.bytes },
    runs: { total, completed: runCount('completed'), failed: runCount('failed'), cancelled: runCount('cancelled'), success_rate: total === 0 ? null : round(runCount('completed') / total, 4) },
    estimates: estimates
      .map((e) => ({ component: e.component, steps: e.steps, mean_ratio: e.mean_ratio === null ? null : round(e.mean_ratio, 3), mean_absolute_error_ms: round(e.mae, 2), rows_per_second: e.rows_per_second === null ? null : Math.round(e.rows_per_second) }))
      .sort((a, b) => b.mean_absolute_error_ms - a.mean_absolute_error_ms || a.component.localeCompare(b.component)),
    component_usage: usage.sort((a, b) => b.steps - a.steps || a.component.localeCompare(b.component)),
  };
}

/** The figures of an empty state folder (no database yet): nothing planned or run. */
export function emptyMetrics(stateDir: string): Metrics {
  const none: TimingSummary = { count: 0, mean_ms: null, median_ms: null };
  return {
    state_dir: stateDir,
    plan_generation: { all: none, cached: none, uncached: none, without_lookup: none },
    pattern_cache: { hits: 0, misses: 0, hit_rate: null, entries: 0 },
    result_cache: { hits: 0, misses: 0, hit_rate: null, entries: 0, bytes: 0 },
    runs: { total: 0, completed: 0, failed: 0, cancelled: 0, success_rate: null },
    estimates: [],
    component_usage: [],
  };
}

function timing(values: readonly number[]): TimingSummary {
  if (values.length === 0) return { count: 0, mean_ms: null, median_ms: null };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { count: values.length, mean_ms: round(values.reduce((a, b) => a + b, 0) / values.length, 4), median_ms: round(median, 4) };
}

function hitRate(hits: number, misses: number): HitRate {
  return { hits, misses, hit_rate: hits + misses === 0 ? null : round(hits / (hits + misses), 4) };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
