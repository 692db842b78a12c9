// processing.classify: machine-learning classification of the rows, in one of three modes chosen from the data.
// supervised: gradient-boosted trees learn a label column and predict rows whose label is empty, with stratified
// k-fold cross-validation, and rows predicted in a threat class (ml/benign-class.ts) become findings; unsupervised: an isolation forest scores how anomalous each row is and flags the top rows
// as findings for the threat score; text: TF-IDF and naive Bayes categorise a free-text column from labelled examples.
// Adds predicted_label, prediction_confidence and anomaly_score to the data (NULL where the mode has none).
import { z } from 'zod';
import { plainText, type PlainValue } from '../../data/plain-value.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { DatasetColumn } from '../../model/dataset.js';
import { OUTPUT_COLUMNS } from '../../ml/feature-spec.js';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { DEFAULT_BOOSTING } from '../../ml/gradient-boosting.js';
import type { ClassificationMetrics } from '../../ml/metrics.js';
import { ModelError } from '../../ml/model-error.js';
import { checkModelName, loadModel, modelExists, saveModel } from '../../ml/model-store.js';
import { planFeatures } from '../../ml/plan-features.js';
import type { SavedModel } from '../../ml/saved-model.js';
import { defineComponent, type ComponentContext } from '../component.js';
import { requireDataset } from '../inputs.js';
import { findLabelColumn, findTextColumn, labelFacts, MIN_LABELLED, type ClassifyMode } from './classify-mode.js';
import { threatClasses } from '../../ml/benign-class.js';
import { writeAnomalyFindings, writePredictionFindings, writePredictions, type Predictions } from './classify-output.js';
import { predictSupervised, runSupervised } from './classify-supervised.js';
import { predictWithText, runText } from './classify-text.js';
import { predictUnsupervised, runUnsupervised, topAnomalies } from './classify-unsupervised.js';

const columnName = z.string().min(1).max(128);

export const classifyParams = z.object({
  mode: z.enum(['auto', 'supervised', 'unsupervised', 'text']).default('auto').describe('auto: supervised when a label column has labels (text when the features are free text), else unsupervised anomaly scores'),
  label: columnName.nullable().default(null).describe('The column to learn and predict (default: the first of label, class, attack_cat, attack_type, attack, category, ...)'),
  text_column: columnName.nullable().default(null).describe('The free-text column for text mode (default: the text column with the longest values)'),
  exclude: z.array(columnName).max(500).default([]).describe('Columns never used as features (a difficulty or score column of a benchmark, a column known to leak the label)'),
  model: z
    .string()
    .min(1)
    .max(64)
    .nullable()
    .default(null)
    .describe('Save the trained model under this name in the state folder; when the data has no labels and the model exists, load it and predict'),
  folds: z.number().int().min(2).max(10).default(5).describe('Folds of the stratified cross-validation'),
  rounds: z.number().int().min(1).max(2000).default(DEFAULT_BOOSTING.rounds).describe('Boosting rounds'),
  max_leaves: z.number().int().min(2).max(255).default(DEFAULT_BOOSTING.maxLeaves).describe('Leaves per tree'),
  learning_rate: z.number().min(0.001).max(1).default(DEFAULT_BOOSTING.learningRate).describe('Shrinkage of each tree'),
  seed: z.number().int().min(0).max(2 ** 31).default(42).describe('Seed of every random choice: the same data and seed give the same model'),
  anomaly_threshold: z.number().min(0.5).max(1).default(0.6).describe('Isolation-forest score from which a row becomes an anomaly finding'),
  top_anomalies: z.number().int().min(0).max(100_000).default(100).describe('At most this many anomaly findings, highest scores first'),
});

type ClassifyParams = z.infer<typeof classifyParams>;

export const classification = defineComponent({
  id: 'processing.classify',
  version: '3',
  type: ComponentType.PROCESSING,
  complexity: Complexity.COMPLEX,
  title: 'ML Classification',
  description:
    'Machine-learning classification of the rows. With a label column (label, class, attack_cat, ... or the label parameter): gradient-boosted trees, stratified 5-fold cross-validation (accuracy, per-class precision/recall/F1, confusion matrix) and a predicted_label with prediction_confidence for every row (out-of-fold for labelled rows); when the label has a harmless class (normal, benign, legitimate, 0, ...), rows predicted in any other class become findings for the threat score. Without labels: an isolation forest anomaly_score per row, the top rows flagged as anomalies for the threat score. With a free-text column: TF-IDF and naive Bayes categorise the text. Identifier-like, constant and label-leaking columns are left out and reported; models are saved and reused by name. Choose it to classify, categorise, predict or score rows with machine learning.',
  capabilities: [Capability.mlClassification],
  consumes: ['dataset'],
  produces: ['dataset', 'findings', 'summary'],
  // After import, transformation, validation and analysis, before enrichment: its anomaly findings feed the threat score.
  order: 20,
  params: classifyParams,
  // Six models (five folds and the final one), one tree per class per round for more than two classes, so the time
  // goes with rows x columns x classes, and the plan does not know the classes. Measured on 2 cores (2026-11-27,
  // docs/performance.md): binary 4.4 s for NSL-KDD's 25k rows x 42, 1.1 s for 5k x 42, 1.9 s for UNSW-NB15's 4.5k x 43;
  // 22 classes 33.6 s (25k x 42), 15 classes 5.2 s (5k x 42), 9 classes 7.2 s (4.5k x 43). 11 us per cell, the
  // geometric middle of binary (~4) and many classes (~32), is within 3x of all six; the learned estimates then take
  // each machine's and data's own figure.
  estimateMs: ({ rows, columns }) => 300 + (rows * Math.max(columns, 1)) / 90,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'processing.classify');
    if (params.model !== null) checkModelName(params.model);
    const source = { table: dataset.table, rowId: dataset.rowId };
    const userColumns = dataset.columns;
    const labelColumn = params.mode === 'unsupervised' ? null : findLabelColumn(userColumns, params.label);
    const facts = labelColumn === null ? null : await labelFacts(context.sql, dataset.table, labelColumn, context.signal);
    const hasLabels = facts !== null && facts.labelled >= MIN_LABELLED && facts.classes >= 2;
    const saved = params.model !== null && !hasLabels && (await modelExists(params.model)) ? await loadModel(params.model) : null;

    let mode: ClassifyMode;
    let reasoning: string;
    if (saved !== null) {
      mode = saved.kind;
      reasoning = `the data has no usable labels and the saved model ${params.model ?? ''} (${saved.kind}) exists: it predicts`;
    } else if (params.mode !== 'auto') {
      mode = params.mode;
      reasoning = 'asked for by the mode parameter';
    } else if (hasLabels) {
      const text = params.text_column ?? null;
      mode = text !== null ? 'text' : 'supervised';
      reasoning = `${facts.column} has ${facts.labelled} labelled rows in ${facts.classes} classes`;
    } else {
      mode = 'unsupervised';
      reasoning = labelColumn === null ? 'no label column (label, class, attack_cat, ...)' : `${labelColumn} has too few labels (${facts?.labelled ?? 0} rows, ${facts?.classes ?? 0} classes)`;
    }
    if ((mode === 'supervised' || mode === 'text') && saved === null && !hasLabels) {
      throw new ModelError('no-label', labelColumn === null ? `${mode} classification needs a label column, and the data has none` : `${labelColumn} has ${facts?.labelled ?? 0} labelled rows in ${facts?.classes ?? 0} classes`);
    }

    const outcome = await (saved !== null ? predictWithSaved(context, source, saved) : train(context, source, dataset.columns, mode, labelColumn, params));
    // Auto mode falls back to text when a labelled table has nothing but prose to learn from.
    mode = outcome.mode;
    context.log.decision({
      decision: 'classification mode',
      chosen: mode,
      alternatives: (['supervised', 'unsupervised', 'text'] as const).filter((m) => m !== mode).map((option) => ({ option, score: null })),
      reasoning: outcome.reasoning ?? reasoning,
    });
    for (const e of outcome.excluded) context.log.info('classify-excluded-column', `${e.column} is not a feature: ${e.reason} (${e.detail})`, { column: e.column, reason: e.reason });

    let savedAs: string | null = null;
    if (params.model !== null && outcome.model !== null) {
      savedAs = await saveModel(params.model, outcome.model);
      context.log.info('classify-model-saved', `model ${params.model} saved to ${savedAs}`, { model: params.model, kind: outcome.model.kind });
    }

    const table = await writePredictions(context, dataset, outcome.predictions);
    const anomalies = topAnomalies(outcome.predictions, params.top_anomalies, params.anomaly_threshold);
    // Predicted classes that are threats (a label with a benign class: normal, benign, 0, ...) become findings too.
    const threats = outcome.label === null ? [] : threatClasses(predictedClasses(outcome, saved));
    const predicted = outcome.label === null || outcome.predictions.labels === null ? null : await writePredictionFindings(context, table, outcome.label, threats);
    const findingsTable = outcome.predictions.anomaly !== null ? await writeAnomalyFindings(context, anomalies) : (predicted?.table ?? null);
    const threatsBy = predicted === null || predicted.rows === 0 ? null : await threatsByOtherLabel(context, table, dataset.columns, outcome.label, threats);
    const output = await context.describe(table, dataset.sources);
    const findings = findingsTable === null ? undefined : await context.describe(findingsTable, dataset.sources);

    const summary: Record<string, PlainValue> = {
      mode,
      rows: output.rowCount,
      label: outcome.label,
      features: outcome.features,
      excluded: outcome.excluded.map((e) => ({ column: e.column, reason: e.reason, detail: e.detail })),
      model: params.model,
      model_loaded: saved !== null,
      model_path: savedAs,
      train_ms: outcome.trainMs === null ? null : Math.round(outcome.trainMs),
      ...metricsSummary(outcome.cv, outcome.majority, outcome.labelled),
      anomalies: outcome.predictions.anomaly === null ? null : anomalies.length,
      top_anomaly_score: anomalies[0]?.score ?? null,
      threat_classes: threats,
      predicted_threats: predicted?.rows ?? null,
      threats_by: threatsBy,
    };
    context.log.dataOperation({
      operation: 'analyse',
      target: table,
      rows: output.rowCount,
      columns: ['predicted_label', 'prediction_confidence', 'anomaly_score'],
      detail: { mode, cv_accuracy: outcome.cv?.accuracy ?? null, anomalies: summary['anomalies'] ?? null, excluded: outcome.excluded.map((e) => e.column) },
    });
    return {
      dataset: output,
      ...(findings === undefined ? {} : { findings }),
      summary,
      rowsIn: dataset.rowCount,
      rowsOut: output.rowCount,
      message: messageOf(mode, outcome, anomalies.length, saved !== null) + (predicted === null ? '' : threats.length === 0 ? '; no class reads as benign (normal, benign, 0, ...), so no prediction counts as a threat' : `; ${predicted.rows.toLocaleString('en-US')} rows predicted as a threat (${threats.slice(0, 5).join(', ')}${threats.length > 5 ? ', ...' : ''})`),
    };
  },
});

interface Outcome {
  readonly mode: ClassifyMode;
  readonly reasoning: string | null;
  readonly predictions: Predictions;
  readonly model: SavedModel | null;
  readonly label: string | null;
  readonly features: string[];
  readonly excluded: readonly { column: string; reason: string; detail: string }[];
  readonly cv: (ClassificationMetrics & { readonly folds: number }) | null;
  readonly majority: number | null;
  readonly labelled: number | null;
  readonly trainMs: number | null;
}

async function train(
  context: ComponentContext,
  source: { readonly table: string; readonly rowId: string },
  columns: readonly { name: string; sqlType: string; role?: string | null }[],
  requested: ClassifyMode,
  label: string | null,
  params: ClassifyParams,
): Promise<Outcome> {
  const plan = await planFeatures({ sql: context.sql, table: source.table, columns, label: requested === 'unsupervised' ? undefined : (label ?? undefined), exclude: params.exclude, signal: context.signal });
  const textColumn = requested === 'text' || (plan.features.length === 0 && label !== null) ? await findTextColumn(context.sql, source.table, columns.map((c) => ({ ...c, role: null })), params.text_column, label, context.signal) : null;
  const mode: ClassifyMode = requested === 'supervised' && plan.features.length === 0 && textColumn !== null ? 'text' : requested;
  const reasoning = mode !== requested ? `no numeric or categorical features besides the free text in ${textColumn ?? ''}: text mode` : null;
  if (mode === 'text') {
    if (textColumn === null || label === null) throw new ModelError('no-text', 'text mode needs a free-text column and a label column');
    const run = await runText(context, source, { label, text: textColumn }, { folds: params.folds, seed: params.seed });
    // The feature plan left the free text out as id-like; in text mode it is the feature, so it is not listed as unused.
    return { mode, reasoning, predictions: run.predictions, model: run.model, label, features: [textColumn], excluded: plan.excluded.filter((e) => e.column !== textColumn), cv: run.cv, majority: run.majority, labelled: run.labelled, trainMs: run.trainMs };
  }
  if (plan.features.length === 0) throw new ModelError('no-features', `no usable feature columns (left out: ${plan.excluded.map((e) => `${e.column} (${e.reason})`).join(', ') || 'none'})`);
  const features = plan.features.map((f) => f.column);
  if (mode === 'unsupervised') {
    const run = await runUnsupervised(context, source, plan, params.seed);
    return { mode, reasoning, predictions: run.predictions, model: run.model, label: null, features, excluded: plan.excluded, cv: null, majority: null, labelled: null, trainMs: run.trainMs };
  }
  if (label === null) throw new ModelError('no-label', 'supervised classification needs a label column, and the data has none');
  const boosting = { ...DEFAULT_BOOSTING, rounds: params.rounds, maxLeaves: params.max_leaves, learningRate: params.learning_rate, seed: params.seed };
  const run = await runSupervised(context, source, { label, features: plan.features, excluded: plan.excluded }, { folds: params.folds, boosting });
  return { mode, reasoning, predictions: run.predictions, model: run.model, label, features, excluded: plan.excluded, cv: run.cv, majority: run.majority, labelled: run.labelled, trainMs: run.trainMs };
}

async function predictWithSaved(context: ComponentContext, source: { readonly table: string; readonly rowId: string }, model: SavedModel): Promise<Outcome> {
  const names = new Set((await context.sql.describe(`SELECT * FROM ${quoteIdent(source.table)}`, context.signal)).map((c) => c.name));
  const needed = model.kind === 'text' ? [model.textColumn] : model.features.map((f) => f.column);
  const missing = needed.filter((c) => !names.has(c));
  if (missing.length > 0) throw new ModelError('schema-mismatch', `the saved model needs columns the data lacks: ${missing.slice(0, 10).join(', ')}`);
  const base = { reasoning: null, model: null, excluded: [], cv: null, majority: null, labelled: null, trainMs: null };
  switch (model.kind) {
    case 'supervised':
      return { ...base, mode: 'supervised', predictions: await predictSupervised(context, source, model), label: model.label, features: needed };
    case 'unsupervised':
      return { ...base, mode: 'unsupervised', predictions: await predictUnsupervised(context, source, model), label: null, features: needed };
    case 'text':
      return { ...base, mode: 'text', predictions: await predictWithText(context, source, model), label: model.label, features: needed };
  }
}

/** Values listed at most in the breakdown of predicted threats by another label. */
const MAX_BREAKDOWN_VALUES = 12;

/**
 * The rows predicted in a threat class counted by the values of another label column of the data (UNSW-NB15's
 * attack_cat beside the label learned): which kinds of attack the predictions hold. Null when there is none.
 */
async function threatsByOtherLabel(context: ComponentContext, table: string, columns: readonly DatasetColumn[], label: string | null, threats: readonly string[]): Promise<PlainValue> {
  const other = columns.find((c) => c.role === 'label' && c.name !== label && !OUTPUT_COLUMNS.includes(c.name));
  if (other === undefined || threats.length === 0) return null;
  const rows = await context.sql.all(
    `SELECT coalesce(left(CAST(${quoteIdent(other.name)} AS VARCHAR), 120), '(empty)') AS value, count(*) AS rows
     FROM ${quoteIdent(table)} WHERE predicted_label IN (${threats.map(quoteLiteral).join(', ')})
     GROUP BY 1 ORDER BY rows DESC, value LIMIT ${MAX_BREAKDOWN_VALUES + 1}`,
    [],
    context.signal,
  );
  return { column: other.name, values: rows.slice(0, MAX_BREAKDOWN_VALUES).map((r) => ({ value: plainText(r['value']), rows: Number(r['rows']) })), more: rows.length > MAX_BREAKDOWN_VALUES };
}

/** The classes a labelled run knows: the model's (trained now or saved), those cross-validation saw and those predicted. */
function predictedClasses(outcome: Outcome, saved: SavedModel | null): Set<string> {
  const model = saved ?? outcome.model;
  const classes = new Set<string>(model === null || model.kind === 'unsupervised' ? [] : model.classes);
  for (const label of outcome.cv?.classes ?? []) classes.add(label);
  for (const label of outcome.predictions.labels ?? []) if (label !== null) classes.add(label);
  return classes;
}

function metricsSummary(cv: Outcome['cv'], majority: number | null, labelled: number | null): Record<string, PlainValue> {
  if (cv === null) return { labelled_rows: labelled, majority_rate: majority, cv: null };
  return {
    labelled_rows: labelled,
    majority_rate: majority,
    cv: {
      folds: cv.folds,
      accuracy: cv.accuracy,
      classes: [...cv.classes],
      confusion: cv.confusion.map((row) => [...row]),
      per_class: cv.perClass.map((c) => ({ label: c.label, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
    },
  };
}

function messageOf(mode: ClassifyMode, outcome: Outcome, anomalies: number, loaded: boolean): string {
  const rows = outcome.predictions.rowIds.length.toLocaleString('en-US');
  if (mode === 'unsupervised') return `${loaded ? 'saved isolation forest' : 'isolation forest'} scored ${rows} rows; ${anomalies} flagged as anomalies`;
  const accuracy = outcome.cv === null ? '' : `, ${outcome.cv.folds}-fold accuracy ${(outcome.cv.accuracy * 100).toFixed(1)}% (majority class ${((outcome.majority ?? 0) * 100).toFixed(1)}%)`;
  return `${loaded ? 'saved model predicted' : `${mode === 'text' ? 'text model' : 'boosted trees'} predicted`} ${outcome.label ?? 'labels'} for ${rows} rows${accuracy}`;
}
