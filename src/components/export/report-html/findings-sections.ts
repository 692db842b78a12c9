// The report's evidence: the highest-scoring rows with their reasons, the entities behind them, the indicator hits by
// feed and type, and the anomalies and data-wide patterns (beaconing pairs, volume spikes, brute force). Every table is
// a top N from the model; the full rows are in the data export.
import type { ReportModel } from '../report-model.js';
import { htmlTable } from './html-table.js';
import { displayText, html, type Markup } from './html.js';
import type { ReportCharts } from './report-charts.js';

/** Entities listed per column in the "highest threat score" table. */
const ENTITIES_BY_SCORE = 5;

function level(value: unknown): Markup {
  const text = displayText(value);
  const known = ['critical', 'high', 'medium', 'low'].includes(text) ? ` level-${text}` : '';
  return html`<span class="level${known}">${text}</span>`;
}

/** Hashes and URLs are long unbroken words: allowed to break anywhere so the table fits the page. */
function evidence(value: unknown): Markup {
  return html`<span class="evidence">${displayText(value)}</span>`;
}

const ISO_TIME = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.000)?Z$/;

/** An ISO UTC time as `2026-03-02 07:32:39Z`, unbroken; any other value as it is. */
function timeText(value: unknown): unknown {
  const match = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  return match === null ? value : html`<span class="nowrap">${match[1]} ${match[2]}Z</span>`;
}

/** Where the full rows are: the data export of the same run, when it has one. */
function fullDataNote(model: ReportModel): Markup | string {
  const data = model.exports.find((e) => e.format === 'csv' || e.format === 'json' || e.format === 'jsonl');
  return data === undefined ? '' : html` Every row is in <a href="${encodeURIComponent(data.file)}">${data.file}</a>.`;
}

export function topFindingsSection(model: ReportModel): Markup | string {
  if (model.topRows.length === 0) return '';
  const flagged = model.byLevel === null ? model.topRows.length : model.rows - (model.byLevel['none'] ?? 0);
  // What and why first (score, level, the evidence), then the columns that place the row: read left to right, and the
  // context columns are the ones a narrow page may scroll.
  const headers = ['row', 'score', 'level', 'indicator hits', 'anomaly reasons', ...model.topColumns];
  const rows = model.topRows.map((r) => [r['row'], r['threat_score'], level(r['threat_level']), evidence(r['ioc_matches']), evidence(r['anomaly_reasons']), ...model.topColumns.map((c) => timeText(r[c]))]);
  return html`<section id="top-findings"><h2>Top findings</h2>
<p>The ${model.topRows.length} highest-scoring of ${flagged.toLocaleString('en-US')} rows with a threat signal, highest first; row numbers count data rows from 1.${fullDataNote(model)}</p>
${htmlTable(headers, rows, { maxCell: 90, idColumns: [0] })}</section>`;
}

export function entitiesSection(model: ReportModel, charts: ReportCharts): Markup | string {
  if (model.entities.length === 0) return '';
  const byScore = model.entities.flatMap((e) => e.byScore.slice(0, ENTITIES_BY_SCORE).map((c) => [e.column, c.value, c.events, c.flagged, c.maxScore]));
  return html`<section id="entities"><h2>Top talkers and entities</h2>
${charts.entities === null ? '' : html`<div class="charts">${charts.entities}</div>`}
${byScore.length === 0 ? '' : html`<h3>Highest threat score per entity</h3>${htmlTable(['column', 'value', 'rows', 'rows with a signal', 'max score'], byScore, { caption: `At most ${ENTITIES_BY_SCORE} per column, highest score first.` })}`}
</section>`;
}

export function indicatorSection(model: ReportModel): Markup | string {
  if (model.iocHits.length === 0) return '';
  const rows = model.iocHits.map((r) => [r['source'], r['type'], r['hits'], r['indicators'], r['threat']]);
  return html`<section id="indicators"><h2>Indicator hits</h2>
<p>${model.iocRows.toLocaleString('en-US')} rows match an indicator from the feeds, by source and indicator type:</p>
${htmlTable(['source', 'type', 'hits', 'distinct indicators', 'threat'], rows)}</section>`;
}

export function detectionsSection(model: ReportModel): Markup | string {
  if (model.detections.length === 0) return '';
  const rows = model.detections.map((r) => [r['title'], r['level'], r['rows'], r['techniques']]);
  return html`<section id="detections"><h2>Detections</h2>
<p>What the Sigma rules fired on, by rule, the most severe first:</p>
${htmlTable(['rule', 'level', 'rows', 'ATT&CK techniques'], rows)}</section>`;
}

export function anomaliesSection(model: ReportModel): Markup | string {
  if (model.anomalies.length === 0 && model.datasetFindings.length === 0) return '';
  const reasons = model.anomalies.map((r) => [r['label'], r['rows'], r['max_score']]);
  const patterns = model.datasetFindings.map((r) => [r['label'], r['entity'], r['detail']]);
  return html`<section id="anomalies"><h2>Anomalies and patterns</h2>
${reasons.length === 0 ? '' : html`<p>${model.anomalyRows.toLocaleString('en-US')} rows stand out in the patterns or to a model, by reason:</p>${htmlTable(['reason', 'rows', 'max score'], reasons)}`}
${patterns.length === 0 ? '' : html`<h3>Patterns across the data</h3><p>Findings about the data as a whole (beaconing pairs, volume spikes), with their evidence:</p>${htmlTable(['pattern', 'entity', 'evidence'], patterns, { maxCell: 160 })}`}
</section>`;
}
