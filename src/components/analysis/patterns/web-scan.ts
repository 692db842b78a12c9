// Web vulnerability scans: one client requesting many distinct paths (`web_scan_min_paths`) within one window of
// `scan_window_minutes`, enough of them answered with an error (`web_scan_min_errors`, and `web_scan_min_error_share`
// of its requests; 4xx for paths that do not exist or are refused, 5xx for probes that broke the application): how
// Acunetix, Netsparker, w3af or nikto look in an access log. A busy user of a site requests far fewer distinct paths,
// and seldom failing ones. Measured on the Acunetix scan of ../shared/data/web-logs: 350 and 486 distinct paths in its
// two busiest 10-minute windows, 9-35% of the requests answered 4xx/5xx (its target answered mostly 303 and 500, few
// 404). Windows are consecutive, as for port scans.
// Findings: every request of the client in a scanning window (row-level, `web-scan:<client column>`, score 20-35 by
// how far past the path threshold it went), and one finding about the data per client (row_id NULL) with the evidence.
import { quoteLiteral } from '../../../data/sql-text.js';
import { plainText } from '../../../data/plain-value.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { isoFromMicros, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { isStatusCode } from './failure-condition.js';
import { isNumeric, nameWords } from './pattern-columns.js';

/** The HTTP status column: numeric, named status (`status`, `sc-status`, `status_code`, `response_code`). */
export function statusColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  return columns.find((c) => isNumeric(c) && isStatusCode(nameWords(c.name)));
}

/** The requested path or URL: the access log's `path`, a `uri`/`url` column, `cs-uri-stem`. */
export function requestPathColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  const named = (c: DatasetColumn): boolean => {
    const words = nameWords(c.name);
    return c.sqlType === 'VARCHAR' && (words.includes('path') || words.includes('uri') || words.includes('url') || words.join('_') === 'cs_uri_stem');
  };
  return columns.find((c) => named(c) && c.role !== 'text') ?? columns.find((c) => c.role === 'url');
}

export async function detectWebScans(context: DetectorContext, columns: readonly DatasetColumn[]): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, source } = context.columns;
  const status = statusColumn(columns);
  const path = requestPathColumn(columns);
  if (time === undefined || source === undefined || status === undefined || path === undefined) return { found: 0, listed: [] };
  const [t, s, st, p] = [q(time.name), q(source.name), q(status.name), q(path.name)];
  const width = Math.max(1, Math.round(params.scan_window_minutes * 60_000_000));
  const bucket = (alias: string): string => `epoch_us(${alias}${t}) // ${width}`;
  // Two stages, as for port scans: the error counts and HyperLogLog path counts screen every window, with a margin for
  // its ~2% error; exact distinct paths are then counted over the few windows that pass (measured on 1M requests:
  // exact counts in every window 0.75 s).
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __web_scan_candidates AS
     SELECT * FROM (
       SELECT CAST(${s} AS VARCHAR) AS src, ${bucket('')} AS bucket, approx_count_distinct(${p}) AS paths, count(*) AS requests,
              sum(CASE WHEN ${st} BETWEEN 400 AND 599 THEN 1 ELSE 0 END) AS errors
       FROM ${table} WHERE ${t} IS NOT NULL AND ${s} IS NOT NULL AND ${p} IS NOT NULL GROUP BY ALL)
     WHERE errors >= $2 AND errors >= $3 * requests AND paths >= 0.9 * $1`,
    [params.web_scan_min_paths, params.web_scan_min_errors, params.web_scan_min_error_share],
    signal,
  );
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __web_scans AS
     SELECT * FROM (
       SELECT CAST(t.${s} AS VARCHAR) AS src, ${bucket('t.')} AS bucket, count(DISTINCT t.${p}) AS paths, count(*) AS requests,
              sum(CASE WHEN t.${st} BETWEEN 400 AND 599 THEN 1 ELSE 0 END) AS errors,
              min(epoch_us(t.${t})) AS first_us, max(epoch_us(t.${t})) AS last_us
       FROM ${table} t SEMI JOIN __web_scan_candidates c ON CAST(t.${s} AS VARCHAR) = c.src AND ${bucket('t.')} = c.bucket
       WHERE t.${p} IS NOT NULL
       GROUP BY ALL)
     WHERE paths >= $1 AND errors >= $2 AND errors >= $3 * requests`,
    [params.web_scan_min_paths, params.web_scan_min_errors, params.web_scan_min_error_share],
    signal,
  );
  await sql.run('DROP TABLE __web_scan_candidates', [], signal);
  const label = quoteLiteral(`web-scan:${source.name}`);
  const score = `20 + least(15, 5 * (paths / $1 - 1))`;
  await sql.run(
    `INSERT INTO ${context.findings}
     SELECT t.${context.rowId}, 'anomaly', ${label}, ${score}, '${SOURCE}', w.src,
            json_object('window_start', ${isoFromMicros(`w.bucket * ${width}`)}, 'window_minutes', $2, 'distinct_paths', w.paths, 'requests', w.requests, 'errors', w.errors)::VARCHAR
     FROM ${table} t JOIN __web_scans w ON CAST(t.${s} AS VARCHAR) = w.src AND ${bucket('t.')} = w.bucket`,
    [params.web_scan_min_paths, params.scan_window_minutes],
    signal,
  );
  const rows = await sql.all(
    `SELECT src, count(*) AS windows, max(paths) AS max_paths, sum(requests) AS requests, sum(errors) AS errors,
            ${isoFromMicros('min(first_us)')} AS first, ${isoFromMicros('max(last_us)')} AS last, max(${score}) AS score
     FROM __web_scans GROUP BY src ORDER BY max(paths) DESC, src`,
    [params.web_scan_min_paths],
    signal,
  );
  await sql.run('DROP TABLE __web_scans', [], signal);
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
