// The report's ML classification section, rendered from processing.classify's summary: the mode, the cross-validated
// figures against the majority-class rate, per-class precision/recall/F1, the confusion matrix, the anomaly count and
// the columns left out with their reasons. Absent when no classification ran. The Markdown report includes these
// lines; the HTML report renders the same parsed summary (export/report-html/classify-section.ts).
import { z } from 'zod';
import type { PlainValue } from '../../data/plain-value.js';
import { formatCount, mdCell, mdTable } from '../export/markdown.js';

const summarySchema = z.object({
  mode: z.enum(['supervised', 'unsupervised', 'text']),
  rows: z.number(),
  label: z.string().nullable(),
  features: z.array(z.string()),
  excluded: z.array(z.object({ column: z.string(), reason: z.string(), detail: z.string() })),
  model: z.string().nullable(),
  model_loaded: z.boolean(),
  labelled_rows: z.number().nullable(),
  majority_rate: z.number().nullable(),
  cv: z
    .object({
      folds: z.number(),
      accuracy: z.number(),
      classes: z.array(z.string()),
      confusion: z.array(z.array(z.number())),
      per_class: z.array(z.object({ label: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() })),
    })
    .nullable(),
  anomalies: z.number().nullable(),
  top_anomaly_score: z.number().nullable(),
  // Absent from summaries written before predictions became findings.
  threat_classes: z.array(z.string()).default([]),
  predicted_threats: z.number().nullable().default(null),
  threats_by: z
    .object({ column: z.string(), values: z.array(z.object({ value: z.string(), rows: z.number() })), more: z.boolean() })
    .nullable()
    .default(null),
});

/** At most this many classes get a confusion-matrix table; more would not fit a page. */
const MAX_MATRIX_CLASSES = 12;

export type ClassifySummary = z.infer<typeof summarySchema>;

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/**
 * processing.classify's summary as the report reads it, or null when there is none (or it is not one). A column the
 * model reads is never listed as unused: the text mode's column was also left out of the tabular features (the phishing
 * URLs as id-like), and the report said "TF-IDF and naive Bayes on url" above "url | id-like" under the unused columns.
 */
export function readClassifySummary(summary: Readonly<Record<string, PlainValue>> | undefined): ClassifySummary | null {
  if (summary === undefined) return null;
  const parsed = summarySchema.safeParse(summary);
  if (!parsed.success) return null;
  const features = new Set(parsed.data.features);
  return { ...parsed.data, excluded: parsed.data.excluded.filter((e) => !features.has(e.column)) };
}

/** Classes named at most in the sentence on predicted threats. */
const MAX_NAMED_CLASSES = 10;

/** What the predictions add to the threat picture, as a sentence, or null when the mode predicts no label. */
export function predictedThreatsSentence(s: ClassifySummary): string | null {
  if (s.predicted_threats === null) return null;
  if (s.threat_classes.length === 0) return `No class of ${s.label ?? 'the label'} reads as harmless (normal, benign, legitimate, 0, ...), so no prediction counts as a threat signal.`;
  const named = s.threat_classes.slice(0, MAX_NAMED_CLASSES).join(', ') + (s.threat_classes.length > MAX_NAMED_CLASSES ? ', ...' : '');
  return `${formatCount(s.predicted_threats)} ${s.predicted_threats === 1 ? 'row is' : 'rows are'} predicted in a threat class (${named}): each counts as an anomaly in the threat score, 40 x the prediction's confidence.`;
}

/** A matrix this wide still fits a page. */
export function fitsConfusionMatrix(classes: readonly string[]): boolean {
  return classes.length <= MAX_MATRIX_CLASSES;
}

export function classifyReportSection(summary: Readonly<Record<string, PlainValue>> | undefined): string[] {
  const s = readClassifySummary(summary);
  if (s === null) return [];
  const lines = ['## ML classification', ''];
  const model = s.model === null ? '' : s.model_loaded ? ` with the saved model ${mdCell(s.model)}` : `; model saved as ${mdCell(s.model)}`;
  if (s.mode === 'unsupervised') {
    lines.push(`Isolation forest over ${s.features.length} features scored ${formatCount(s.rows)} rows${model}: ${formatCount(s.anomalies ?? 0)} flagged as anomalies${s.top_anomaly_score === null ? '' : ` (highest score ${s.top_anomaly_score.toFixed(2)})`}.`, '');
  } else {
    const method = s.mode === 'text' ? `TF-IDF and naive Bayes on ${mdCell(s.features[0] ?? '')}` : `Gradient-boosted trees over ${s.features.length} features`;
    lines.push(`${method} predict ${mdCell(s.label ?? '')} for ${formatCount(s.rows)} rows${model}.`, '');
    const threats = predictedThreatsSentence(s);
    if (threats !== null) lines.push(mdCell(threats, 2000), '');
    if (s.threats_by !== null) {
      lines.push(`Rows predicted as threats by ${mdCell(s.threats_by.column)}${s.threats_by.more ? ` (the ${s.threats_by.values.length} most common)` : ''}:`, '', mdTable([s.threats_by.column, 'rows'], s.threats_by.values.map((v) => [v.value, formatCount(v.rows)])));
    }
    if (s.cv !== null) {
      lines.push(
        `Stratified ${s.cv.folds}-fold cross-validation on ${formatCount(s.labelled_rows ?? 0)} labelled rows: accuracy ${percent(s.cv.accuracy)} (always guessing the most common class: ${percent(s.majority_rate ?? 0)}). Labelled rows carry their out-of-fold prediction.`,
        '',
        mdTable(['class', 'precision', 'recall', 'F1', 'rows'], s.cv.per_class.map((c) => [c.label, percent(c.precision), percent(c.recall), percent(c.f1), formatCount(c.support)])),
      );
      if (fitsConfusionMatrix(s.cv.classes)) {
        lines.push('Confusion matrix (rows: true class, columns: predicted):', '', mdTable(['', ...s.cv.classes], s.cv.confusion.map((row, i) => [s.cv?.classes[i] ?? '', ...row.map((n) => formatCount(n))])));
      }
    }
  }
  if (s.excluded.length > 0) lines.push('Columns not used as features:', '', mdTable(['column', 'reason', 'evidence'], s.excluded.map((e) => [e.column, e.reason, e.detail])));
  return lines;
}
