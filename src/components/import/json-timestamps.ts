// JSON has no time type: the engine's reader types ISO 8601 text as TIMESTAMP, and turns text written with a zone
// (`2024-01-01T00:00:00Z`, `...+03:00`) into a UTC wall time without one, which an export writes without its `Z` and a
// reader takes for local time. So the import reads the files with the reader's timestamp detection off (times stay
// text) and types the columns the reader would have typed TIMESTAMP itself: TIMESTAMP WITH TIME ZONE when every value
// was written with a zone (as the CSV reader types such text), TIMESTAMP when none was; no zone is invented. Text only
// the reader can read (its other formats, `01-02-2024 10:00:00 PM`) sends the import back to the reader's own typing,
// and the columns whose every value has a zone are then retyped from its UTC wall times.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';

/**
 * A `timestampformat` no real value matches: the reader takes one strptime format and has no "off", so with this one
 * every leaf it would type TIMESTAMP stays text. A value that did match would give a column of another type than the
 * reader's own typing, which sends the import back to that typing: nothing is mistyped.
 */
export const TIMESTAMP_DETECTION_OFF = '%Y-%m-%dT%H:%M:%S [cs-helper: timestamps stay text]';

/**
 * ISO 8601 as the engine casts it to the instant the reader parses it to: the date and time (group `time`: a fraction of
 * at most microseconds) and an optional zone (group `zone`: `Z`, `+03:00`, `+0300`, `-07`). One match gives both.
 */
const ISO_TIME = '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,6})?)([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$';

/** How the import types the columns of its select list that the reader types TIMESTAMP. */
export type TimestampTyping =
  /** Cast from the text: each column's values are all ISO 8601, all with a zone or all without. */
  | { readonly kind: 'text'; readonly columns: readonly { readonly name: string; readonly zoned: boolean }[] }
  /** Read the files again with the reader's typing; `zoned` columns hold UTC wall times of values written with a zone. */
  | { readonly kind: 'reader'; readonly zoned: readonly string[] };

export interface TimestampSources {
  /** The import's select list (`expression AS "alias", ...`), made on the text table. */
  readonly select: string;
  /** The records read with TIMESTAMP_DETECTION_OFF (a table name, quoted). */
  readonly textTable: string;
  /** The same records as the reader would type them (SQL of a relation; only bound, not read). */
  readonly typedRecords: string;
}

/**
 * Compares the select list's column types on the text table with the reader's own typing (a bind: the reader samples
 * the files, nothing is read), then counts, in one pass over the text table, which of the reader's timestamp columns
 * hold ISO 8601 text and which carry a zone.
 */
export async function timestampTyping(sql: SqlSession, sources: TimestampSources, signal?: AbortSignal): Promise<TimestampTyping> {
  const typed = await typesOrNull(sql, `SELECT ${sources.select} FROM ${sources.typedRecords}`, signal);
  // A select list the reader's own typing cannot bind (never seen) is the reader's to type, as before.
  if (typed === null) return { kind: 'reader', zoned: [] };
  const text = await sql.describe(`SELECT ${sources.select} FROM ${sources.textTable}`, signal);
  const candidates: string[] = [];
  // Another difference (a list of timestamps, a struct left nested that holds one) is the reader's to type.
  let otherDifference = typed.length !== text.length;
  typed.forEach((column, i) => {
    const mine = text[i];
    if (mine === undefined || mine.sqlType === column.sqlType) return;
    if (column.sqlType === 'TIMESTAMP' && mine.sqlType === 'VARCHAR' && mine.name === column.name) candidates.push(column.name);
    else otherDifference = true;
  });
  if (candidates.length === 0) return otherDifference ? { kind: 'reader', zoned: [] } : { kind: 'text', columns: [] };

  // Per column: values, values that are ISO 8601 with a real date and time, values with a zone.
  const parts = candidates.map((name, i) => `regexp_extract(${quoteIdent(name)}, ${quoteLiteral(ISO_TIME)}, ['time', 'zone']) AS m${i}, ${quoteIdent(name)} AS v${i}`);
  const counts = candidates.map((_, i) => `count(v${i}) AS n${i}, count(*) FILTER (WHERE TRY_CAST(m${i}.time AS TIMESTAMP) IS NOT NULL) AS iso${i}, count(*) FILTER (WHERE m${i}.zone <> '') AS zoned${i}`);
  const query = `SELECT ${counts.join(', ')} FROM (SELECT ${parts.join(', ')} FROM (SELECT ${sources.select} FROM ${sources.textTable}))`;
  const row = (await sql.all(query, [], signal))[0] ?? {};
  const checked = candidates.map((name, i) => {
    const values = Number(row[`n${i}`] ?? 0);
    const withZone = Number(row[`zoned${i}`] ?? 0);
    // All with a zone or all without: a column with both stays the reader's (it refuses or keeps it as text).
    const castable = Number(row[`iso${i}`] ?? 0) === values && (withZone === values || withZone === 0);
    return { name, zoned: values > 0 && withZone === values, castable };
  });
  if (otherDifference || checked.some((c) => !c.castable)) return { kind: 'reader', zoned: checked.filter((c) => c.zoned).map((c) => c.name) };
  return { kind: 'text', columns: checked.map((c) => ({ name: c.name, zoned: c.zoned })) };
}

/** The columns of a query, or null when the engine cannot bind it (a cancellation is thrown on). */
async function typesOrNull(sql: SqlSession, query: string, signal?: AbortSignal): Promise<{ name: string; sqlType: string }[] | null> {
  try {
    return await sql.describe(query, signal);
  } catch (error) {
    if (signal?.aborted === true || (error instanceof Error && error.name === 'CancelledError')) throw error;
    return null;
  }
}

/** The import's table query: `select` read from `from`, the timestamp columns typed as `typing` says. */
export function typedSelect(select: string, from: string, typing: TimestampTyping): string {
  const replaced =
    typing.kind === 'text'
      ? typing.columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${c.zoned ? 'TIMESTAMPTZ' : 'TIMESTAMP'}) AS ${quoteIdent(c.name)}`)
      : // The reader's value of a zoned text is its UTC wall time: the instant, once its zone is said.
        typing.zoned.map((name) => `timezone('UTC', ${quoteIdent(name)}) AS ${quoteIdent(name)}`);
  if (replaced.length === 0) return `SELECT ${select} FROM ${from}`;
  return `SELECT * REPLACE (${replaced.join(', ')}) FROM (SELECT ${select} FROM ${from})`;
}

/**
 * The records of `reader` as the import's raw table holds them: its rows, or the records of the wrapper list `column`
 * one per row, with the file name when kept (as unwrapRecordList makes them).
 */
export async function recordsOf(sql: SqlSession, reader: string, wrapper: { readonly column: string; readonly keepFilename: boolean } | null, signal?: AbortSignal): Promise<string> {
  if (wrapper === null) return reader;
  const list = quoteIdent(wrapper.column);
  const filename = wrapper.keepFilename ? 'filename, ' : '';
  const type = (await sql.describe(`SELECT ${list} FROM ${reader}`, signal))[0]?.sqlType ?? '';
  const records = type.startsWith('STRUCT(') ? 'r.*' : 'r';
  return `(SELECT ${filename}${records} FROM (SELECT ${filename}unnest(${list}) AS r FROM ${reader}))`;
}
