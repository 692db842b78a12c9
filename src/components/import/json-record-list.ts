// A JSON file may hold its records inside one wrapper object: AWS CloudTrail writes `{"Records": [...]}`, Azure
// activity and diagnostic exports `{"records": [...]}`. Read as they are, such files give one row with one list
// column; the records are the rows the user means.
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';

/** Wrapper keys known to hold the records even when the wrapper has other keys beside them. */
const RECORD_KEYS = new Set(['Records', 'records']);

/**
 * The column of `table` that holds the records of wrapper objects: the only column (besides the engine's `filename`)
 * when it is a list of objects, or a list of objects named Records/records; with the wrapper's other keys, which the
 * records leave out (the caller says so). Null when the rows are the records.
 */
export async function recordListColumn(sql: SqlSession, table: string, signal?: AbortSignal): Promise<{ column: string; otherKeys: string[] } | null> {
  const columns = (await sql.describe(`SELECT * FROM ${quoteIdent(table)}`, signal)).filter((c) => c.name !== 'filename');
  const lists = columns.filter((c) => /^STRUCT\(.*\)\[\]$/s.test(c.sqlType));
  // A named record list may be empty (the engine types it NULL[] or JSON[]): its file then holds no records.
  const found = columns.length === 1 && lists.length === 1 ? lists[0] : columns.find((c) => RECORD_KEYS.has(c.name) && c.sqlType.endsWith('[]'));
  return found === undefined ? null : { column: found.name, otherKeys: columns.filter((c) => c !== found).map((c) => c.name) };
}

/** Replaces the wrapper rows of `table` by the records of `column`, one row each (the file name kept when present). */
export async function unwrapRecordList(sql: SqlSession, table: string, column: string, keepFilename: boolean, signal?: AbortSignal): Promise<void> {
  const unwrapped = `${table}_records`;
  const filename = keepFilename ? 'filename, ' : '';
  const type = (await sql.describe(`SELECT ${quoteIdent(column)} FROM ${quoteIdent(table)}`, signal))[0]?.sqlType ?? '';
  // Records that are objects become columns; an empty list (no object to type it) gives no row.
  const records = type.startsWith('STRUCT(') ? 'r.*' : 'r';
  await sql.run(`CREATE TABLE ${quoteIdent(unwrapped)} AS SELECT ${filename}${records} FROM (SELECT ${filename}unnest(${quoteIdent(column)}) AS r FROM ${quoteIdent(table)})`, [], signal);
  await sql.run(`DROP TABLE ${quoteIdent(table)}`, [], signal);
  await sql.run(`ALTER TABLE ${quoteIdent(unwrapped)} RENAME TO ${quoteIdent(table)}`, [], signal);
}
