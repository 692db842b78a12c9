import { describe, expect, it } from 'vitest';
import { averagePathLength, isolationScores, trainIsolationForest } from '../../src/ml/isolation-forest.js';
import { Prng } from '../../src/ml/prng.js';

describe('isolation forest', () => {
  it('c(n) matches the paper: c(256) = 2 H(255) - 2 * 255 / 256 with H(i) ~ ln(i) + 0.5772', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - (2 * 255) / 256, 12);
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
  });

  it('ranks injected outliers above 2,000 ordinary rows, with scores in (0, 1)', () => {
    const rng = new Prng(11);
    const n = 2000;
    const columns = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let i = 0; i < n; i += 1) {
      // Ordinary rows: a cluster around (100, 10, 0.5) with a little noise.
      (columns[0] as Float32Array)[i] = 100 + rng.next() * 20;
      (columns[1] as Float32Array)[i] = 10 + rng.next() * 2;
      (columns[2] as Float32Array)[i] = rng.next();
    }
    const outliers = [17, 555, 1234, 1999];
    for (const row of outliers) {
      (columns[0] as Float32Array)[row] = 1e6;
      (columns[1] as Float32Array)[row] = 500;
    }
    const forest = trainIsolationForest(columns, { trees: 100, subsample: 256, seed: 5 });
    const scores = isolationScores(forest, columns);
    const ranked = Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    expect(ranked.slice(0, 4).sort((a, b) => a - b)).toEqual(outliers);
    expect(Math.min(...outliers.map((r) => scores[r] ?? 0))).toBeGreaterThan(0.7);
    const ordinary = Array.from(scores).filter((_, i) => !outliers.includes(i));
    // Uniform noise without structure scores about 0.5 (the paper's "no distinct anomaly" level).
    expect(ordinary.reduce((a, b) => a + b, 0) / ordinary.length).toBeLessThan(0.55);
    expect(Math.max(...scores)).toBeLessThan(1);
    expect(Math.min(...scores)).toBeGreaterThan(0);
  });

  it('treats missing values as values of their own, not as errors', () => {
    const column = Float32Array.from({ length: 300 }, (_, i) => (i === 7 ? Number.NaN : i % 10));
    const scores = isolationScores(trainIsolationForest([column], { trees: 50, subsample: 256, seed: 1 }), [column]);
    expect(scores.every((s) => Number.isFinite(s))).toBe(true);
    expect(Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0))[0]).toBe(7);
  });
});
