// The HTML report's ML classification section, from processing.classify's summary (read by the same parser as the
// Markdown section): the method, cross-validated accuracy against always guessing the most common class, per-class
// precision/recall/F1, the confusion matrix, the anomalies flagged or rows predicted as threats, and the columns left out with their reasons.
import type { PlainValue } from '../../../data/plain-value.js';
import { fitsConfusionMatrix, percent, predictedThreatsSentence, readClassifySummary } from '../../processing/classify-report-section.js';
import { htmlTable } from './html-table.js';
import { html, type Markup } from './html.js';

export function classifySection(summary: Readonly<Record<string, PlainValue>> | undefined): Markup | string {
  const s = readClassifySummary(summary);
  if (s === null) return '';
  const model = s.model === null ? '' : s.model_loaded ? html` with the saved model <code>${s.model}</code>` : html`; model saved as <code>${s.model}</code>`;
  const excluded = s.excluded.length === 0 ? '' : html`<h3>Columns not used as features</h3>${htmlTable(['column', 'reason', 'evidence'], s.excluded.map((e) => [e.column, e.reason, e.detail]), { maxCell: 120 })}`;
  if (s.mode === 'unsupervised') {
    return html`<section id="classification"><h2>ML classification</h2>
<p>Isolation forest over ${s.features.length} features scored ${s.rows.toLocaleString('en-US')} rows${model}: <b>${(s.anomalies ?? 0).toLocaleString('en-US')}</b> flagged as anomalies${s.top_anomaly_score === null ? '' : ` (highest score ${s.top_anomaly_score.toFixed(2)})`}.</p>
${excluded}</section>`;
  }
  const method = s.mode === 'text' ? html`TF-IDF and naive Bayes on <code>${s.features[0] ?? ''}</code>` : html`Gradient-boosted trees over ${s.features.length} features`;
  const threats = predictedThreatsSentence(s);
  const cv = s.cv;
  const figures =
    cv === null
      ? ''
      : html`<p>Stratified ${cv.folds}-fold cross-validation on ${(s.labelled_rows ?? 0).toLocaleString('en-US')} labelled rows: accuracy <b>${percent(cv.accuracy)}</b> (always guessing the most common class: ${percent(s.majority_rate ?? 0)}). Labelled rows carry their out-of-fold prediction.</p>
${htmlTable(['class', 'precision', 'recall', 'F1', 'rows'], cv.per_class.map((c) => [c.label, percent(c.precision), percent(c.recall), percent(c.f1), c.support]))}
${fitsConfusionMatrix(cv.classes) ? html`<h3>Confusion matrix</h3><p class="muted">Rows: the true class; columns: the predicted one.</p>${htmlTable(['', ...cv.classes], cv.confusion.map((row, i) => [cv.classes[i] ?? '', ...row]))}` : ''}`;
  return html`<section id="classification"><h2>ML classification</h2>
<p>${method} predict <code>${s.label ?? ''}</code> for ${s.rows.toLocaleString('en-US')} rows${model}.</p>
${threats === null ? '' : html`<p>${threats}</p>`}
${s.threats_by === null ? '' : html`<h3>Rows predicted as threats by ${s.threats_by.column}${s.threats_by.more ? ` (the ${s.threats_by.values.length} most common)` : ''}</h3>${htmlTable([s.threats_by.column, 'rows'], s.threats_by.values.map((v) => [v.value, v.rows]))}`}
${figures}
${excluded}</section>`;
}
