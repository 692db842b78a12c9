import { describe, expect, it } from 'vitest';
import { crossValidate, stratifiedFolds } from '../../src/ml/cross-validation.js';
import { classificationMetrics, majorityRate } from '../../src/ml/metrics.js';
import { applyBins, binOf, fitBinEdges } from '../../src/ml/binning.js';

describe('classification metrics', () => {
  it('computes accuracy, per-class precision/recall/F1 and the confusion matrix as scikit-learn does', () => {
    // sklearn: precision_recall_fscore_support([0,0,0,1,1,2], [0,1,0,1,2,2]) -> p [1, .5, .5], r [.667, .5, 1], f1 [.8, .5, .667]
    const m = classificationMetrics(Int32Array.from([0, 0, 0, 1, 1, 2]), Int32Array.from([0, 1, 0, 1, 2, 2]), ['a', 'b', 'c']);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(m.perClass.map((c) => [c.label, c.precision, c.recall, c.support])).toEqual([
      ['a', 1, 2 / 3, 3],
      ['b', 0.5, 0.5, 2],
      ['c', 0.5, 1, 1],
    ]);
    expect(m.perClass.map((c) => Number(c.f1.toFixed(4)))).toEqual([0.8, 0.5, 0.6667]);
    expect(majorityRate(Int32Array.from([0, 0, 0, 1, 1, 2]), 3)).toBe(0.5);
  });

  it('stratified folds keep class shares and sizes within one row', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i < 80 ? 0 : 1));
    const folds = stratifiedFolds(labels, 2, 5, 1);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const minority = [0, 1, 2, 3, 4].map((f) => Array.from(folds).filter((x, i) => x === f && labels[i] === 1).length);
    expect(minority.sort()).toEqual([4, 4, 5, 5, 5]);
  });

  it('cross-validation scores every row once, out of fold', () => {
    const labels = Int32Array.from({ length: 50 }, (_, i) => i % 2);
    const seen = new Set<number>();
    // A "model" that returns the true label of rows it never trained on, and notes each test row.
    const result = crossValidate({
      labels,
      classes: ['even', 'odd'],
      k: 5,
      seed: 3,
      train: (rows) => {
        const training = new Set(rows);
        return {
          predict: (test) => Int32Array.from(test, (r) => {
            if (training.has(r)) throw new Error('tested on a training row');
            seen.add(r);
            return labels[r] ?? 0;
          }),
        };
      },
    });
    expect(seen.size).toBe(50);
    expect(result.accuracy).toBe(1);
    expect(result.folds).toBe(5);
  });
});

describe('binning', () => {
  it('gives each distinct value its own bin when there are few, missing values bin 0', () => {
    const column = Float32Array.from([3, 1, 2, 2, Number.NaN, 3]);
    const bins = fitBinEdges([column]);
    expect(Array.from(bins.edges[0] ?? [])).toEqual([1, 2]);
    expect(Array.from(applyBins(bins, [column]).columns[0] ?? [])).toEqual([3, 1, 2, 2, 0, 3]);
    // A value above every training value falls in the last bin; below, in the first value bin.
    expect(binOf(bins.edges[0] ?? new Float64Array(0), 99)).toBe(3);
    expect(binOf(bins.edges[0] ?? new Float64Array(0), -5)).toBe(1);
  });

  it('caps a continuous feature at 254 quantile bins of similar size', () => {
    const column = Float32Array.from({ length: 10_000 }, (_, i) => i * 1.5);
    const binned = applyBins(fitBinEdges([column]), [column]);
    const counts = new Map<number, number>();
    for (const b of binned.columns[0] ?? []) counts.set(b, (counts.get(b) ?? 0) + 1);
    expect(counts.size).toBe(254);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(41);
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(38);
  });
});
