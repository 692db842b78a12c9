// Supervised mode of processing.classify: boosted trees on the chosen features, stratified k-fold cross-validation on
// the labelled rows, then one model on all of them. Labelled rows get their out-of-fold prediction (an honest one:
// the model that predicted them never saw them); rows without a label get the final model's prediction.
import type { PlainValue } from '../../data/plain-value.js';
import { crossValidate } from '../../ml/cross-validation.js';
import { readFeatureMatrix, readTextColumn, type FeatureMatrix } from '../../ml/feature-matrix.js';
import type { FeatureSpec } from '../../ml/feature-spec.js';
import { argmaxRows, predictProbabilities, trainBoosted, type BoostingParams } from '../../ml/gradient-boosting.js';
import { encodeLabels } from '../../ml/label-encoding.js';
import { majorityRate } from '../../ml/metrics.js';
import { ModelError } from '../../ml/model-error.js';
import type { SavedModel } from '../../ml/saved-model.js';
import type { ComponentContext } from '../component.js';
import type { LabelledRun, Predictions } from './classify-output.js';

type SupervisedModel = Extract<SavedModel, { kind: 'supervised' }>;

const MAX_CLASSES = 100;

export type SupervisedRun = LabelledRun<SupervisedModel>;

export async function runSupervised(
  context: ComponentContext,
  source: { readonly table: string; readonly rowId: string },
  plan: { readonly label: string; readonly features: readonly FeatureSpec[]; readonly excluded: SupervisedModel['excluded'] },
  options: { readonly folds: number; readonly boosting: BoostingParams },
): Promise<SupervisedRun> {
  const { sql, signal } = context;
  const matrix = await readFeatureMatrix({ sql, table: source.table, rowId: source.rowId, features: plan.features, signal });
  const labels = encodeLabels(await readTextColumn({ sql, table: source.table, rowId: source.rowId, column: plan.label, signal }));
  const labelledRows = Uint32Array.from(labels.codes.keys()).filter((i) => (labels.codes[i] ?? -1) >= 0);
  if (labelledRows.length < 10 || labels.classes.length < 2) {
    throw new ModelError('too-few-rows', `${plan.label} has ${labelledRows.length} labelled rows in ${labels.classes.length} classes`);
  }
  const classCount = labels.classes.length;
  // One tree per class per round: a label with hundreds of values would cost hundreds of trees a round.
  if (classCount > MAX_CLASSES) throw new ModelError('too-many-classes', `${plan.label} has ${classCount} distinct labels (at most ${MAX_CLASSES})`);
  context.progress(0.2, `training on ${labelledRows.length.toLocaleString('en-US')} labelled rows`);
  const predicted = new Int32Array(matrix.rows).fill(-1);
  const confidence = new Float64Array(matrix.rows);
  // Cross-validation over the labelled rows only, in their own index space (0..labelled-1).
  const labelledCodes = Int32Array.from(labelledRows, (r) => labels.codes[r] ?? 0);
  let cv: SupervisedRun['cv'] = null;
  if (labelledRows.length >= 2 * options.folds) {
    let fold = 0;
    cv = crossValidate({
      labels: labelledCodes,
      classes: labels.classes,
      k: options.folds,
      seed: options.boosting.seed,
      train: (rows) => {
        const trainRows = Uint32Array.from(rows, (i) => labelledRows[i] ?? 0);
        const model = trainBoosted({ columns: matrix.columns, labels: labels.codes, classCount, rows: trainRows }, options.boosting, signal);
        fold += 1;
        context.progress(0.2 + (0.6 * fold) / options.folds, `cross-validation fold ${fold} of ${options.folds}`);
        return {
          predict: (test) => {
            const rows = Uint32Array.from(test, (i) => labelledRows[i] ?? 0);
            const out = argmaxRows(predictProbabilities(model, pick(matrix, rows)), classCount);
            rows.forEach((row, k) => {
              predicted[row] = out.classes[k] ?? 0;
              confidence[row] = out.confidence[k] ?? 0;
            });
            return out.classes;
          },
        };
      },
    });
  }
  const started = performance.now();
  const boosted = trainBoosted({ columns: matrix.columns, labels: labels.codes, classCount, rows: labelledRows }, options.boosting, signal);
  const trainMs = performance.now() - started;
  context.progress(0.9, 'predicting');
  // Rows without a cross-validated prediction (all of them when there were too few rows for folds, and every
  // unlabelled row) get the final model's.
  const rest = Uint32Array.from(predicted.keys()).filter((i) => (predicted[i] ?? -1) < 0);
  if (rest.length > 0) {
    const out = argmaxRows(predictProbabilities(boosted, pick(matrix, rest)), classCount);
    rest.forEach((row, k) => {
      predicted[row] = out.classes[k] ?? 0;
      confidence[row] = out.confidence[k] ?? 0;
    });
  }
  const metrics: Record<string, PlainValue> = {
    labelled_rows: labelledRows.length,
    majority_rate: majorityRate(labelledCodes, classCount),
    cv_accuracy: cv?.accuracy ?? null,
    folds: cv?.folds ?? null,
  };
  return {
    predictions: { rowIds: matrix.rowIds, labels: Array.from(predicted, (c) => labels.classes[c] ?? null), confidence, anomaly: null },
    model: { kind: 'supervised', createdAt: new Date().toISOString(), metrics, label: plan.label, classes: labels.classes, features: plan.features, excluded: plan.excluded, boosted },
    cv,
    majority: majorityRate(labelledCodes, classCount),
    labelled: labelledRows.length,
    trainMs,
  };
}

/** Predictions of a saved model for every row of the data (all rows are "unlabelled" to it). */
export async function predictSupervised(context: ComponentContext, source: { readonly table: string; readonly rowId: string }, model: SupervisedModel): Promise<Predictions> {
  const matrix = await readFeatureMatrix({ sql: context.sql, table: source.table, rowId: source.rowId, features: model.features, signal: context.signal });
  const out = argmaxRows(predictProbabilities(model.boosted, matrix.columns), model.classes.length);
  return { rowIds: matrix.rowIds, labels: Array.from(out.classes, (c) => model.classes[c] ?? null), confidence: out.confidence, anomaly: null };
}

/** The given rows of a matrix as a smaller matrix. */
function pick(matrix: FeatureMatrix, rows: Uint32Array): Float32Array[] {
  return matrix.columns.map((column) => {
    const out = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) out[i] = column[rows[i] ?? 0] ?? Number.NaN;
    return out;
  });
}
