// Plain feeds: one indicator per line (`#` comments), or a CSV with a `value` column and optional type, source,
// confidence, threat (malware family), first_seen, last_seen, tags columns.
import Papa from 'papaparse';
import { FEED_INDICATOR_TYPES, IndicatorCollector, type CollectedFeed, type FeedIndicatorType } from './feed-indicator.js';

/** Whether the first non-comment line is a CSV header naming a `value` column. */
export function isValueCsv(text: string): boolean {
  const firstLine = /^(?!#)[^\r\n]*\S[^\r\n]*$/m.exec(text.slice(0, 64 * 1024))?.[0] ?? '';
  const header = Papa.parse<string[]>(firstLine, { delimiter: ',' }).data[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  return header.includes('value');
}

export function readPlainList(text: string, source: string): CollectedFeed {
  const collector = new IndicatorCollector(source);
  for (const line of text.split(/\r?\n/)) {
    const value = line.trim();
    if (value === '' || value.startsWith('#')) continue;
    collector.add(value);
  }
  return collector.finish('plain');
}

export function readValueCsv(text: string, source: string): CollectedFeed {
  const collector = new IndicatorCollector(source);
  const table = Papa.parse<Record<string, string | undefined>>(text, { header: true, skipEmptyLines: true, comments: '#', transformHeader: (h) => h.trim().toLowerCase() });
  for (const row of table.data) {
    const value = row['value']?.trim() ?? '';
    if (value === '') continue;
    const declared = row['type']?.trim().toLowerCase() ?? '';
    // A blank cell is no confidence given (the default), not 0: Number('') is 0.
    const confidenceText = row['confidence']?.trim() ?? '';
    const confidence = confidenceText === '' ? Number.NaN : Number(confidenceText);
    collector.add(value, {
      type: (FEED_INDICATOR_TYPES as readonly string[]).includes(declared) ? (declared as FeedIndicatorType) : null,
      source: row['source'] ?? null,
      confidence: Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : null,
      malwareFamily: row['threat'] ?? row['malware_family'] ?? null,
      threatType: row['threat_type'] ?? null,
      firstSeen: row['first_seen'] ?? null,
      lastSeen: row['last_seen'] ?? null,
      tags: splitTags(row['tags'] ?? ''),
    });
  }
  return collector.finish('value-csv');
}

export function splitTags(text: string): string[] {
  return text
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter((t) => t !== '' && t.toLowerCase() !== 'none' && t.toLowerCase() !== 'n/a');
}
