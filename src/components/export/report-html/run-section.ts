// The report's account of itself: the plan that ran (stages, components, status, measured times, adaptations that
// fired), what this version could not cover, the other files of the run, and the run and session ids.
import { formatMs } from '../markdown.js';
import type { ReportModel } from '../report-model.js';
import { htmlTable } from './html-table.js';
import { html, type Markup } from './html.js';

export function planSection(model: ReportModel): Markup {
  const stepByNode = new Map(model.steps.map((s) => [s.node, s]));
  const rows = model.stages.flatMap((stage) =>
    stage.nodes.map((node) => {
      const step = stepByNode.get(node);
      const status = step === undefined ? 'running' : step.fromCache === true ? `${step.status} (cached)` : step.status;
      const time = step === undefined ? '' : html`<span class="nowrap">${formatMs(step.durationMs)}</span>`;
      return [stage.index + 1, stage.mode, node, model.components[node] ?? '', status, time, step?.adaptations ?? [], step?.summary ?? ''];
    }),
  );
  const adapted = model.steps.filter((s) => s.adaptations.length > 0);
  return html`<section id="plan"><h2>The plan that ran</h2>
${htmlTable(['stage', 'mode', 'step', 'component', 'status', 'time', 'adaptations', 'result'], rows, { maxCell: 120, caption: 'Times are measured around each step; "running" is this report and the steps beside it.' })}
${adapted.length === 0 ? html`<p>No adaptation fired: every step ran once as planned.</p>` : html`<p>Adaptations that fired: ${adapted.map((s) => `${s.node}: ${s.adaptations.join(', ')}`).join('; ')}.</p>`}
${model.unavailable.length === 0 ? '' : html`<h3>Not covered by this version</h3><ul>${model.unavailable.map((u) => html`<li>${u.capability} (wanted by ${u.wanted_by}): ${u.reason}</li>`)}</ul>`}
</section>`;
}

export function pageFooter(model: ReportModel, generatedAt: string): Markup {
  const files = model.exports.map((e) => html`<a href="${encodeURIComponent(e.file)}">${e.file}</a>`);
  return html`<footer class="page" id="session">
${files.length === 0 ? '' : html`<p>Files of this run: ${files.map((f, i) => (i === 0 ? f : html`, ${f}`))}.</p>`}
<p>Run ${model.runId}${model.sessionId === null ? '' : html`, session <code>${model.sessionId}</code>`}; generated ${generatedAt} by CS Helper.</p>
</footer>`;
}
