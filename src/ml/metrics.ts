// Classification metrics as scikit-learn defines them: accuracy, per-class precision, recall and F1 (0 when undefined),
// and the confusion matrix with true classes as rows.

export interface ClassMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows whose true class this is. */
  readonly support: number;
}

export interface ClassificationMetrics {
  readonly rows: number;
  readonly accuracy: number;
  readonly perClass: readonly ClassMetrics[];
  /** confusion[true][predicted], in the order of `classes`. */
  readonly confusion: readonly (readonly number[])[];
  readonly classes: readonly string[];
}

export function classificationMetrics(truth: Int32Array, predicted: Int32Array, classes: readonly string[]): ClassificationMetrics {
  const k = classes.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let right = 0;
  for (let i = 0; i < truth.length; i += 1) {
    const t = truth[i] ?? 0;
    const p = predicted[i] ?? 0;
    const row = confusion[t];
    if (row !== undefined) row[p] = (row[p] ?? 0) + 1;
    if (t === p) right += 1;
  }
  const perClass = classes.map((label, c) => {
    const tp = confusion[c]?.[c] ?? 0;
    const support = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + (row[c] ?? 0), 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  return { rows: truth.length, accuracy: truth.length === 0 ? 0 : right / truth.length, perClass, confusion, classes };
}

/** The share of the most frequent class: the accuracy of always guessing it, the floor any model must beat. */
export function majorityRate(labels: Int32Array, classCount: number): number {
  const counts = new Float64Array(classCount);
  for (const y of labels) counts[y] = (counts[y] ?? 0) + 1;
  return labels.length === 0 ? 0 : Math.max(...counts) / labels.length;
}
