// Loads Apache/Nginx access logs (combined or common format) in the engine: lines are read whole by the CSV reader
// (no quote, a delimiter no text log holds), then split by one RE2 pattern. Times become UTC timestamps; `\"` and `\\`
// escapes are undone. A line that does not fit the format is kept with only its `raw` text (or set aside with
// unparsed = 'skip'); a line that fits but whose time or request cannot be read keeps its fields and its `raw` text.
// Either way the count and the first line numbers are reported: nothing is dropped silently.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { ACCESS_LOG_GROUPS, ACCESS_LOG_PATTERN } from '../../data/logs/access-log-format.js';
import { wholeLineReaderOptions } from './log-lines.js';
import { matchField, matchedLinesSql, unescapeQuoted } from './access-log-sql.js';
import { s3ParsedSelect } from './s3-access-log.js';
import { LISTED_LINES, readLogRejects, type LogRejects } from './log-rejects.js';
import type { LogFile } from './zeek-log.js';

export interface AccessLogLoad {
  /** Lines that did not fit the format at all (kept as `raw` only, or skipped). */
  readonly unparsed: number;
  /** Lines that fit but whose time or request could not be read (kept with their `raw` text). */
  readonly partial: number;
  readonly blankLines: number;
  /** The first lines not read in full, with the file they are in. */
  readonly lines: readonly { file: string; line: number; problem: string }[];
  /** Lines the reader set aside (too long, not UTF-8). */
  readonly rejects: LogRejects;
}

export async function loadAccessLogs(
  sql: SqlSession,
  table: string,
  files: readonly LogFile[],
  options: { stagingTable: string; maxLineBytes: number; keepUnparsed: boolean; signal: AbortSignal; format?: AccessLogFormat },
): Promise<AccessLogLoad> {
  const format = options.format ?? COMBINED;
  let unparsed = 0;
  let partial = 0;
  let blankLines = 0;
  const lines: AccessLogLoad['lines'][number][] = [];
  const rejectLines: LogRejects['lines'][number][] = [];
  let rejectCount = 0;
  const staging = quoteIdent(options.stagingTable);
  const parsed = `${options.stagingTable}_parsed`;
  try {
    for (const [i, file] of files.entries()) {
      const rejects = `${options.stagingTable}_rejects`;
      try {
        await sql.run(`CREATE TABLE ${staging} AS SELECT line FROM read_csv(${quoteLiteral(file.absolute)}, ${wholeLineReaderOptions(rejects, options.maxLineBytes)})`, [], options.signal);
        // The parsed rows keep their position among the lines read (`pos`) until the report is made, then lose it.
        const select = format.select(staging, files.length > 1 ? file.display : null, i);
        await sql.run(i === 0 ? `CREATE TABLE ${quoteIdent(parsed)} AS ${select}` : `INSERT INTO ${quoteIdent(parsed)} ${select}`, [], options.signal);
        const counts = await sql.all(
          `SELECT count(*) FILTER (WHERE raw IS NOT NULL AND client_ip IS NULL) AS unparsed, count(*) FILTER (WHERE raw IS NOT NULL AND client_ip IS NOT NULL) AS partial FROM ${quoteIdent(parsed)} WHERE file_index = ${i}`,
          [],
          options.signal,
        );
        unparsed += Number(counts[0]?.['unparsed'] ?? 0);
        partial += Number(counts[0]?.['partial'] ?? 0);
        blankLines += Number(await sql.scalar(`SELECT count(*) FROM ${staging} WHERE line IS NULL OR trim(line) = ''`, [], options.signal));
        const found = await readLogRejects(sql, rejects, [file.display], { skipHashLines: false, signal: options.signal });
        rejectCount += found.count;
        rejectLines.push(...found.lines);
        if (lines.length < LISTED_LINES) lines.push(...(await firstBadLines(sql, { table: parsed, rejects, file: file.display, index: i, formatName: format.name, signal: options.signal })));
      } finally {
        await sql.run(`DROP TABLE IF EXISTS ${staging}`, [], options.signal);
        await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`, [], options.signal);
        await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(`${rejects}_scan`)}`, [], options.signal);
      }
    }
    // The bookkeeping columns go, and skipped lines with them, in one order-preserving copy: rowids stay 0..n-1.
    const dropped = ['pos', 'file_index', ...(files.length === 1 ? ['source_file'] : [])].map((c) => quoteIdent(c)).join(', ');
    const keep = options.keepUnparsed ? '' : ' WHERE NOT (raw IS NOT NULL AND client_ip IS NULL)';
    await sql.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT * EXCLUDE (${dropped}) FROM ${quoteIdent(parsed)}${keep}`, [], options.signal);
  } finally {
    await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(parsed)}`, [], options.signal);
  }
  return { unparsed, partial, blankLines, lines: lines.slice(0, LISTED_LINES), rejects: { count: rejectCount, lines: rejectLines.slice(0, LISTED_LINES) } };
}

/** A line format the loader reads: the SELECT that splits the lines, and its name for messages. */
export interface AccessLogFormat {
  readonly name: string;
  readonly select: (staging: string, sourceFile: string | null, fileIndex: number) => string;
}

export const COMBINED: AccessLogFormat = { name: 'combined or common log format', select: parsedSelect };
export const S3_ACCESS: AccessLogFormat = { name: 'S3 server access log format', select: s3ParsedSelect };

/** One pass of the pattern over the lines: the fields, typed, and `raw` for a line not read in full. */
function parsedSelect(staging: string, sourceFile: string | null, fileIndex: number): string {
  const field = matchField;
  const text = (name: string): string => `CASE WHEN ok AND ${field(name)} NOT IN ('', '-') THEN ${unescapeQuoted(field(name))} END`;
  return `${matchedLinesSql(staging, ACCESS_LOG_PATTERN, ACCESS_LOG_GROUPS)}
    SELECT
      CASE WHEN ok THEN ${field('client_ip')} END AS client_ip,
      CASE WHEN ok AND ${field('ident')} <> '-' THEN ${field('ident')} END AS ident,
      CASE WHEN ok AND ${field('user')} <> '-' THEN ${field('user')} END AS "user",
      CASE WHEN ok THEN ts END AS "timestamp",
      CASE WHEN ok AND r.method <> '' THEN r.method END AS method,
      CASE WHEN ok AND r.method <> '' THEN r.path END AS path,
      CASE WHEN ok AND r.protocol <> '' THEN r.protocol END AS protocol,
      CASE WHEN ok THEN TRY_CAST(${field('status')} AS INTEGER) END AS status,
      CASE WHEN ok THEN (CASE WHEN ${field('bytes')} = '-' THEN 0 ELSE TRY_CAST(${field('bytes')} AS BIGINT) END) END AS bytes,
      ${text('referrer')} AS referrer,
      ${text('user_agent')} AS user_agent,
      CASE WHEN NOT ok OR ts IS NULL OR r.method = '' THEN line END AS raw,
      ${sourceFile === null ? 'NULL::VARCHAR' : quoteLiteral(sourceFile)} AS source_file,
      pos,
      ${fileIndex}::INTEGER AS file_index
    FROM fields`;
}

/**
 * Line numbers of the first rows not read in full. The reader's positions skip the lines it set aside, so a row's
 * line is its position plus the set-aside lines before it.
 */
async function firstBadLines(sql: SqlSession, where: { table: string; rejects: string; file: string; index: number; formatName: string; signal: AbortSignal }): Promise<{ file: string; line: number; problem: string }[]> {
  const rows = await sql.all(
    `WITH bad AS (SELECT pos, client_ip IS NULL AS unparsed FROM ${quoteIdent(where.table)} WHERE file_index = ${where.index} AND raw IS NOT NULL ORDER BY pos LIMIT ${LISTED_LINES}),
     aside AS (SELECT line - row_number() OVER (ORDER BY line) AS kept_before FROM (SELECT DISTINCT line FROM ${quoteIdent(where.rejects)}))
     SELECT pos + 1 + (SELECT count(*) FROM aside WHERE kept_before <= pos) AS line, unparsed FROM bad ORDER BY pos`,
    [],
    where.signal,
  );
  return rows.map((r) => ({ file: where.file, line: Number(r['line']), problem: r['unparsed'] === true ? `not in the ${where.formatName}` : 'time or request not readable' }));
}
