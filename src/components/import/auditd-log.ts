// Loads Linux audit daemon logs in the engine: one row per audit record, with the node, record type, UTC time and
// event serial of its `audit(time:serial)` stamp, one column per field name found in the files (values unquoted, the
// hex forms of EXECVE arguments and PROCTITLE decoded), and `command_line`: the program and its arguments for EXECVE
// and PROCTITLE records, as an analyst reads them. The fields of user-space records (`msg='op=login acct=...'`) are
// read as fields too. A line that is not an audit record is kept with only its `raw` text and reported.
import { plainText } from '../../data/plain-value.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { ROW_ID_COLUMN } from '../../model/dataset.js';
import { AUDITD_FIELD_PATTERN, AUDITD_FIXED_COLUMNS, AUDITD_GROUPS, AUDITD_PATTERN, MAX_AUDITD_FIELDS } from '../../data/logs/auditd-format.js';
import { wholeLineReaderOptions } from './log-lines.js';
import { LISTED_LINES, readLogRejects, type LogRejects } from './log-rejects.js';
import type { LogFile } from './zeek-log.js';

export interface AuditdLoad {
  /** Lines that are not audit records (kept with their `raw` text). */
  readonly unparsed: number;
  readonly firstUnparsed: readonly { file: string; line: number }[];
  /** Distinct field names found; those past MAX_AUDITD_FIELDS were left in `raw` only. */
  readonly fields: number;
  readonly rejects: LogRejects;
}

/** Hex text of even length: how auditd writes a value holding spaces, quotes or control bytes. */
const HEX_VALUE = '^([0-9A-Fa-f]{2})+$';

export async function loadAuditdLogs(sql: SqlSession, table: string, files: readonly LogFile[], options: { stagingTable: string; maxLineBytes: number; signal: AbortSignal }): Promise<AuditdLoad> {
  const parsed = quoteIdent(`${options.stagingTable}_parsed`);
  const staging = quoteIdent(options.stagingTable);
  let rejectCount = 0;
  const rejectLines: LogRejects['lines'][number][] = [];
  try {
    for (const [i, file] of files.entries()) {
      const rejects = `${options.stagingTable}_rejects`;
      try {
        await sql.run(`CREATE TABLE ${staging} AS SELECT line FROM read_csv(${quoteLiteral(file.absolute)}, ${wholeLineReaderOptions(rejects, options.maxLineBytes)})`, [], options.signal);
        const select = recordsSelect(staging, files.length > 1 ? file.display : null, i);
        await sql.run(i === 0 ? `CREATE TABLE ${parsed} AS ${select}` : `INSERT INTO ${parsed} ${select}`, [], options.signal);
        const found = await readLogRejects(sql, rejects, [file.display], { skipHashLines: false, signal: options.signal });
        rejectCount += found.count;
        rejectLines.push(...found.lines);
      } finally {
        await sql.run(`DROP TABLE IF EXISTS ${staging}`, [], options.signal);
        await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`, [], options.signal);
        await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(`${rejects}_scan`)}`, [], options.signal);
      }
    }
    const names = await fieldNames(sql, parsed, options.signal);
    const fixed = new Set<string>(AUDITD_FIXED_COLUMNS.map((c) => c.toLowerCase()));
    // A field named like a fixed column (or like another field but for case: column names ignore case) is renamed.
    // `rowid` and CS Helper's row id too: a column of either name would hide the row id findings point at.
    const taken = new Set<string>([...fixed, 'source_file', 'rowid', ROW_ID_COLUMN]);
    const columns = names.slice(0, MAX_AUDITD_FIELDS).map((name) => {
      let column = name;
      while (taken.has(column.toLowerCase())) column = `field_${column}`;
      taken.add(column.toLowerCase());
      return `CASE WHEN list_position(k, ${quoteLiteral(name)}) > 0 THEN v[list_position(k, ${quoteLiteral(name)})] END AS ${quoteIdent(column)}`;
    });
    const unparsed = await sql.all(`SELECT file_index, pos FROM ${parsed} WHERE type IS NULL ORDER BY file_index, pos LIMIT ${LISTED_LINES}`, [], options.signal);
    const unparsedCount = Number(await sql.scalar(`SELECT count(*) FROM ${parsed} WHERE type IS NULL`, [], options.signal));
    await sql.run(
      `CREATE TABLE ${quoteIdent(table)} AS SELECT node, type, "timestamp", serial, ${columns.length > 0 ? `${columns.join(', ')}, ` : ''}command_line, raw${files.length > 1 ? ', source_file' : ''}
       FROM ${parsed} ORDER BY file_index, pos`,
      [],
      options.signal,
    );
    return {
      unparsed: unparsedCount,
      firstUnparsed: unparsed.map((r) => ({ file: files[Number(r['file_index'])]?.display ?? '', line: Number(r['pos']) + 1 })),
      fields: names.length,
      rejects: { count: rejectCount, lines: rejectLines.slice(0, LISTED_LINES) },
    };
  } finally {
    await sql.run(`DROP TABLE IF EXISTS ${parsed}`, [], options.signal);
  }
}

/** Field names by how many records hold them (then by name), so the cap keeps the common ones. */
async function fieldNames(sql: SqlSession, parsed: string, signal: AbortSignal): Promise<string[]> {
  const rows = await sql.all(`SELECT name, count(*) AS n FROM (SELECT unnest(list_distinct(k)) AS name FROM ${parsed}) GROUP BY name ORDER BY n DESC, name`, [], signal);
  return rows.map((r) => plainText(r['name']));
}

/**
 * One pass over the lines: the stamp's parts, the field names `k` and values `v` (unquoted; hex decoded where auditd
 * writes hex), and the command line. `pos` and `file_index` keep the lines' order and place for the report.
 */
function recordsSelect(staging: string, sourceFile: string | null, fileIndex: number): string {
  const groups = `[${AUDITD_GROUPS.map((g) => quoteLiteral(g)).join(', ')}]`;
  // A user-space record's fields sit inside msg='...': unwrapped so they read like the kernel's. The enriched
  // format's translated fields (after 0x1d) repeat others in upper case, which column names cannot tell apart.
  const fields = `regexp_replace(split_part(h.fields, chr(29), 1), ${quoteLiteral("msg='([^']*)'")}, '\\1')`;
  const decoded = (value: string): string => `coalesce(try(replace(decode(unhex(${value})), chr(0), ' ')), ${value})`;
  // Hex where auditd writes it: every PROCTITLE, and EXECVE arguments that are not quoted.
  const value = (raw: string, key: string): string =>
    `CASE WHEN starts_with(${raw}, '"') OR starts_with(${raw}, '''') THEN ${raw}[2:-2]
          WHEN ((h.type = 'PROCTITLE' AND ${key} = 'proctitle') OR (h.type = 'EXECVE' AND regexp_full_match(${key}, 'a[0-9]+'))) AND regexp_full_match(${raw}, ${quoteLiteral(HEX_VALUE)}) THEN ${decoded(raw)}
          ELSE ${raw} END`;
  return `
    WITH lines AS (
      SELECT rowid AS pos, line FROM ${staging} WHERE line IS NOT NULL AND trim(line) <> ''
    ), headed AS (
      SELECT pos, line, regexp_extract(line, ${quoteLiteral(AUDITD_PATTERN)}, ${groups}) AS h FROM lines
    ), split AS (
      SELECT pos, line, h, regexp_extract_all(${fields}, ${quoteLiteral(AUDITD_FIELD_PATTERN)}, 1) AS k, regexp_extract_all(${fields}, ${quoteLiteral(AUDITD_FIELD_PATTERN)}, 2) AS raw_values
      FROM headed
    ), valued AS (
      SELECT pos, line, h, CASE WHEN h.type <> '' THEN k ELSE [] END AS k,
             CASE WHEN h.type <> '' THEN list_transform(list_zip(k, raw_values), p -> ${value('p[2]', 'p[1]')}) ELSE [] END AS v
      FROM split
    )
    SELECT
      nullif(h.node, '') AS node,
      nullif(h.type, '') AS type,
      -- The stamp is Unix epoch seconds, a UTC instant: zoned, so it exports with its Z.
      CASE WHEN h.type <> '' THEN timezone('UTC', make_timestamp((TRY_CAST(h.seconds AS BIGINT) * 1000000 + coalesce(TRY_CAST(rpad(left(h.fraction, 6), 6, '0') AS BIGINT), 0)))) END AS "timestamp",
      TRY_CAST(nullif(h.serial, '') AS UBIGINT) AS serial,
      k, v,
      CASE
        WHEN h.type = 'EXECVE' THEN nullif(array_to_string(list_transform(list_filter(list_zip(k, v), p -> regexp_full_match(p[1], 'a[0-9]+')), p -> p[2]), ' '), '')
        WHEN h.type = 'PROCTITLE' AND list_position(k, 'proctitle') > 0 THEN trim(v[list_position(k, 'proctitle')])
      END AS command_line,
      CASE WHEN h.type = '' THEN line END AS raw,
      ${sourceFile === null ? 'NULL::VARCHAR' : quoteLiteral(sourceFile)} AS source_file,
      pos,
      ${fileIndex}::INTEGER AS file_index
    FROM valued`;
}
