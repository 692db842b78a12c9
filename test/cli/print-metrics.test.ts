// `cs-helper metrics` as printed: the usage table adds up (a cancelled column), and the plans made without a pattern
// cache lookup are set apart from the cache's hits and misses.
import { describe, expect, it } from 'vitest';
import { printMetrics } from '../../src/cli/commands/metrics.js';
import type { Printer } from '../../src/cli/output-stream.js';
import { emptyMetrics, type Metrics } from '../../src/state/read-metrics.js';

function printed(metrics: Metrics): string[] {
  const lines: string[] = [];
  const out: Printer = { text: (line = '') => lines.push(...line.split('\n')), note: () => undefined, json: () => undefined };
  printMetrics(metrics, out);
  return lines;
}

describe('printMetrics', () => {
  const empty = emptyMetrics('/tmp/state');
  const metrics: Metrics = {
    ...empty,
    plan_generation: {
      all: { count: 23, mean_ms: 10, median_ms: 8 },
      cached: { count: 5, mean_ms: 2, median_ms: 2 },
      uncached: { count: 18, mean_ms: 12, median_ms: 10 },
      without_lookup: { count: 1, mean_ms: 30, median_ms: 30 },
    },
    pattern_cache: { hits: 5, misses: 17, hit_rate: 0.2273, entries: 4 },
    runs: { total: 9, completed: 8, failed: 0, cancelled: 1, success_rate: 0.8889 },
    component_usage: [{ component: 'export.report', steps: 9, completed: 8, from_cache: 0, failed: 0, skipped: 0, cancelled: 1 }],
  };

  it('has a cancelled column in the usage table', () => {
    const lines = printed(metrics);
    const head = lines.find((l) => l.includes('component') && l.includes('from cache')) ?? '';
    expect(head.split(/\s{2,}|│/).map((c) => c.trim()).filter((c) => c !== '')).toEqual(['component', 'steps', 'completed', 'from cache', 'failed', 'skipped', 'cancelled']);
    const row = lines.find((l) => l.includes('export.report')) ?? '';
    expect(row.split(/\s{2,}|│/).map((c) => c.trim()).filter((c) => c !== '')).toEqual(['export.report', '9', '8', '0', '0', '0', '1']);
  });

  it('sets the plans made without a cache lookup apart, so hits and misses add up', () => {
    const lines = printed(metrics);
    expect(lines).toContain('    without a cache lookup (--no-cache, several datasets): 1 plan, mean 30 ms, median 30 ms');
    expect(lines).toContain('Pattern cache: 22.7% hit rate (5 hits, 17 misses); 4 patterns stored');
    expect(printed({ ...metrics, plan_generation: { ...metrics.plan_generation, without_lookup: empty.plan_generation.without_lookup } }).some((l) => l.includes('without a cache lookup'))).toBe(false);
  });
});
