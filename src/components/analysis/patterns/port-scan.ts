// Port scans and host sweeps: one source touching many distinct destination ports (`scan_min_ports`) or hosts
// (`scan_min_hosts`) within one window of `scan_window_minutes`. Windows are consecutive, not sliding (one grouped
// pass instead of a distinct count per row); a scan that straddles two windows needs the threshold in one of them.
// Findings: every connection of the source in a scanning window (row-level, `port-scan:<source column>`, score 20-35
// by how far past the threshold it went), and one finding about the data per source (row_id NULL) with the evidence.
import { quoteLiteral } from '../../../data/sql-text.js';
import { isoFromMicros, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { plainText } from '../../../data/plain-value.js';

export async function detectPortScans(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, source, destination, destinationPort: port } = context.columns;
  if (time === undefined || source === undefined || (destination === undefined && port === undefined)) return { found: 0, listed: [] };
  const [t, s] = [q(time.name), q(source.name)];
  const width = Math.max(1, Math.round(params.scan_window_minutes * 60_000_000));
  const bucket = `epoch_us(${t}) // ${width}`;
  const tBucket = `epoch_us(t.${t}) // ${width}`;
  const distinct = (count: (column: string) => string): string =>
    `${port === undefined ? 'NULL' : count(q(port.name))} AS ports, ${destination === undefined ? 'NULL' : count(q(destination.name))} AS hosts`;
  // Two stages: HyperLogLog counts screen every window (a third of the cost of exact distinct counts over ~100k
  // windows), with a margin for its ~2% error; exact counts are then taken over the few windows that pass.
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __scan_candidates AS
     SELECT * FROM (SELECT CAST(${s} AS VARCHAR) AS src, ${bucket} AS bucket, ${distinct((c) => `approx_count_distinct(${c})`)} FROM ${table} WHERE ${t} IS NOT NULL AND ${s} IS NOT NULL GROUP BY ALL)
     WHERE ports >= 0.9 * $1 OR hosts >= 0.9 * $2`,
    [params.scan_min_ports, params.scan_min_hosts],
    signal,
  );
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __scans AS
     SELECT * FROM (
       SELECT CAST(t.${s} AS VARCHAR) AS src, ${tBucket} AS bucket, ${distinct((c) => `count(DISTINCT t.${c})`)}, count(*) AS events,
              min(epoch_us(t.${t})) AS first_us, max(epoch_us(t.${t})) AS last_us
       FROM ${table} t SEMI JOIN __scan_candidates c ON CAST(t.${s} AS VARCHAR) = c.src AND ${tBucket} = c.bucket
       GROUP BY ALL)
     WHERE ports >= $1 OR hosts >= $2`,
    [params.scan_min_ports, params.scan_min_hosts],
    signal,
  );
  await sql.run('DROP TABLE __scan_candidates', [], signal);
  const label = quoteLiteral(`port-scan:${source.name}`);
  const score = `20 + least(15, 5 * (greatest(coalesce(ports, 0) / $1, coalesce(hosts, 0) / $2) - 1))`;
  await sql.run(
    `INSERT INTO ${context.findings}
     SELECT t.${context.rowId}, 'anomaly', ${label}, ${score}, '${SOURCE}', sc.src,
            json_object('window_start', ${isoFromMicros(`sc.bucket * ${width}`)}, 'window_minutes', $3, 'distinct_ports', sc.ports, 'distinct_hosts', sc.hosts, 'events', sc.events)::VARCHAR
     FROM ${table} t JOIN __scans sc ON CAST(t.${s} AS VARCHAR) = sc.src AND epoch_us(t.${t}) // ${width} = sc.bucket`,
    [params.scan_min_ports, params.scan_min_hosts, params.scan_window_minutes],
    signal,
  );
  const rows = await sql.all(
    `SELECT src, count(*) AS windows, max(ports) AS max_ports, max(hosts) AS max_hosts, sum(events) AS events,
            ${isoFromMicros('min(first_us)')} AS first, ${isoFromMicros('max(last_us)')} AS last, max(${score}) AS score
     FROM __scans GROUP BY src ORDER BY greatest(coalesce(max(ports), 0) / $1, coalesce(max(hosts), 0) / $2) DESC, src`,
    [params.scan_min_ports, params.scan_min_hosts],
    signal,
  );
  await sql.run('DROP TABLE __scans', [], signal);
  const listed = rows.slice(0, params.max_listed).map((r) => ({
    source: r['src'] ?? null, windows: Number(r['windows']), max_distinct_ports: r['max_ports'] ?? null, max_distinct_hosts: r['max_hosts'] ?? null,
    events: Number(r['events']), window_minutes: params.scan_window_minutes, first: r['first'] ?? null, last: r['last'] ?? null,
  }));
  for (const [i, item] of listed.entries()) {
    await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, $1, '${SOURCE}', $2, $3)`, [Number(rows[i]?.['score']), plainText(item.source), JSON.stringify(item)], signal);
  }
  return { found: rows.length, listed };
}
