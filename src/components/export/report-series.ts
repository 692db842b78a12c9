// The report's aggregated series, each one GROUP BY in the engine and bounded by a LIMIT or a bucket count: events and
// flagged rows over time, the busiest and the most threatening entities, and rows per ATT&CK tactic. Charts and tables
// read these few hundred values; the rows themselves never leave DuckDB.
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import { plainText } from '../../data/plain-value.js';
import { chooseBucket } from '../analysis/statistics/time-histogram.js';
import { isTimestampType } from '../../data/sql-types.js';

/** At most this many time buckets: hours for three days, days for three months. */
export const MAX_TIME_BUCKETS = 96;
/** Entity columns shown (the first ones by role order) and values listed per column and ranking. */
export const MAX_ENTITY_COLUMNS = 4;
export const MAX_TACTICS = 20;
/** Characters of an entity value kept for tables and chart labels. */
export const MAX_VALUE_LENGTH = 200;
/** A day in the engine's epoch unit (microseconds): longer time buckets start at midnight UTC. */
const DAY_US = 86_400 * 1_000_000;

export interface TimelinePoint {
  /** ISO start of the bucket. */
  readonly start: string;
  readonly events: number;
  /** Rows with a threat signal (threat_score > 0); null when the data was not scored. */
  readonly flagged: number | null;
}

export interface Timeline {
  readonly column: string;
  readonly bucket: string;
  readonly bucketSeconds: number;
  /** The earliest and the latest timestamp of the column (ISO, UTC): the data's real span, which the buckets cover. */
  readonly first: string;
  readonly last: string;
  readonly points: readonly TimelinePoint[];
}

export interface EntityCount {
  readonly value: string;
  readonly events: number;
  readonly flagged: number | null;
  readonly maxScore: number | null;
}

export interface EntityColumn {
  readonly column: string;
  readonly role: string;
  /** The values with the most rows. */
  readonly byEvents: readonly EntityCount[];
  /** The values with the highest threat score on any of their rows (only those above 0). */
  readonly byScore: readonly EntityCount[];
}

export interface TacticCount {
  readonly tactic: string;
  readonly rows: number;
}

const ENTITY_ROLES = ['ip', 'user', 'hostname'];

function isTimeColumn(column: DatasetColumn): boolean {
  return column.role === 'timestamp' && (isTimestampType(column.sqlType) || column.sqlType === 'DATE');
}

/** Events (and flagged rows) per bucket of the first timestamp column, empty buckets as 0; null without one. */
export async function timelineSeries(sql: SqlSession, dataset: DatasetHandle, scored: boolean, signal: AbortSignal): Promise<Timeline | null> {
  const time = dataset.columns.find(isTimeColumn);
  if (time === undefined) return null;
  const table = quoteIdent(dataset.table);
  const t = quoteIdent(time.name);
  const [range] = await sql.all(`SELECT min(epoch_us(${t})) AS t0, max(epoch_us(${t})) AS t1 FROM ${table}`, [], signal);
  if (range === undefined || range['t0'] === null || range['t1'] === null) return null;
  const [t0, t1] = [Number(range['t0']), Number(range['t1'])];
  const bucket = chooseBucket((t1 - t0) / 1e6, MAX_TIME_BUCKETS);
  const width = bucket.seconds * 1_000_000;
  // Buckets up to a day fall on the clock (whole minutes, hours, midnight UTC). Longer ones start at midnight UTC of
  // the first event's day: counted from 1970 instead, a week starts on a Thursday and 41 weeks start months before the
  // data, a date the reader would take for its start.
  const align = Math.min(width, DAY_US);
  const origin = Math.floor(t0 / align) * align;
  const flagged = scored ? 'count(*) FILTER (WHERE threat_score > 0)' : 'NULL';
  const rows = await sql.all(`SELECT (epoch_us(${t}) - (${origin})) // ${width} AS b, count(*) AS events, ${flagged} AS flagged FROM ${table} WHERE ${t} IS NOT NULL GROUP BY ALL`, [], signal);
  const byBucket = new Map(rows.map((r) => [Number(r['b']), r]));
  const points: TimelinePoint[] = [];
  for (let b = 0; b <= Math.floor((t1 - origin) / width); b++) {
    const row = byBucket.get(b);
    points.push({
      start: isoUtc(origin + b * width),
      events: row === undefined ? 0 : Number(row['events']),
      flagged: scored ? (row === undefined ? 0 : Number(row['flagged'])) : null,
    });
  }
  return { column: time.name, bucket: bucket.name, bucketSeconds: bucket.seconds, first: isoUtc(t0), last: isoUtc(t1), points };
}

/** Microseconds since 1970 as ISO 8601 in UTC, without a fraction when there is none (milliseconds at most). */
function isoUtc(epochUs: number): string {
  return new Date(epochUs / 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** The columns that name who or what acted, by role order (addresses, users, hosts), at most MAX_ENTITY_COLUMNS. */
export function entityColumns(columns: readonly DatasetColumn[]): DatasetColumn[] {
  return ENTITY_ROLES.flatMap((role) => columns.filter((c) => c.role === role)).slice(0, MAX_ENTITY_COLUMNS);
}

/** Per entity column, one grouping scanned twice: the top values by rows, and by highest threat score. */
export async function entitySeries(sql: SqlSession, dataset: DatasetHandle, scored: boolean, top: number, signal: AbortSignal): Promise<EntityColumn[]> {
  const table = quoteIdent(dataset.table);
  const result: EntityColumn[] = [];
  for (const column of entityColumns(dataset.columns)) {
    const c = quoteIdent(column.name);
    const measures = scored ? 'count(*) FILTER (WHERE threat_score > 0) AS flagged, max(threat_score) AS max_score' : 'NULL AS flagged, NULL AS max_score';
    // Values are grouped whole but shown cut: a hostile megabyte-long value must not reach the page (or an SVG label).
    const shown = `left(value, ${MAX_VALUE_LENGTH}) AS value, events, flagged, max_score`;
    const byScore = scored ? `UNION ALL (SELECT 'score' AS ranking, ${shown} FROM g WHERE max_score > 0 ORDER BY max_score DESC, flagged DESC, g.value LIMIT ${top})` : '';
    const rows = await sql.all(
      `WITH g AS (SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS events, ${measures} FROM ${table} WHERE ${c} IS NOT NULL GROUP BY 1)
       (SELECT 'events' AS ranking, ${shown} FROM g ORDER BY events DESC, g.value LIMIT ${top}) ${byScore}`,
      [],
      signal,
    );
    const count = (r: (typeof rows)[number]): EntityCount => ({
      value: plainText(r['value']),
      events: Number(r['events']),
      flagged: r['flagged'] === null ? null : Number(r['flagged']),
      maxScore: r['max_score'] === null ? null : Number(r['max_score']),
    });
    // UNION ALL keeps neither branch's order: sort again the way each LIMIT chose.
    const byEvents = rows.filter((r) => r['ranking'] === 'events').map(count).sort((a, b) => b.events - a.events || compareText(a.value, b.value));
    const byMax = rows.filter((r) => r['ranking'] === 'score').map(count).sort((a, b) => (b.maxScore ?? 0) - (a.maxScore ?? 0) || (b.flagged ?? 0) - (a.flagged ?? 0) || compareText(a.value, b.value));
    if (byEvents.length > 0) result.push({ column: column.name, role: column.role ?? '', byEvents, byScore: byMax });
  }
  return result;
}

/** Rows per ATT&CK tactic, from the `attack_tactics` list column integration.attack adds; empty without it. */
export async function tacticSeries(sql: SqlSession, dataset: DatasetHandle, signal: AbortSignal): Promise<TacticCount[]> {
  const column = dataset.columns.find((c) => c.name === 'attack_tactics');
  if (column?.sqlType.endsWith('[]') !== true) return [];
  const rows = await sql.all(
    `SELECT tactic, count(*) AS rows FROM (SELECT unnest(attack_tactics) AS tactic FROM ${quoteIdent(dataset.table)}) GROUP BY ALL ORDER BY rows DESC, tactic LIMIT ${MAX_TACTICS}`,
    [],
    signal,
  );
  return rows.map((r) => ({ tactic: plainText(r['tactic']), rows: Number(r['rows']) }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
