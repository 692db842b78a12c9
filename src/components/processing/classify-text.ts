// Text mode of processing.classify: TF-IDF over a free-text column (titles, alert descriptions) and multinomial naive
// Bayes, cross-validated like the supervised mode (the vocabulary of each fold comes from its training rows only).
import type { PlainValue } from '../../data/plain-value.js';
import { crossValidate } from '../../ml/cross-validation.js';
import { readTextColumn } from '../../ml/feature-matrix.js';
import { encodeLabels } from '../../ml/label-encoding.js';
import { majorityRate } from '../../ml/metrics.js';
import { ModelError } from '../../ml/model-error.js';
import type { SavedModel } from '../../ml/saved-model.js';
import { naiveBayesProbabilities, trainNaiveBayes } from '../../ml/text/naive-bayes.js';
import { fitTfidf, termIndex, tfidfRow } from '../../ml/text/tfidf.js';
import { DEFAULT_TOKENIZE } from '../../ml/text/tokenize.js';
import type { ComponentContext } from '../component.js';
import type { LabelledRun, Predictions } from './classify-output.js';

type TextModel = Extract<SavedModel, { kind: 'text' }>;

const MAX_TERMS = 20_000;

export type TextRun = LabelledRun<TextModel>;

function fitText(texts: readonly string[], codes: Int32Array, classCount: number): { tfidf: TextModel['tfidf']; bayes: TextModel['bayes'] } {
  const tfidf = fitTfidf(texts, { tokenize: DEFAULT_TOKENIZE, maxTerms: MAX_TERMS, minDf: 1 });
  const index = termIndex(tfidf);
  const bayes = trainNaiveBayes(texts.map((t) => tfidfRow(tfidf, index, t)), codes, classCount, tfidf.terms.length);
  return { tfidf, bayes };
}

function predictText(model: { tfidf: TextModel['tfidf']; bayes: TextModel['bayes'] }, texts: readonly string[]): { classes: Int32Array; confidence: Float64Array } {
  const index = termIndex(model.tfidf);
  const classes = new Int32Array(texts.length);
  const confidence = new Float64Array(texts.length);
  texts.forEach((text, i) => {
    const p = naiveBayesProbabilities(model.bayes, tfidfRow(model.tfidf, index, text));
    let best = 0;
    for (let c = 1; c < p.length; c += 1) if ((p[c] ?? 0) > (p[best] ?? 0)) best = c;
    classes[i] = best;
    confidence[i] = p[best] ?? 0;
  });
  return { classes, confidence };
}

export async function runText(
  context: ComponentContext,
  source: { readonly table: string; readonly rowId: string },
  columns: { readonly label: string; readonly text: string },
  options: { readonly folds: number; readonly seed: number },
): Promise<TextRun> {
  const read = (column: string): Promise<(string | null)[]> => readTextColumn({ sql: context.sql, table: source.table, rowId: source.rowId, column, signal: context.signal });
  const texts = (await read(columns.text)).map((t) => t ?? '');
  const labels = encodeLabels(await read(columns.label));
  const rowIds = Float64Array.from(
    await readTextColumn({ sql: context.sql, table: source.table, rowId: source.rowId, column: source.rowId, signal: context.signal }),
    (v) => Number(v),
  );
  const labelledRows = Array.from(labels.codes.keys()).filter((i) => (labels.codes[i] ?? -1) >= 0);
  if (labelledRows.length < 10 || labels.classes.length < 2) {
    throw new ModelError('too-few-rows', `${columns.label} has ${labelledRows.length} labelled rows in ${labels.classes.length} classes`);
  }
  const classCount = labels.classes.length;
  const labelledTexts = labelledRows.map((r) => texts[r] ?? '');
  const labelledCodes = Int32Array.from(labelledRows, (r) => labels.codes[r] ?? 0);
  const predicted = new Int32Array(texts.length).fill(-1);
  const confidence = new Float64Array(texts.length);
  let cv: TextRun['cv'] = null;
  if (labelledRows.length >= 2 * options.folds) {
    cv = crossValidate({
      labels: labelledCodes,
      classes: labels.classes,
      k: options.folds,
      seed: options.seed,
      train: (rows) => {
        const model = fitText(Array.from(rows, (i) => labelledTexts[i] ?? ''), Int32Array.from(rows, (i) => labelledCodes[i] ?? 0), classCount);
        return {
          predict: (test) => {
            const out = predictText(model, Array.from(test, (i) => labelledTexts[i] ?? ''));
            test.forEach((i, k) => {
              const row = labelledRows[i] ?? 0;
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
  const final = fitText(labelledTexts, labelledCodes, classCount);
  const trainMs = performance.now() - started;
  const rest = Array.from(predicted.keys()).filter((i) => (predicted[i] ?? -1) < 0);
  const out = predictText(final, rest.map((i) => texts[i] ?? ''));
  rest.forEach((row, k) => {
    predicted[row] = out.classes[k] ?? 0;
    confidence[row] = out.confidence[k] ?? 0;
  });
  const majority = majorityRate(labelledCodes, classCount);
  const metrics: Record<string, PlainValue> = { labelled_rows: labelledRows.length, majority_rate: majority, cv_accuracy: cv?.accuracy ?? null, folds: cv?.folds ?? null };
  return {
    predictions: { rowIds, labels: Array.from(predicted, (c) => labels.classes[c] ?? null), confidence, anomaly: null },
    model: { kind: 'text', createdAt: new Date().toISOString(), metrics, label: columns.label, textColumn: columns.text, classes: labels.classes, ...final },
    cv,
    majority,
    labelled: labelledRows.length,
    trainMs,
  };
}

export async function predictWithText(context: ComponentContext, source: { readonly table: string; readonly rowId: string }, model: TextModel): Promise<Predictions> {
  const texts = await readTextColumn({ sql: context.sql, table: source.table, rowId: source.rowId, column: model.textColumn, signal: context.signal });
  const rowIds = Float64Array.from(await readTextColumn({ sql: context.sql, table: source.table, rowId: source.rowId, column: source.rowId, signal: context.signal }), (v) => Number(v));
  const out = predictText(model, texts.map((t) => t ?? ''));
  return { rowIds, labels: Array.from(out.classes, (c) => model.classes[c] ?? null), confidence: out.confidence, anomaly: null };
}
