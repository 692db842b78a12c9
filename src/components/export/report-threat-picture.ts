// The report's two-sentence threat picture, built only from the counts of the run: how many rows carry a signal and
// how severe, then where the signals come from (feeds, statistics, ATT&CK). Both renderers print these sentences.
import { plainText } from '../../data/plain-value.js';
import { formatCount } from './markdown.js';
import type { ReportModel } from './report-model.js';

export const THREAT_LEVELS = ['critical', 'high', 'medium', 'low', 'none'] as const;

/** Two sentences, or none when the data was not scored (no enrichment ran). */
export function threatPicture(model: ReportModel): string[] {
  const levels = model.byLevel;
  if (levels === null) return [];
  const flagged = model.rows - (levels['none'] ?? 0);
  const severe = (levels['critical'] ?? 0) + (levels['high'] ?? 0);
  const first =
    flagged === 0
      ? `None of the ${formatCount(model.rows)} rows carries a threat signal.`
      : `${formatCount(flagged)} of ${formatCount(model.rows)} rows (${percent(flagged, model.rows)}) carry a threat signal; ${formatCount(severe)} are high or critical, ${formatCount(levels['medium'] ?? 0)} medium and ${formatCount(levels['low'] ?? 0)} low.`;
  return [first, sourcesSentence(model)];
}

function sourcesSentence(model: ReportModel): string {
  const hits = model.iocHits.reduce((sum, r) => sum + Number(r['hits']), 0);
  const bySource = new Map<string, number>();
  for (const r of model.iocHits) {
    const source = plainText(r['source']);
    bySource.set(source, (bySource.get(source) ?? 0) + Number(r['hits']));
  }
  const [topSource, topHits] = [...bySource].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['', 0];
  const anomalies = model.anomalyRows === 0 ? 'no row stands out in the patterns or to a model' : `${formatCount(model.anomalyRows)} ${model.anomalyRows === 1 ? 'row stands' : 'rows stand'} out in the patterns or to a model`;
  const mapped = model.attack !== null && model.attack.techniques.length > 0 ? `, and ${formatCount(model.attack.rows_mapped)} rows map to ${formatCount(model.attack.techniques.length)} ATT&CK techniques` : '';
  if (hits === 0) return `No indicator from the feeds matched; ${anomalies}${mapped}.`;
  const sources = bySource.size === 1 ? 'one feed source' : `${formatCount(bySource.size)} feed sources`;
  return `${formatCount(hits)} indicator hits on ${formatCount(model.iocRows)} rows come from ${sources} (most from ${topSource}: ${formatCount(topHits)}); ${anomalies}${mapped}.`;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}
