// The report's ATT&CK section: what the mapping found per tactic (in matrix order) and the techniques behind it, with
// where each came from. Rendered from integration.attack's summary; absent when no mapping ran.
import type { PlainValue } from '../../data/plain-value.js';
import { formatCount, mdCell, mdTable } from '../export/markdown.js';
import { attackSummarySchema } from './attack-summary.js';

/** At most this many techniques are listed; the Navigator layer holds them all. */
const TOP_TECHNIQUES = 25;

export function attackReportSection(summary: Readonly<Record<string, PlainValue>> | undefined): string[] {
  if (summary === undefined) return [];
  const parsed = attackSummarySchema.safeParse(summary);
  if (!parsed.success) return [];
  const attack = parsed.data;
  const lines = ['## MITRE ATT&CK', ''];
  if (attack.techniques.length === 0) {
    lines.push(`No finding mapped to an ATT&CK technique (Enterprise v${mdCell(attack.attack_version)}).`, '');
    return lines;
  }
  const tactics = attack.by_tactic.filter((t) => t.techniques > 0);
  lines.push(
    `${formatCount(attack.rows_mapped)} rows map to ${attack.techniques.length} techniques in ${tactics.length} tactics (ATT&CK Enterprise v${mdCell(attack.attack_version)}).`,
    '',
    mdTable(['tactic', 'id', 'techniques', 'detections'], tactics.map((t) => [t.name, t.id, t.techniques, t.detections])),
    'Techniques (detections: the rows, each counted once, plus findings about the data as a whole from sources that named no row; confidence 0.9 for Sigma rule tags, 0.6 for ids written in the data, 0.3-0.7 for pattern heuristics):',
    '',
    mdTable(['technique', 'name', 'tactics', 'detections', 'rows', 'confidence', 'sources'], attack.techniques.slice(0, TOP_TECHNIQUES).map((t) => [t.id, t.name, t.tactics, t.detections, t.rows, t.confidence, t.sources])),
  );
  if (attack.unknown_ids.length > 0) lines.push(`Ids not in the catalogue, ignored: ${attack.unknown_ids.map((id) => mdCell(id)).join(', ')}.`, '');
  lines.push('ATT&CK® content © The MITRE Corporation, reproduced with its permission.', '');
  return lines;
}
