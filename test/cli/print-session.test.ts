// `cs-helper sessions stats` as printed: the cache line names the caches it counts, both together and each apart, as
// `cs-helper metrics` names them.
import { describe, expect, it } from 'vitest';
import type { Printer } from '../../src/cli/output-stream.js';
import { printStats } from '../../src/cli/print-session.js';
import { sessionStats, type SessionStats } from '../../src/session/session-stats.js';

function printed(stats: SessionStats): string[] {
  const lines: string[] = [];
  const out: Printer = { text: (line = '') => lines.push(...line.split('\n')), note: () => undefined, json: () => undefined };
  printStats(stats, out);
  return lines;
}

describe('printStats', () => {
  it('names the pattern and the result cache beside their sum', () => {
    const stats: SessionStats = {
      ...sessionStats([]),
      cache: { hits: 6, misses: 6, hit_rate: 0.5 },
      pattern_cache: { hits: 1, misses: 1, hit_rate: 0.5 },
      result_cache: { hits: 5, misses: 5, hit_rate: 0.5 },
    };
    const lines = printed(stats);
    expect(lines).toContain('Cache hit rate, pattern and result caches together: 50.0% (6 hits, 6 misses)');
    expect(lines).toContain('  pattern cache (plans): 50.0% (1 hits, 1 misses)');
    expect(lines).toContain('  result cache (steps):  50.0% (5 hits, 5 misses)');
  });

  it('says when a cache had no lookup rather than printing a rate', () => {
    const lines = printed(sessionStats([]));
    expect(lines).toContain('  result cache (steps):  no lookups recorded');
  });
});
