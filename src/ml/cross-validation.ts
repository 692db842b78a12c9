// Stratified k-fold cross-validation: every fold keeps the class shares of the whole, so a rare class is tested in
// every fold; out-of-fold predictions of all folds are scored together.
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';
import { Prng } from './prng.js';

/** The fold (0..k-1) of each row: each class's rows are shuffled and dealt round-robin. */
export function stratifiedFolds(labels: Int32Array, classCount: number, k: number, seed: number): Int32Array {
  const folds = new Int32Array(labels.length);
  const rng = new Prng(seed);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  labels.forEach((y, i) => byClass[y]?.push(i));
  let next = 0;
  for (const members of byClass) {
    const order = rng.shuffle(Uint32Array.from(members));
    // Continuing the deal where the previous class stopped keeps fold sizes within one row of each other.
    for (const row of order) {
      folds[row] = next % k;
      next += 1;
    }
  }
  return folds;
}

export interface FoldModel {
  /** Predicted class per row of `test`. */
  predict(test: Uint32Array): Int32Array;
}

/** Runs k folds: `train` fits a model on the other folds' rows; the metrics are over every row's out-of-fold prediction. */
export function crossValidate(options: {
  readonly labels: Int32Array;
  readonly classes: readonly string[];
  readonly k: number;
  readonly seed: number;
  readonly train: (rows: Uint32Array) => FoldModel;
}): ClassificationMetrics & { readonly folds: number } {
  const { labels, classes } = options;
  // A class rarer than k simply misses some test folds (as in scikit-learn); k only shrinks for tiny data.
  const k = Math.max(2, Math.min(options.k, labels.length));
  const folds = stratifiedFolds(labels, classes.length, k, options.seed);
  const predicted = new Int32Array(labels.length);
  for (let fold = 0; fold < k; fold += 1) {
    const trainRows: number[] = [];
    const testRows: number[] = [];
    folds.forEach((f, i) => (f === fold ? testRows : trainRows).push(i));
    const model = options.train(Uint32Array.from(trainRows));
    const test = Uint32Array.from(testRows);
    const out = model.predict(test);
    test.forEach((row, i) => {
      predicted[row] = out[i] ?? 0;
    });
  }
  return { ...classificationMetrics(labels, predicted, classes), folds: k };
}
