// Loads Zeek TSV logs with the engine's CSV reader, columns named and typed from the log's own #fields/#types header:
// time -> TIMESTAMP WITH TIME ZONE (epoch seconds are UTC instants, so they export with their `Z`), count/int ->
// BIGINT, port -> INTEGER, interval/double -> DOUBLE, bool -> BOOLEAN, set[..]/vector[..] -> VARCHAR[], the rest (addr,
// string, enum, subnet) VARCHAR. The unset field (`-`) is NULL, the empty field (`(empty)`) an empty string or an empty
// list. `#` lines (the `#close` trailer) are not data; a data line the reader cannot take is reported with its line
// number.
import { open } from 'node:fs/promises';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { parseZeekHeader, zeekColumnKind, type ZeekColumnKind, type ZeekHeader } from '../../data/logs/zeek-header.js';
import { readLogRejects, type LogRejects } from './log-rejects.js';

export interface LogFile {
  readonly display: string;
  readonly absolute: string;
}

export interface LogLoad {
  readonly rejects: LogRejects;
  readonly path: string | null;
}

const HEADER_BYTES = 256 * 1024;
const READ_TYPES: Readonly<Record<ZeekColumnKind, string>> = { time: 'DOUBLE', integer: 'BIGINT', port: 'INTEGER', number: 'DOUBLE', bool: 'BOOLEAN', list: 'VARCHAR', text: 'VARCHAR' };
/** Epoch seconds the engine's timestamps hold (years 1 to 9999); others are not times. */
const FIRST_SECOND = -62_135_596_800;
const LAST_SECOND = 253_402_300_799;

export async function readZeekHeader(file: LogFile): Promise<ZeekHeader> {
  const handle = await open(file.absolute, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    text = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const header = parseZeekHeader(text, file.display);
  if (header === null) throw new InputFileError(file.display, 'malformed', 'not a Zeek log: the first line is not #separator', { line: 1, hint: 'Zeek TSV logs start with their #separator, #fields and #types header' });
  return header;
}

/** Loads the logs into `table`; every file must be the same log (`#path`), their fields are stacked by name. */
export async function loadZeekLogs(sql: SqlSession, table: string, files: readonly LogFile[], options: { rejectsTable: string; maxLineBytes: number; signal: AbortSignal }): Promise<LogLoad> {
  const headers: ZeekHeader[] = [];
  for (const file of files) headers.push(await readZeekHeader(file));
  const path = headers[0]?.path ?? null;
  headers.forEach((header, i) => {
    if (header.path !== path) {
      throw new InputFileError(files[i]?.display ?? '', 'unsupported', `is a Zeek '${header.path ?? '?'}' log, while ${files[0]?.display ?? ''} is a '${path ?? '?'}' log; one workflow reads one kind of log`, {
        hint: 'run one workflow per log (conn, dns, http, ...)',
      });
    }
  });
  let lines = 0;
  const listed: LogRejects['lines'][number][] = [];
  const columns = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    const header = headers[i];
    if (header === undefined) continue;
    const rejects = `${options.rejectsTable}_${i}`;
    const select = zeekSelect(file, header, { rejects, maxLineBytes: options.maxLineBytes, sourceFile: files.length > 1 });
    try {
      if (i === 0) {
        await sql.run(`CREATE TABLE ${quoteIdent(table)} AS ${select}`, [], options.signal);
      } else {
        // A newer Zeek adds fields (ip_proto): the table grows to hold them, older rows get NULL.
        for (const column of await sql.describe(select, options.signal)) {
          if (!columns.has(column.name)) await sql.run(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${quoteIdent(column.name)} ${column.sqlType}`, [], options.signal);
        }
        await sql.run(`INSERT INTO ${quoteIdent(table)} BY NAME ${select}`, [], options.signal);
      }
      for (const column of await sql.describe(`SELECT * FROM ${quoteIdent(table)}`, options.signal)) columns.set(column.name, column.sqlType);
      const found = await readLogRejects(sql, rejects, [file.display], { skipHashLines: true, signal: options.signal });
      lines += found.count;
      listed.push(...found.lines);
    } catch (error) {
      if (error instanceof Error && error.name === 'CancelledError') throw error;
      if (error instanceof InputFileError) throw error;
      throw new InputFileError(file.display, 'malformed', `not readable as a Zeek log: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`, { cause: error });
    } finally {
      await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(rejects)}`, [], options.signal);
      await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(`${rejects}_scan`)}`, [], options.signal);
    }
  }
  return { rejects: { count: lines, lines: listed.slice(0, 10) }, path };
}

function zeekSelect(file: LogFile, header: ZeekHeader, options: { rejects: string; maxLineBytes: number; sourceFile: boolean }): string {
  const kinds = header.types.map(zeekColumnKind);
  const columnTypes = header.fields.map((field, i) => `${quoteLiteral(field)}: ${quoteLiteral(READ_TYPES[kinds[i] ?? 'text'])}`).join(', ');
  const reader = [
    `columns = {${columnTypes}}`,
    `delim = ${quoteLiteral(header.separator)}`,
    "quote = ''",
    "escape = ''",
    'header = false',
    'auto_detect = false',
    // Not comment = '#': the engine would cut data lines at a '#' (URIs with fragments); header lines are skipped, the trailer is set aside.
    `skip = ${header.headerLines}`,
    `nullstr = ${quoteLiteral(header.unsetField)}`,
    `max_line_size = ${options.maxLineBytes}`,
    'store_rejects = true',
    `rejects_table = ${quoteLiteral(options.rejects)}`,
    `rejects_scan = ${quoteLiteral(`${options.rejects}_scan`)}`,
  ];
  const empty = quoteLiteral(header.emptyField);
  const projection = header.fields.map((field, i) => {
    const column = quoteIdent(field);
    switch (kinds[i]) {
      case 'time':
        // Zeek writes Unix epoch seconds: a UTC instant, typed zoned as the CSV reader types `...Z` text, whatever the session's zone.
        return `CASE WHEN ${column} BETWEEN ${FIRST_SECOND} AND ${LAST_SECOND} THEN timezone('UTC', make_timestamp(CAST(round(${column} * 1000000) AS BIGINT))) END AS ${column}`;
      case 'list':
        return `CASE WHEN ${column} = ${empty} THEN []::VARCHAR[] ELSE string_split(${column}, ${quoteLiteral(header.setSeparator)}) END AS ${column}`;
      case 'text':
        return `CASE WHEN ${column} = ${empty} THEN '' ELSE ${column} END AS ${column}`;
      default:
        return column;
    }
  });
  if (options.sourceFile) projection.push(`${quoteLiteral(file.display)} AS source_file`);
  return `SELECT ${projection.join(', ')} FROM read_csv(${quoteLiteral(file.absolute)}, ${reader.join(', ')})`;
}
