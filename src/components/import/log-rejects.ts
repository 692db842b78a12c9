// Lines the engine set aside while reading a log (its rejects table): counted once per line and listed by line number,
// so an import reports what it could not read instead of dropping it silently.
import { plainText } from '../../data/plain-value.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';

/** How many lines a message or a summary names. */
export const LISTED_LINES = 10;

export interface LogRejects {
  readonly count: number;
  readonly lines: readonly { file: string; line: number; problem: string }[];
}

/**
 * `skipHashLines`: Zeek's `#close` trailer (and the header of a log appended to another) are not errors.
 * `files` maps the engine's file ids (in the order read) to the names the user gave.
 */
export async function readLogRejects(sql: SqlSession, table: string, files: readonly string[], options: { skipHashLines: boolean; signal: AbortSignal }): Promise<LogRejects> {
  const where = options.skipHashLines ? `WHERE NOT starts_with(csv_line, '#')` : '';
  const source = quoteIdent(table);
  const count = Number(await sql.scalar(`SELECT count(DISTINCT (file_id, line)) FROM ${source} ${where}`, [], options.signal));
  if (count === 0) return { count, lines: [] };
  const rows = await sql.all(
    `SELECT file_id, line, any_value(error_type) AS error_type, any_value(error_message) AS message FROM ${source} ${where} GROUP BY file_id, line ORDER BY file_id, line LIMIT ${LISTED_LINES}`,
    [],
    options.signal,
  );
  return {
    count,
    lines: rows.map((r) => ({ file: files[Number(r['file_id'])] ?? files[0] ?? '', line: Number(r['line']), problem: problemOf(plainText(r['error_type']), plainText(r['message'])) })),
  };
}

/** `file.log:12 (expected 22 fields, found 3)` for messages. */
export function describeRejects(rejects: LogRejects): string {
  const listed = rejects.lines.map((l) => `${l.file}:${l.line} (${l.problem})`).join(', ');
  return `${listed}${rejects.count > rejects.lines.length ? ', ...' : ''}`;
}

function problemOf(type: string, message: string): string {
  const found = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (found !== null) return `expected ${found[1] ?? '?'} fields, found ${found[2] ?? '?'}`;
  if (type === 'CAST') {
    const cast = /converting column "([^"]*)"/.exec(message);
    return `a value that is not of its column's type${cast?.[1] === undefined ? '' : ` (${cast[1]})`}`;
  }
  if (type === 'LINE SIZE OVER MAXIMUM') return 'line longer than max_line_bytes';
  if (type === 'INVALID ENCODING' || type === 'INVALID UNICODE') return 'bytes that are not UTF-8';
  return type.toLowerCase();
}
