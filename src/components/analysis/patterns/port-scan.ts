// Port scans and host sweeps: one source touching many distinct destination ports (`scan_min_ports`) or hosts
// (`scan_min_hosts`) within one window of `scan_window_minutes`. Windows start every half window (scan-windows.ts): a
// scan shorter than half a window is seen whole wherever the clock's boundaries fall; where flagged windows overlap,
// each connection is reported (and counted) in one of them.
// Findings: every connection of the source in a scanning window (row-level, `port-scan:<source column>`, score 20-35
// by how far past the threshold it went), and one finding about the data per source (row_id NULL) with the evidence.
import { quoteLiteral } from '../../../data/sql-text.js';
import { isoFromMicros, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { plainText } from '../../../data/plain-value.js';
import { assignedHalvesSql, candidateWindowsSql, scanWindows, windowHalvesSql } from './scan-windows.js';

export async function detectPortScans(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, source, destination, destinationPort: port } = context.columns;
  if (time === undefined || source === undefined || (destination === undefined && port === undefined)) return { found: 0, listed: [] };
  const [t, s] = [q(time.name), q(source.name)];
  const windows = scanWindows(params.scan_window_minutes);
  const distinct = (count: (column: string) => string): string =>
    `${port === undefined ? 'NULL' : count(q(port.name))} AS ports, ${destination === undefined ? 'NULL' : count(q(destination.name))} AS hosts`;
  // Two stages: HyperLogLog counts per half window screen every window (a third of the cost of exact distinct counts
  // over ~100k windows), with a margin for its ~2% error; exact counts are then taken over the few windows that pass.
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __scan_halves AS
     SELECT CAST(${s} AS VARCHAR) AS src, ${windows.halfOf(t)} AS h, ${distinct((c) => `approx_count_distinct(${c})`)} FROM ${table} WHERE ${t} IS NOT NULL AND ${s} IS NOT NULL GROUP BY ALL`,
    [],
    signal,
  );
  await sql.run(`CREATE OR REPLACE TEMP TABLE __scan_candidates AS ${candidateWindowsSql('__scan_halves', ['ports', 'hosts'], 'ports >= 0.9 * $1 OR hosts >= 0.9 * $2', 'ports >= 0.45 * $1 OR hosts >= 0.45 * $2')}`, [params.scan_min_ports, params.scan_min_hosts], signal);
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __scans AS
     SELECT * FROM (
       SELECT c.src, c.k, ${distinct((c) => `count(DISTINCT t.${c})`)}, count(*) AS events
       FROM ${table} t JOIN (${windowHalvesSql('__scan_candidates')}) c ON CAST(t.${s} AS VARCHAR) = c.src AND ${windows.halfOf(`t.${t}`)} = c.h
       GROUP BY c.src, c.k)
     WHERE ports >= $1 OR hosts >= $2`,
    [params.scan_min_ports, params.scan_min_hosts],
    signal,
  );
  for (const temp of ['__scan_candidates', '__scan_halves']) await sql.run(`DROP TABLE ${temp}`, [], signal);
  // The rows of the flagged windows, each in the one window it is reported in: the one furthest past a threshold.
  const strength = `greatest(coalesce(ports, 0) / ${params.scan_min_ports}, coalesce(hosts, 0) / ${params.scan_min_hosts})`;
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __scan_rows AS
     SELECT t.${context.rowId} AS row_id, a.src, a.k, epoch_us(t.${t}) AS t_us
     FROM ${table} t JOIN (${assignedHalvesSql('__scans', strength)}) a ON CAST(t.${s} AS VARCHAR) = a.src AND ${windows.halfOf(`t.${t}`)} = a.h`,
    [],
    signal,
  );
  const label = quoteLiteral(`port-scan:${source.name}`);
  const score = `20 + least(15, 5 * (greatest(coalesce(ports, 0) / $1, coalesce(hosts, 0) / $2) - 1))`;
  await sql.run(
    `INSERT INTO ${context.findings}
     SELECT r.row_id, 'anomaly', ${label}, ${score}, '${SOURCE}', sc.src,
            json_object('window_start', ${isoFromMicros(windows.startMicros('sc.k'))}, 'window_minutes', $3, 'distinct_ports', sc.ports, 'distinct_hosts', sc.hosts, 'events', sc.events)::VARCHAR
     FROM __scan_rows r JOIN __scans sc USING (src, k)`,
    [params.scan_min_ports, params.scan_min_hosts, params.scan_window_minutes],
    signal,
  );
  const rows = await sql.all(
    `SELECT src, count(DISTINCT k) AS windows, max(ports) AS max_ports, max(hosts) AS max_hosts, count(*) AS events,
            ${isoFromMicros('min(t_us)')} AS first, ${isoFromMicros('max(t_us)')} AS last, max(${score}) AS score
     FROM __scan_rows JOIN __scans USING (src, k) GROUP BY src ORDER BY greatest(coalesce(max(ports), 0) / $1, coalesce(max(hosts), 0) / $2) DESC, src`,
    [params.scan_min_ports, params.scan_min_hosts],
    signal,
  );
  for (const temp of ['__scan_rows', '__scans']) await sql.run(`DROP TABLE ${temp}`, [], signal);
  const listed = rows.slice(0, params.max_listed).map((r) => ({
    source: r['src'] ?? null, windows: Number(r['windows']), max_distinct_ports: r['max_ports'] ?? null, max_distinct_hosts: r['max_hosts'] ?? null,
    events: Number(r['events']), window_minutes: params.scan_window_minutes, first: r['first'] ?? null, last: r['last'] ?? null,
  }));
  for (const [i, item] of listed.entries()) {
    await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, $1, '${SOURCE}', $2, $3)`, [Number(rows[i]?.['score']), plainText(item.source), JSON.stringify(item)], signal);
  }
  return { found: rows.length, listed };
}
