// Statistics across sessions, from their compiled documents: the guide's performance metrics (success rate, generation
// time, actual vs estimated time, cache hit rates of the pattern and result caches) plus where errors and time go.
// Pure: documents in, numbers out.
import type { CompiledSession, CompiledSessionStatus, RunCounts } from './compiled-session.js';

export interface ErrorFrequency {
  readonly type: string;
  readonly code: string | null;
  readonly count: number;
}

export interface ComponentTiming {
  readonly tool: string;
  readonly calls: number;
  readonly mean_ms: number;
  readonly max_ms: number;
}

export interface EstimateAccuracy {
  readonly component: string;
  readonly steps: number;
  /** Mean of actual / estimate over steps with a non-zero estimate; null when there are none. */
  readonly mean_ratio: number | null;
  readonly mean_absolute_error_ms: number;
}

export interface SessionStats {
  readonly sessions: number;
  readonly statuses: Readonly<Record<CompiledSessionStatus, number>>;
  readonly runs: RunCounts;
  /** Runs completed / runs started; null when no run started. */
  readonly success_rate: number | null;
  readonly errors: { readonly total: number; readonly by_type: readonly ErrorFrequency[] };
  /** Slowest first, by mean time per call. */
  readonly slowest_components: readonly ComponentTiming[];
  /** Largest mean absolute error first. */
  readonly estimated_vs_actual: readonly EstimateAccuracy[];
  readonly plan_generation: { readonly count: number; readonly mean_ms: number | null; readonly median_ms: number | null };
  /** Lookups of both caches together: the pattern cache (plans) and the result cache (steps). */
  readonly cache: HitRate;
  readonly pattern_cache: HitRate;
  readonly result_cache: HitRate;
}

export interface HitRate {
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses); null when there was no lookup. */
  readonly hit_rate: number | null;
}

const STEP_EXCLUDED = new Set(['workflow', 'plan']);

export function sessionStats(documents: readonly CompiledSession[]): SessionStats {
  const statuses: Record<CompiledSessionStatus, number> = { completed: 0, failed: 0, cancelled: 0, interrupted: 0, running: 0 };
  const runs = { started: 0, completed: 0, failed: 0, cancelled: 0 };
  const errors = new Map<string, { type: string; code: string | null; count: number }>();
  const tools = new Map<string, number[]>();
  const estimates = new Map<string, { actual: number; estimate: number }[]>();
  const generation: number[] = [];
  const pattern = { hits: 0, misses: 0 };
  const result = { hits: 0, misses: 0 };
  let errorTotal = 0;

  for (const document of documents) {
    const metrics = document.performance_metrics;
    statuses[document.session_metadata.status] += 1;
    runs.started += metrics.runs.started;
    runs.completed += metrics.runs.completed;
    runs.failed += metrics.runs.failed;
    runs.cancelled += metrics.runs.cancelled;
    generation.push(...metrics.plan_generation_ms);
    pattern.hits += metrics.pattern_cache_hits;
    pattern.misses += metrics.pattern_cache_misses;
    result.hits += metrics.result_cache_hits;
    result.misses += metrics.result_cache_misses;
    for (const error of document.errors) {
      errorTotal += 1;
      const key = JSON.stringify([error.type, error.code]);
      const entry = errors.get(key) ?? { type: error.type, code: error.code, count: 0 };
      entry.count += 1;
      errors.set(key, entry);
    }
    for (const call of document.tool_calls) push(tools, call.tool, call.duration_ms);
    for (const row of document.workflow_executions) {
      if (row.status !== 'completed' || STEP_EXCLUDED.has(row.step_name)) continue;
      const actual = row.metadata['duration_ms'];
      const estimate = row.metadata['estimated_ms'];
      if (!isNumber(actual) || !isNumber(estimate)) continue;
      const component = row.metadata['component'];
      push(estimates, typeof component === 'string' ? component : row.step_name, { actual, estimate });
    }
  }

  return {
    sessions: documents.length,
    statuses,
    runs,
    success_rate: runs.started === 0 ? null : round(runs.completed / runs.started, 4),
    errors: { total: errorTotal, by_type: [...errors.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)) },
    slowest_components: [...tools.entries()]
      .map(([tool, times]) => ({ tool, calls: times.length, mean_ms: round(mean(times), 2), max_ms: times.reduce((max, t) => Math.max(max, t), 0) }))
      .sort((a, b) => b.mean_ms - a.mean_ms || a.tool.localeCompare(b.tool)),
    estimated_vs_actual: [...estimates.entries()]
      .map(([component, pairs]) => {
        const ratios = pairs.filter((p) => p.estimate > 0).map((p) => p.actual / p.estimate);
        return {
          component,
          steps: pairs.length,
          mean_ratio: ratios.length === 0 ? null : round(mean(ratios), 3),
          mean_absolute_error_ms: round(mean(pairs.map((p) => Math.abs(p.actual - p.estimate))), 2),
        };
      })
      .sort((a, b) => b.mean_absolute_error_ms - a.mean_absolute_error_ms || a.component.localeCompare(b.component)),
    plan_generation: { count: generation.length, mean_ms: generation.length === 0 ? null : round(mean(generation), 2), median_ms: median(generation) },
    cache: hitRate(pattern.hits + result.hits, pattern.misses + result.misses),
    pattern_cache: hitRate(pattern.hits, pattern.misses),
    result_cache: hitRate(result.hits, result.misses),
  };
}

function hitRate(hits: number, misses: number): HitRate {
  return { hits, misses, hit_rate: hits + misses === 0 ? null : round(hits / (hits + misses), 4) };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return round(value, 2);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
