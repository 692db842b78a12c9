// The report's view of the data itself: its quality by column (from validation.quality) and its statistics (from
// analysis.statistics), both read from the earlier steps' summaries.
import { plainText, type PlainValue } from '../../../data/plain-value.js';
import type { QualityReport } from '../report-quality.js';
import { htmlTable } from './html-table.js';
import { html, type Markup } from './html.js';
import type { ReportCharts } from './report-charts.js';
import { distinctCell } from '../statistics-cells.js';

/** Columns listed in the quality table, worst first. */
const QUALITY_ROWS = 10;
/** Columns listed in the statistics table. */
const STATISTICS_ROWS = 40;

function share(value: number | null | undefined): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '';
}

export function qualitySection(quality: QualityReport | null, charts: ReportCharts): Markup | string {
  if (quality === null) return '';
  const b = quality.breakdown;
  const rows = quality.columns.slice(0, QUALITY_ROWS).map((c) => [c.column, c.role, share(c.completeness), c.missing, share(c.validity), c.invalid]);
  return html`<section id="quality"><h2>Data quality</h2>
<p>Score <b>${quality.score}/100</b>: completeness ${share(b.completeness)}, validity ${share(b.validity)}, uniqueness ${share(b.uniqueness)}${b.consistency === undefined ? '' : `, consistency ${share(b.consistency)}`}; ${quality.duplicate_rows.toLocaleString('en-US')} duplicate rows.</p>
${charts.quality === null ? '' : html`<div class="charts">${charts.quality}</div>`}
${htmlTable(['column', 'role', 'completeness', 'missing', 'validity', 'invalid'], rows, { caption: `The ${Math.min(QUALITY_ROWS, quality.columns.length)} worst of ${quality.columns.length} columns.` })}</section>`;
}

export function statisticsSection(statistics: Readonly<Record<string, PlainValue>> | undefined): Markup | string {
  if (statistics === undefined) return '';
  const columns = Array.isArray(statistics['columns']) ? statistics['columns'] : [];
  const rows = columns.slice(0, STATISTICS_ROWS).map((c) => {
    const r = c !== null && typeof c === 'object' && !Array.isArray(c) ? c : {};
    return [r['column'], r['type'], r['role'], distinctCell(r), r['null_percentage'], r['min'], r['max'], r['mean']];
  });
  const top = statistics['top_values'];
  const topRows =
    top !== null && typeof top === 'object' && !Array.isArray(top)
      ? Object.entries(top).map(([column, values]) => [
          column,
          (Array.isArray(values) ? values : [])
            .map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? `${plainText(v['value'])} (${plainText(v['count'])})` : ''))
            .join(', '),
        ])
      : [];
  return html`<section id="statistics"><h2>Statistics</h2>
${htmlTable(['column', 'type', 'role', 'distinct', 'null %', 'min', 'max', 'mean'], rows, { maxCell: 40 })}
${topRows.length === 0 ? '' : html`<h3>Most frequent values</h3>${htmlTable(['column', 'top values'], topRows, { maxCell: 200 })}`}</section>`;
}
