// Events over time: counts per bucket of the timestamp column, the bucket the smallest of minute, 5 and 15 minutes,
// hour, 6 hours, day and week that keeps the histogram within `maxBuckets`; empty buckets are listed with 0 so that
// a chart shows gaps as gaps.
import type { SqlSession } from '../../../data/sql-session.js';
import { quoteIdent } from '../../../data/sql-text.js';

const BUCKETS: readonly { name: string; seconds: number }[] = [
  { name: 'minute', seconds: 60 },
  { name: '5 minutes', seconds: 300 },
  { name: '15 minutes', seconds: 900 },
  { name: 'hour', seconds: 3600 },
  { name: '6 hours', seconds: 21_600 },
  { name: 'day', seconds: 86_400 },
  { name: 'week', seconds: 604_800 },
];

export interface TimeHistogram {
  readonly column: string;
  readonly bucket: string;
  readonly bucket_seconds: number;
  readonly from: string;
  readonly to: string;
  readonly counts: { start: string; count: number }[];
}

export function chooseBucket(spanSeconds: number, maxBuckets: number): { name: string; seconds: number } {
  const fits = BUCKETS.find((b) => Math.floor(spanSeconds / b.seconds) + 1 <= maxBuckets);
  if (fits !== undefined) return fits;
  // Longer than the largest bucket allows: whole weeks, as many as needed to stay within the limit.
  const weeks = Math.ceil((spanSeconds + 1) / (604_800 * maxBuckets));
  return { name: `${weeks} weeks`, seconds: 604_800 * weeks };
}

export async function timeHistogram(sql: SqlSession, table: string, column: string, maxBuckets: number, signal: AbortSignal): Promise<TimeHistogram | null> {
  const t = quoteIdent(column);
  const [range] = await sql.all(`SELECT min(epoch_us(${t})) AS t0, max(epoch_us(${t})) AS t1 FROM ${quoteIdent(table)}`, [], signal);
  const [t0, t1] = [Number(range?.['t0']), Number(range?.['t1'])];
  if (range?.['t0'] === null || !Number.isFinite(t0) || !Number.isFinite(t1)) return null;
  const bucket = chooseBucket((t1 - t0) / 1e6, maxBuckets);
  const width = bucket.seconds * 1_000_000;
  const first = Math.floor(t0 / width);
  const rows = await sql.all(`SELECT epoch_us(${t}) // ${width} AS b, count(*) AS n FROM ${quoteIdent(table)} WHERE ${t} IS NOT NULL GROUP BY ALL ORDER BY b`, [], signal);
  const byBucket = new Map(rows.map((r) => [Number(r['b']), Number(r['n'])]));
  const last = Math.floor(t1 / width);
  const counts: { start: string; count: number }[] = [];
  for (let b = first; b <= last; b++) counts.push({ start: iso((b * width) / 1000), count: byBucket.get(b) ?? 0 });
  return { column, bucket: bucket.name, bucket_seconds: bucket.seconds, from: iso(t0 / 1000), to: iso(t1 / 1000), counts };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
