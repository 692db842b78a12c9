// Beaconing: one source contacting one destination (and port) at a steady rhythm, as malware calling home does.
// The intervals between consecutive connections of a pair come from lag() over the pair's partition; a pair beacons
// when it has `beacon_min_events` connections and the intervals vary little: robust coefficient of variation
// (interquartile range / 1.349 / median, so missed beats and outages do not hide a rhythm, and jitter of a few percent
// is tolerated) at most `beacon_max_cv`. Intervals under `beacon_min_interval_seconds` are bursts within one contact,
// not beats. By default only destinations outside private and special ranges count (`beacon_scope`): internal services
// poll each other all day.
// Findings: every connection of a beaconing pair (row-level, `beaconing:<destination column>`, score 20-35 by how
// steady the rhythm is), and one finding about the data per pair (row_id NULL) with the evidence: pair, connections,
// mean and median interval, classic and robust CV, first and last time.
import { plainText } from '../../../data/plain-value.js';
import { quoteLiteral } from '../../../data/sql-text.js';
import { ipClassFromOctetsSql, ipOctetsSql } from '../../processing/ip-class-sql.js';
import { isoFromMicros, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';

/** Address classes a beacon may go to under `beacon_scope: external`; a name (no address) counts as external. */
const EXTERNAL = "(dst_class IS NULL OR dst_class IN ('public', 'cgnat'))";

export async function detectBeaconing(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, source, destination, destinationPort: port } = context.columns;
  if (time === undefined || source === undefined || destination === undefined) return { found: 0, listed: [] };
  const [t, s, d] = [q(time.name), q(source.name), q(destination.name)];
  const keyOf = (ref: string): string => `hash(${ref}${s}, ${ref}${d}${port === undefined ? '' : `, ${ref}${q(port.name)}`})`;
  // The pair is hashed to one number: sorting a million rows by a number is twice as fast as by three columns.
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __beacons AS
     WITH e AS (SELECT ${keyOf('')} AS k, epoch_us(${t}) AS t FROM ${table} WHERE ${t} IS NOT NULL AND ${s} IS NOT NULL AND ${d} IS NOT NULL),
     g AS (SELECT k, t, (t - lag(t) OVER (PARTITION BY k ORDER BY t)) / 1e6 AS gap FROM e),
     pairs AS (
       SELECT k, count(*) AS events, min(t) AS first_us, max(t) AS last_us,
              count(gap) FILTER (WHERE gap >= $2) AS beats,
              quantile_cont(gap, [0.25, 0.5, 0.75]) FILTER (WHERE gap >= $2) AS q,
              avg(gap) FILTER (WHERE gap >= $2) AS mean, stddev_pop(gap) FILTER (WHERE gap >= $2) AS sd
       FROM g GROUP BY k HAVING count(*) >= $1)
     SELECT k, events, first_us, last_us, mean, q[2] AS median, sd / mean AS cv, 0.7413 * (q[3] - q[1]) / q[2] AS robust_cv
     FROM pairs WHERE beats >= $1 - 1 AND q[2] >= greatest($2, 0.001) AND 0.7413 * (q[3] - q[1]) / q[2] <= $3`,
    [params.beacon_min_events, params.beacon_min_interval_seconds, params.beacon_max_cv],
    signal,
  );
  const candidates = Number(await sql.scalar('SELECT count(*) FROM __beacons', [], signal));
  if (candidates === 0) {
    await sql.run('DROP TABLE __beacons', [], signal);
    return { found: 0, listed: [] };
  }
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __beacon_rows AS
     SELECT t.${context.rowId} AS row_id, CAST(t.${s} AS VARCHAR) AS src, CAST(t.${d} AS VARCHAR) AS dst, ${port === undefined ? 'NULL' : `CAST(t.${q(port.name)} AS VARCHAR)`} AS port, b.*
     FROM ${table} t JOIN __beacons b ON ${keyOf('t.')} = b.k
     WHERE t.${t} IS NOT NULL`,
    [],
    signal,
  );
  const scope = params.beacon_scope === 'external' ? `WHERE ${EXTERNAL}` : '';
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __beacon_pairs AS
     SELECT * EXCLUDE (o_1, o_2, o_3) FROM (
       SELECT *, ${ipClassFromOctetsSql('dst', 'o')} AS dst_class
       FROM (SELECT *, ${ipOctetsSql('dst', 'o')} FROM (SELECT DISTINCT k, src, dst, port, events, first_us, last_us, mean, median, cv, robust_cv FROM __beacon_rows)))
     ${scope}`,
    [],
    signal,
  );
  const label = quoteLiteral(`beaconing:${destination.name}`);
  const score = `20 + 15 * (1 - robust_cv / $1)`;
  const pair = `src || ' -> ' || dst || coalesce(':' || port, '')`;
  await sql.run(
    `INSERT INTO ${context.findings}
     SELECT row_id, 'anomaly', ${label}, ${score}, '${SOURCE}', ${pair},
            json_object('pair', ${pair}, 'connections', events, 'median_interval_s', round(median, 1), 'robust_cv', round(robust_cv, 3))::VARCHAR
     FROM __beacon_rows WHERE k IN (SELECT k FROM __beacon_pairs)`,
    [params.beacon_max_cv],
    signal,
  );
  const rows = await sql.all(
    `SELECT ${pair} AS pair, src, dst, port, events, round(mean, 1) AS mean_interval_s, round(median, 1) AS median_interval_s, round(cv, 3) AS cv,
            round(robust_cv, 3) AS robust_cv, ${isoFromMicros('first_us')} AS first, ${isoFromMicros('last_us')} AS last, ${score} AS score
     FROM __beacon_pairs ORDER BY robust_cv, events DESC, pair`,
    [params.beacon_max_cv],
    signal,
  );
  const listed = rows.slice(0, params.max_listed).map((r) => ({
    source: r['src'] ?? null, destination: r['dst'] ?? null, port: r['port'] === null || r['port'] === undefined ? null : Number(r['port']),
    connections: Number(r['events']), mean_interval_s: r['mean_interval_s'] ?? null, median_interval_s: r['median_interval_s'] ?? null,
    cv: r['cv'] ?? null, robust_cv: r['robust_cv'] ?? null, first: r['first'] ?? null, last: r['last'] ?? null,
  }));
  for (const [i, item] of listed.entries()) {
    const { score: pairScore, pair: entity } = { score: Number(rows[i]?.['score']), pair: plainText(rows[i]?.['pair']) };
    await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, $1, '${SOURCE}', $2, $3)`, [pairScore, entity, JSON.stringify(item)], signal);
  }
  for (const temp of ['__beacon_pairs', '__beacon_rows', '__beacons']) await sql.run(`DROP TABLE ${temp}`, [], signal);
  return { found: rows.length, listed };
}

