// Web vulnerability scans: one client requesting many distinct paths (`web_scan_min_paths`) within one window of
// `scan_window_minutes`, enough of them answered with an error (`web_scan_min_errors`, and `web_scan_min_error_share`
// of its requests; 4xx for paths that do not exist or are refused, 5xx for probes that broke the application): how
// Acunetix, Netsparker, w3af or nikto look in an access log. A busy user of a site requests far fewer distinct paths,
// and seldom failing ones. Measured on the Acunetix scan of ../shared/data/web-logs: 350 and 486 distinct paths in its
// two busiest 10-minute windows, 9-35% of the requests answered 4xx/5xx (its target answered mostly 303 and 500, few
// 404). Windows start every half window, as for port scans (scan-windows.ts): a scan is not split by the clock.
// Findings: every request of the client in a scanning window (row-level, `web-scan:<client column>`, score 20-35 by
// how far past the path threshold it went), and one finding about the data per client (row_id NULL) with the evidence.
import { quoteLiteral } from '../../../data/sql-text.js';
import { plainText } from '../../../data/plain-value.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { isoFromMicros, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { requestPathColumn, statusColumn } from './http-columns.js';
import { assignedHalvesSql, candidateWindowsSql, scanWindows, windowHalvesSql } from './scan-windows.js';

export async function detectWebScans(context: DetectorContext, columns: readonly DatasetColumn[]): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, source } = context.columns;
  const status = statusColumn(columns);
  const path = requestPathColumn(columns);
  if (time === undefined || source === undefined || status === undefined || path === undefined) return { found: 0, listed: [] };
  const [t, s, st, p] = [q(time.name), q(source.name), q(status.name), q(path.name)];
  const windows = scanWindows(params.scan_window_minutes);
  const errors = (alias: string): string => `sum(CASE WHEN ${alias}${st} BETWEEN 400 AND 599 THEN 1 ELSE 0 END)`;
  // Two stages, as for port scans: the error counts and HyperLogLog path counts per half window screen every window,
  // with a margin for its ~2% error; exact distinct paths are then counted over the few windows that pass (measured
  // on 1M requests: exact counts in every window 0.75 s).
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __web_scan_halves AS
     SELECT CAST(${s} AS VARCHAR) AS src, ${windows.halfOf(t)} AS h, approx_count_distinct(${p}) AS paths, count(*) AS requests, ${errors('')} AS errors
     FROM ${table} WHERE ${t} IS NOT NULL AND ${s} IS NOT NULL AND ${p} IS NOT NULL GROUP BY ALL`,
    [],
    signal,
  );
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __web_scan_candidates AS
     ${candidateWindowsSql('__web_scan_halves', ['paths', 'requests', 'errors'], 'errors >= $2 AND errors >= $3 * requests AND paths >= 0.9 * $1', 'paths >= 0.45 * $1')}`,
    [params.web_scan_min_paths, params.web_scan_min_errors, params.web_scan_min_error_share],
    signal,
  );
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __web_scans AS
     SELECT * FROM (
       SELECT c.src, c.k, count(DISTINCT t.${p}) AS paths, count(*) AS requests, ${errors('t.')} AS errors
       FROM ${table} t JOIN (${windowHalvesSql('__web_scan_candidates')}) c ON CAST(t.${s} AS VARCHAR) = c.src AND ${windows.halfOf(`t.${t}`)} = c.h
       WHERE t.${p} IS NOT NULL
       GROUP BY c.src, c.k)
     WHERE paths >= $1 AND errors >= $2 AND errors >= $3 * requests`,
    [params.web_scan_min_paths, params.web_scan_min_errors, params.web_scan_min_error_share],
    signal,
  );
  for (const temp of ['__web_scan_candidates', '__web_scan_halves']) await sql.run(`DROP TABLE ${temp}`, [], signal);
  // The requests of the flagged windows, each in the one window it is reported in; those without a path (flagged
  // with their window) are not counted as requests, as in the windows' own counts.
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __web_scan_rows AS
     SELECT t.${context.rowId} AS row_id, a.src, a.k, epoch_us(t.${t}) AS t_us, t.${p} IS NOT NULL AS counted,
            t.${p} IS NOT NULL AND coalesce(t.${st} BETWEEN 400 AND 599, false) AS failed
     FROM ${table} t JOIN (${assignedHalvesSql('__web_scans', 'paths')}) a ON CAST(t.${s} AS VARCHAR) = a.src AND ${windows.halfOf(`t.${t}`)} = a.h`,
    [],
    signal,
  );
  const label = quoteLiteral(`web-scan:${source.name}`);
  const score = `20 + least(15, 5 * (paths / $1 - 1))`;
  await sql.run(
    `INSERT INTO ${context.findings}
     SELECT r.row_id, 'anomaly', ${label}, ${score}, '${SOURCE}', w.src,
            json_object('window_start', ${isoFromMicros(windows.startMicros('w.k'))}, 'window_minutes', $2, 'distinct_paths', w.paths, 'requests', w.requests, 'errors', w.errors)::VARCHAR
     FROM __web_scan_rows r JOIN __web_scans w USING (src, k)`,
    [params.web_scan_min_paths, params.scan_window_minutes],
    signal,
  );
  const rows = await sql.all(
    `SELECT src, count(DISTINCT k) AS windows, max(paths) AS max_paths, count(*) FILTER (WHERE counted) AS requests, count(*) FILTER (WHERE failed) AS errors,
            ${isoFromMicros('min(t_us) FILTER (WHERE counted)')} AS first, ${isoFromMicros('max(t_us) FILTER (WHERE counted)')} AS last, max(${score}) AS score
     FROM __web_scan_rows JOIN __web_scans USING (src, k) GROUP BY src ORDER BY max(paths) DESC, src`,
    [params.web_scan_min_paths],
    signal,
  );
  for (const temp of ['__web_scan_rows', '__web_scans']) await sql.run(`DROP TABLE ${temp}`, [], signal);
  const listed = rows.slice(0, params.max_listed).map((r) => ({
    source: r['src'] ?? null,
    windows: Number(r['windows']),
    max_distinct_paths: Number(r['max_paths']),
    requests: Number(r['requests']),
    errors: Number(r['errors']),
    window_minutes: params.scan_window_minutes,
    first: r['first'] ?? null,
    last: r['last'] ?? null,
  }));
  for (const [i, item] of listed.entries()) {
    await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, $1, '${SOURCE}', $2, $3)`, [Number(rows[i]?.['score']), plainText(item.source), JSON.stringify(item)], signal);
  }
  return { found: rows.length, listed };
}
