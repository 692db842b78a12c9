// The report's ATT&CK section: a tactics x techniques matrix of what the mapping found (tactics in matrix order, each
// technique linked to its page on attack.mitre.org), the rows per tactic, and the techniques with their sources.
import type { AttackSummary } from '../../integration/attack-summary.js';
import { htmlTable } from './html-table.js';
import { html, type Markup } from './html.js';
import type { ReportCharts } from './report-charts.js';

/** At most this many techniques in the table; the Navigator layer holds them all. */
const TOP_TECHNIQUES = 25;
const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;

/** `T1059.001` -> https://attack.mitre.org/techniques/T1059/001/; anything else is not linked. */
export function techniqueLink(id: string): Markup {
  if (!TECHNIQUE_ID.test(id)) return html`${id}`;
  return html`<a href="https://attack.mitre.org/techniques/${id.replace('.', '/')}/">${id}</a>`;
}

export function attackSection(attack: AttackSummary | null, charts: ReportCharts): Markup | string {
  if (attack === null) return '';
  if (attack.techniques.length === 0) {
    return html`<section id="attack"><h2>MITRE ATT&amp;CK</h2><p>No finding mapped to an ATT&amp;CK technique (Enterprise v${attack.attack_version}).</p></section>`;
  }
  const tactics = attack.by_tactic.filter((t) => t.techniques > 0);
  const cells = tactics.map((tactic) => {
    const techniques = attack.techniques.filter((t) => t.tactics.includes(tactic.tactic));
    return html`<td><ul>${techniques.map((t) => html`<li>${techniqueLink(t.id)} ${t.name} <span class="muted">(${t.detections})</span></li>`)}</ul></td>`;
  });
  const techniques = attack.techniques.slice(0, TOP_TECHNIQUES).map((t) => [techniqueLink(t.id), t.name, t.tactics, t.detections, t.rows, t.confidence, t.sources]);
  return html`<section id="attack"><h2>MITRE ATT&amp;CK</h2>
<p>${attack.rows_mapped.toLocaleString('en-US')} rows map to ${attack.techniques.length} techniques in ${tactics.length} tactics (ATT&amp;CK Enterprise v${attack.attack_version}).</p>
<div class="table-wrap"><table class="matrix"><thead><tr>${tactics.map((t) => html`<th>${t.name}<br><span class="muted">${t.id}</span></th>`)}</tr></thead><tbody><tr>${cells}</tr></tbody></table>
<p class="caption">Techniques per tactic with their detections (distinct rows or data-wide findings per source).</p></div>
${charts.tactics === null ? '' : html`<div class="charts">${charts.tactics}</div>`}
${htmlTable(['technique', 'name', 'tactics', 'detections', 'rows', 'confidence', 'sources'], techniques, { caption: 'Confidence 0.9 for Sigma rule tags, 0.6 for ids written in the data, 0.3-0.7 for pattern heuristics.' })}
${attack.unknown_ids.length === 0 ? '' : html`<p>Ids not in the catalogue, ignored: ${attack.unknown_ids.join(', ')}.</p>`}
<p class="caption">ATT&amp;CK® content © The MITRE Corporation, reproduced with its permission.</p></section>`;
}
