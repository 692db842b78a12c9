// Multinomial naive Bayes over TF-IDF rows (the classic text baseline; scikit-learn's MultinomialNB): per class, the
// log share of each term's weight with additive smoothing, plus the log class prior.
import type { SparseRow } from './tfidf.js';

export interface NaiveBayesModel {
  readonly classCount: number;
  readonly termCount: number;
  readonly logPrior: Float64Array;
  /** classCount x termCount, row-major. */
  readonly logLikelihood: Float64Array;
}

export function trainNaiveBayes(rows: readonly SparseRow[], labels: Int32Array, classCount: number, termCount: number, alpha = 0.1): NaiveBayesModel {
  const weight = new Float64Array(classCount * termCount);
  const classRows = new Float64Array(classCount);
  rows.forEach((row, r) => {
    const c = labels[r] ?? 0;
    classRows[c] = (classRows[c] ?? 0) + 1;
    row.indices.forEach((t, k) => {
      weight[c * termCount + t] = (weight[c * termCount + t] ?? 0) + (row.values[k] ?? 0);
    });
  });
  const logLikelihood = new Float64Array(classCount * termCount);
  for (let c = 0; c < classCount; c += 1) {
    let total = 0;
    for (let t = 0; t < termCount; t += 1) total += weight[c * termCount + t] ?? 0;
    const denominator = Math.log(total + alpha * termCount);
    for (let t = 0; t < termCount; t += 1) logLikelihood[c * termCount + t] = Math.log((weight[c * termCount + t] ?? 0) + alpha) - denominator;
  }
  const n = Math.max(1, rows.length);
  const logPrior = Float64Array.from(classRows, (count) => Math.log(Math.max(count, 1e-9) / n));
  return { classCount, termCount, logPrior, logLikelihood };
}

/** Class probabilities of one row. */
export function naiveBayesProbabilities(model: NaiveBayesModel, row: SparseRow): Float64Array {
  const scores = Float64Array.from(model.logPrior);
  for (let c = 0; c < model.classCount; c += 1) {
    let s = scores[c] ?? 0;
    row.indices.forEach((t, k) => {
      s += (row.values[k] ?? 0) * (model.logLikelihood[c * model.termCount + t] ?? 0);
    });
    scores[c] = s;
  }
  const max = Math.max(...scores);
  let sum = 0;
  for (let c = 0; c < scores.length; c += 1) {
    const e = Math.exp((scores[c] ?? 0) - max);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c += 1) scores[c] = (scores[c] ?? 0) / sum;
  return scores;
}
