// The report's first screen: what was asked and of which data, the threat picture in two sentences, the key counts,
// and the two charts that give the shape of the run (threat levels, events over time).
import { formatMs } from '../markdown.js';
import type { ReportModel } from '../report-model.js';
import { threatPicture } from '../report-threat-picture.js';
import type { ReportCharts } from './report-charts.js';
import { html, type Markup } from './html.js';

function tile(label: string, value: number, tone = ''): Markup {
  return html`<div class="tile ${tone}"><b>${value.toLocaleString('en-US')}</b>${label}</div>`;
}

export function summarySection(model: ReportModel, charts: ReportCharts): Markup {
  const picture = threatPicture(model);
  const levels = model.byLevel;
  const hits = model.iocHits.reduce((sum, r) => sum + Number(r['hits']), 0);
  const tiles =
    levels === null
      ? html``
      : html`<div class="tiles">${[
          tile('rows analysed', model.rows),
          tile('rows with a threat signal', model.rows - (levels['none'] ?? 0)),
          tile('critical', levels['critical'] ?? 0, 'critical'),
          tile('high', levels['high'] ?? 0, 'high'),
          tile('indicator hits', hits),
          tile('rows flagged by patterns or a model', model.anomalyRows),
        ]}</div>`;
  const shown = [charts['threat-levels'], charts.timeline].filter((c): c is Markup => c !== null);
  return html`<section id="summary"><h2>Summary</h2>
${picture.length === 0 ? '' : html`<p class="picture">${picture.join(' ')}</p>`}
${tiles}
<dl class="facts">
<dt>Asked</dt><dd>${model.problem}</dd>
<dt>Files</dt><dd>${model.files.join(', ')}</dd>
<dt>Rows</dt><dd>${model.rows.toLocaleString('en-US')}</dd>
<dt>Time to this report</dt><dd>${formatMs(model.elapsedMs)}</dd>
<dt>Plan confidence</dt><dd>${model.confidence.score.toFixed(2)}${model.confidence.reasons.length === 0 ? '' : html` <span class="muted">(${model.confidence.reasons.join('; ')})</span>`}</dd>
</dl>
${shown.length === 0 ? '' : html`<div class="charts">${shown}</div>`}
</section>`;
}
