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
  // Rows as arrays, each column found once by its header name: an object per row cost ~0.3 s more in parsing and
  // garbage collection on a 200k-line feed (measured).
  const [header = [], ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true, comments: '#' }).data;
  const names = header.map((h) => h.trim().toLowerCase());
  const column = (name: string): number => names.indexOf(name);
  // Each name ending in `At` is a column's index, -1 when the feed has no such column.
  const [valueAt, typeAt, sourceAt, confidenceAt, threatAt, malwareFamilyAt, threatTypeAt, firstSeenAt, lastSeenAt, tagsAt] = ['value', 'type', 'source', 'confidence', 'threat', 'malware_family', 'threat_type', 'first_seen', 'last_seen', 'tags'].map(column) as [number, number, number, number, number, number, number, number, number, number];
  /** A cell, or undefined when the column is absent or the row is short (as a header-keyed row would give). */
  const cell = (row: readonly string[], index: number): string | undefined => (index < 0 ? undefined : row[index]);
  for (const row of rows) {
    const value = cell(row, valueAt)?.trim() ?? '';
    if (value === '') continue;
    const declared = cell(row, typeAt)?.trim().toLowerCase() ?? '';
    // A blank cell is no confidence given (the default), not 0: Number('') is 0.
    const confidenceText = cell(row, confidenceAt)?.trim() ?? '';
    const confidence = confidenceText === '' ? Number.NaN : Number(confidenceText);
    collector.add(value, {
      type: (FEED_INDICATOR_TYPES as readonly string[]).includes(declared) ? (declared as FeedIndicatorType) : null,
      source: cell(row, sourceAt) ?? null,
      confidence: Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : null,
      malwareFamily: cell(row, threatAt) ?? cell(row, malwareFamilyAt) ?? null,
      threatType: cell(row, threatTypeAt) ?? null,
      firstSeen: cell(row, firstSeenAt) ?? null,
      lastSeen: cell(row, lastSeenAt) ?? null,
      tags: splitTags(cell(row, tagsAt) ?? ''),
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
