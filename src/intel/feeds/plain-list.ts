// Plain feeds: one indicator per line (`#` comments), or a CSV with a `value` column and optional type, source,
// confidence (0-1 or 0-100, see feed-confidence.ts), threat (malware family), first_seen, last_seen, tags columns, or a
// CSV whose columns are named after indicator types (`md5,sha1,sha256`, `ip,domain`), each cell an indicator of its
// column's type.
import Papa from 'papaparse';
import { confidenceScaleOf, readConfidence, UNREADABLE_CONFIDENCE } from './feed-confidence.js';
import { FEED_INDICATOR_TYPES, IndicatorCollector, type CollectedFeed, type FeedIndicatorType } from './feed-indicator.js';

/** Header names that give a column's indicator type, in a CSV without a `value` column. */
const TYPE_COLUMNS: Readonly<Record<string, FeedIndicatorType>> = { ip: 'ip', ip_address: 'ip', cidr: 'cidr', domain: 'domain', url: 'url', md5: 'md5', sha1: 'sha1', sha256: 'sha256' };

/** The first non-comment line's cells, trimmed and lower-cased: the header, if the text is a CSV with one. */
function headerOf(text: string): string[] {
  const firstLine = /^(?!#)[^\r\n]*\S[^\r\n]*$/m.exec(text.slice(0, 64 * 1024))?.[0] ?? '';
  return Papa.parse<string[]>(firstLine, { delimiter: ',' }).data[0]?.map((h) => h.trim().toLowerCase()) ?? [];
}

/** Whether the first non-comment line is a CSV header naming a `value` column. */
export function isValueCsv(text: string): boolean {
  return headerOf(text).includes('value');
}

/**
 * Whether the first non-comment line is a CSV header naming columns after indicator types (`md5,sha1,sha256`). Tried
 * after the abuse.ch layouts, some of whose headers name such columns too (ViriBack's `url` and `ip`).
 */
export function isTypedColumnCsv(text: string): boolean {
  return headerOf(text).some((h) => TYPE_COLUMNS[h] !== undefined);
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

/** Reads a CSV with a `value` column, or with columns named after indicator types (isTypedColumnCsv). */
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
  // Without a value column, each column named after a type is one, its cells of that type.
  const typed = valueAt >= 0 ? [] : names.flatMap((name, index) => (TYPE_COLUMNS[name] === undefined ? [] : [{ index, type: TYPE_COLUMNS[name] }]));
  // Fractions or percentages: decided from the whole column before any row is read (feed-confidence.ts).
  const confidenceScale = confidenceScaleOf(confidenceAt < 0 ? [] : rows.map((row) => cell(row, confidenceAt) ?? ''));
  for (const row of rows) {
    const declared = cell(row, typeAt)?.trim().toLowerCase() ?? '';
    const values = (
      valueAt >= 0
        ? [{ value: cell(row, valueAt)?.trim() ?? '', type: (FEED_INDICATOR_TYPES as readonly string[]).includes(declared) ? (declared as FeedIndicatorType) : null }]
        : typed.map(({ index, type }) => ({ value: cell(row, index)?.trim() ?? '', type }))
    ).filter(({ value }) => value !== '');
    if (values.length === 0) continue;
    // A blank cell is no confidence given: the default, not 0. An unreadable one (`high`, -5, 150 of 100) is counted
    // once per row and its indicators keep the default, so the feed still matches and the count says why it scores so.
    const confidence = readConfidence(cell(row, confidenceAt) ?? '', confidenceScale);
    if (confidence === 'unreadable') collector.count(collector.unsupported, UNREADABLE_CONFIDENCE);
    for (const { value, type } of values) {
      collector.add(value, {
        type,
        source: cell(row, sourceAt) ?? null,
        confidence: confidence === 'unreadable' ? null : confidence,
        malwareFamily: cell(row, threatAt) ?? cell(row, malwareFamilyAt) ?? null,
        threatType: cell(row, threatTypeAt) ?? null,
        firstSeen: cell(row, firstSeenAt) ?? null,
        lastSeen: cell(row, lastSeenAt) ?? null,
        tags: splitTags(cell(row, tagsAt) ?? ''),
      });
    }
  }
  return collector.finish('value-csv');
}

export function splitTags(text: string): string[] {
  return text
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter((t) => t !== '' && t.toLowerCase() !== 'none' && t.toLowerCase() !== 'n/a');
}
