// The rows the engine set aside while reading a CSV (its rejects table), sorted into what the import does with them:
// ragged rows are kept aside and reported by line; values that did not fit a sniffed type widen their column instead.
import { plainText } from '../../data/plain-value.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';

/** How many line numbers a message or a summary lists. */
export const LISTED_LINES = 10;

/** The engine's error type for a line of max_line_size or more. */
export const LINE_TOO_LONG = 'LINE SIZE OVER MAXIMUM';

export interface RejectedRows {
  /** Rows set aside (ragged, unquoted values, lines too long), counted once per line. */
  readonly count: number;
  /** Of those, the lines of max_line_bytes or more. */
  readonly longLines: number;
  readonly lines: readonly { file: string; line: number; problem: string; text: string }[];
  /** Columns whose sniffed type refused a value: read again as text. */
  readonly castColumns: readonly string[];
  /** Lines the engine could not decode in the declared encoding. */
  readonly encodingLines: number;
}

/** Reads the rejects of one scan; `files` maps the engine's file ids to the names the user gave. */
export async function readRejects(sql: SqlSession, rejectsTable: string, files: readonly string[], signal: AbortSignal): Promise<RejectedRows> {
  const table = quoteIdent(rejectsTable);
  const byType = await sql.all(`SELECT error_type, count(DISTINCT (file_id, line)) AS n, list(DISTINCT column_name) AS columns FROM ${table} GROUP BY error_type`, [], signal);
  let count = 0;
  let longLines = 0;
  let encodingLines = 0;
  const castColumns: string[] = [];
  for (const row of byType) {
    const type = plainText(row['error_type']);
    const n = Number(row['n']);
    if (type === 'CAST') castColumns.push(...listOf(row['columns']));
    else if (type === 'INVALID ENCODING' || type === 'INVALID UNICODE') encodingLines += n;
    else count += n;
    if (type === LINE_TOO_LONG) longLines += n;
  }
  const lines = count === 0
    ? []
    : (await sql.all(
      `SELECT file_id, line, any_value(error_type) AS error_type, any_value(error_message) AS message, any_value(left(csv_line, 80)) AS text FROM ${table}
       WHERE error_type NOT IN ('CAST', 'INVALID ENCODING', 'INVALID UNICODE') GROUP BY file_id, line ORDER BY file_id, line LIMIT ${LISTED_LINES}`,
      [],
      signal,
    )).map((r) => ({ file: files[Number(r['file_id'])] ?? files[0] ?? '', line: Number(r['line']), problem: describe(plainText(r['error_type']), plainText(r['message'])), text: plainText(r['text']).replace(/[\r\n]+/g, ' ') }));
  return { count, longLines, lines, castColumns: [...new Set(castColumns)], encodingLines };
}

/** `6, 19, 40` and `...` when there are more: what messages and summaries show. */
export function lineList(rejected: RejectedRows): string {
  return `${rejected.lines.map((l) => l.line).join(', ')}${rejected.count > rejected.lines.length ? ', ...' : ''}`;
}

function describe(type: string, message: string): string {
  const found = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (found !== null) return `expected ${found[1] ?? '?'} fields, found ${found[2] ?? '?'}`;
  if (type === LINE_TOO_LONG) return 'line longer than the limit (max_line_bytes)';
  if (type === 'UNQUOTED VALUE') return 'a quote inside an unquoted field';
  return type.toLowerCase();
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value !== null && typeof value === 'object' && 'items' in value && Array.isArray(value.items)) return value.items.filter((v): v is string => typeof v === 'string');
  return [];
}
