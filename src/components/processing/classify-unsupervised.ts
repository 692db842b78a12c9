// Unsupervised mode of processing.classify: an isolation forest over the chosen features scores every row; the
// highest-scoring rows above the threshold become anomaly findings for the threat score.
import { readFeatureMatrix } from '../../ml/feature-matrix.js';
import type { FeatureSpec } from '../../ml/feature-spec.js';
import { DEFAULT_ISOLATION, isolationScores, trainIsolationForest } from '../../ml/isolation-forest.js';
import type { SavedModel } from '../../ml/saved-model.js';
import type { ComponentContext } from '../component.js';
import type { AnomalyFinding, Predictions } from './classify-output.js';

type UnsupervisedModel = Extract<SavedModel, { kind: 'unsupervised' }>;

export interface UnsupervisedRun {
  readonly predictions: Predictions;
  readonly model: UnsupervisedModel;
  readonly trainMs: number;
}

export async function runUnsupervised(
  context: ComponentContext,
  source: { readonly table: string; readonly rowId: string },
  plan: { readonly features: readonly FeatureSpec[]; readonly excluded: UnsupervisedModel['excluded'] },
  seed: number,
): Promise<UnsupervisedRun> {
  const matrix = await readFeatureMatrix({ sql: context.sql, table: source.table, rowId: source.rowId, features: plan.features, signal: context.signal });
  context.progress(0.4, `isolation forest on ${matrix.rows.toLocaleString('en-US')} rows`);
  const started = performance.now();
  const isolation = trainIsolationForest(matrix.columns, { ...DEFAULT_ISOLATION, seed }, context.signal);
  const trainMs = performance.now() - started;
  const anomaly = isolationScores(isolation, matrix.columns);
  return {
    predictions: { rowIds: matrix.rowIds, labels: null, confidence: null, anomaly },
    model: { kind: 'unsupervised', createdAt: new Date().toISOString(), metrics: { rows: matrix.rows }, features: plan.features, excluded: plan.excluded, isolation },
    trainMs,
  };
}

export async function predictUnsupervised(context: ComponentContext, source: { readonly table: string; readonly rowId: string }, model: UnsupervisedModel): Promise<Predictions> {
  const matrix = await readFeatureMatrix({ sql: context.sql, table: source.table, rowId: source.rowId, features: model.features, signal: context.signal });
  return { rowIds: matrix.rowIds, labels: null, confidence: null, anomaly: isolationScores(model.isolation, matrix.columns) };
}

/** The `top` highest scores at or above `threshold`, highest first (ties by row order). */
export function topAnomalies(predictions: Predictions, top: number, threshold: number): AnomalyFinding[] {
  const scores = predictions.anomaly;
  if (scores === null) return [];
  const candidates: AnomalyFinding[] = [];
  scores.forEach((score, i) => {
    if (score >= threshold) candidates.push({ rowId: predictions.rowIds[i] ?? 0, score });
  });
  return candidates.sort((a, b) => b.score - a.score || a.rowId - b.rowId).slice(0, top);
}
