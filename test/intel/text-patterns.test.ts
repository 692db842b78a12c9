// PATTERN_NEEDS lets the engine skip a pattern's RE2 scan on text without the needed characters: that is only right
// if every match of the pattern holds them. Checked on generated text built from the pieces the patterns are made of,
// so that every pattern matches often; a pattern changed so that a match can lack its entry fails here.
import { describe, expect, it } from 'vitest';
import { PATTERN_NEEDS, TEXT_PATTERNS } from '../../src/intel/extract/text-patterns.js';

const PIECES = ['a', 'f', 'z', '9', '0', '12', '255', '.', ':', '::', '/', '://', '@', '-', '_', ' ', '%', 'cve-', '2021', '44228', 't1059', '.001', 'ffff', 'http', 'https', 'ftp', 'com', 'tk', 'dead', 'beef', 'c0de', 'e3b0c44298fc1c149afbf4c8996fb924', 'x.y', '10.0.', '1.2.3.4', 'cve-2021-4', ' cve-2021-44228 ', 'http://', 'admin@', 'mail.'];

/** A seeded generator (mulberry32), so a failure can be replayed. */
function texts(count: number, seed = 7): string[] {
  let state = seed;
  const next = (n: number): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + next(14) }, () => PIECES[next(PIECES.length)]).join(''));
}

describe('PATTERN_NEEDS', () => {
  const generated = texts(60_000);
  for (const [kind, pattern] of TEXT_PATTERNS) {
    const needs = PATTERN_NEEDS[kind];
    if (needs === undefined) continue;
    it(`every ${kind} match holds ${JSON.stringify(needs)}`, () => {
      const re = new RegExp(pattern, 'g');
      let matches = 0;
      const lacking: string[] = [];
      for (const text of generated) {
        for (const match of text.match(re) ?? []) {
          matches += 1;
          if (!match.includes(needs)) lacking.push(match);
        }
      }
      expect(lacking).toEqual([]);
      // The generated text exercises the pattern: a check over no match at all would prove nothing.
      expect(matches).toBeGreaterThan(200);
    });
  }

  it('names only kinds that have a pattern', () => {
    const kinds = new Set(TEXT_PATTERNS.map(([kind]) => kind));
    expect(Object.keys(PATTERN_NEEDS).filter((kind) => !kinds.has(kind as never))).toEqual([]);
  });
});
