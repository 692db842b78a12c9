// The measurements behind validation.quality, taken in as few scans as possible: one pass for completeness, per-row
// validity, mixed types, clock skew, distinct keys and duplicate rows (screened on the number and time columns, every
// column hashed only when the screen finds repeats); one grouped query per repetitive-role column; one ordered pass
// for out-of-order time.
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { validityFor, type RoleValidity } from './role-validity.js';
import { isTimestampType } from '../../data/sql-types.js';

export interface QualityOptions {
  /** Columns expected to be unique; null: identifier columns that are at least 90% distinct. */
  readonly uniqueColumns: readonly string[] | null;
  readonly timeColumn: string | null;
  readonly timeOrdered: 'auto' | 'yes' | 'no';
  /** ISO instant the clock-skew bounds are taken from (the run's start, unless given). */
  readonly reference: Date;
  readonly futureToleranceSeconds: number;
  readonly maxAgeYears: number;
}

export interface MixedTypes {
  readonly numeric: number;
  readonly text: number;
  /** The kind in the minority when one kind clearly dominates (at least 80% of present values); those values are the issues. */
  readonly minority: 'numeric' | 'text' | null;
}

export interface ColumnMeasure {
  readonly column: DatasetColumn;
  readonly present: number;
  readonly validity: RoleValidity | undefined;
  readonly invalid: number | null;
  readonly mixed: MixedTypes | null;
  /** Clock skew, for timestamp columns: SQL of the value as TIMESTAMPTZ, and the counts outside the bounds. */
  readonly time: { readonly expr: string; readonly future: number; readonly past: number } | null;
  /** For columns expected to be unique: distinct values and the copies beyond the first. */
  readonly key: { readonly distinct: number; readonly duplicates: number } | null;
}

export interface TimeOrder {
  readonly column: string;
  readonly expr: string;
  /** Rows whose time is earlier than the previous row's (rows without a time are skipped). */
  readonly backwards: number;
  readonly compared: number;
  readonly share: number;
  /** Whether the file is taken to be time-ordered: told so, or (auto) at most 20% of rows step back in time. */
  readonly expected: boolean;
}

export interface QualityMeasures {
  readonly rows: number;
  readonly distinctRows: number;
  readonly columns: readonly ColumnMeasure[];
  readonly order: TimeOrder | null;
  readonly clock: { readonly reference: string; readonly futureAfter: string; readonly pastBefore: string };
}

/** Roles whose values are free-form: digits among letters are normal there, not a sign of a broken column. */
const FREE_FORM_ROLES = new Set(['user', 'identifier', 'text']);
/** An identifier column is taken as a key when at least this share of its values is distinct. */
const KEY_SHARE = 0.9;
const DOMINANT_SHARE = 0.8;
const ORDERED_SHARE = 0.2;

export async function measureQuality(sql: SqlSession, dataset: DatasetHandle, options: QualityOptions, signal: AbortSignal): Promise<QualityMeasures> {
  const table = quoteIdent(dataset.table);
  const columns = dataset.columns;
  const clock = clockBounds(options);
  const keyCandidates = options.uniqueColumns ?? columns.filter((c) => c.role === 'identifier').map((c) => c.name);
  const distinctKey = duplicateScreen(columns);
  const measures: string[] = ['count(*) AS "__rows"', `count(DISTINCT hash(${distinctKey.map((c) => quoteIdent(c.name)).join(', ') || 'NULL'})) AS "__distinct"`];
  columns.forEach((column, i) => {
    const present = presentCondition(column);
    measures.push(`${presentCountSql(column)} AS "c${i}"`);
    const validity = validityFor(column.role, column.sqlType);
    if (validity !== undefined && !validity.perValue) measures.push(`${countWhere(`${present} AND NOT (${validity.test(textSql(column))})`)} AS "v${i}"`);
    if (isMixedCandidate(column, validity)) measures.push(`${countWhere(`${present} AND ${numericTextSql(quoteIdent(column.name))}`)} AS "n${i}"`);
    const time = timeSql(column);
    if (time !== null) {
      measures.push(`${countWhere(`${time} > ${clock.futureSql}`)} AS "f${i}"`, `${countWhere(`${time} < ${clock.pastSql}`)} AS "p${i}"`);
    }
    if (keyCandidates.includes(column.name)) measures.push(`count(DISTINCT ${quoteIdent(column.name)}) FILTER (WHERE ${present}) AS "d${i}"`);
  });
  const [row] = await sql.all(`SELECT ${measures.join(', ')} FROM ${table}`, [], signal);
  const read = (key: string): number => Number(row?.[key] ?? 0);
  const rows = read('__rows');
  let distinctRows = read('__distinct');
  // Rows distinct on some of the columns are distinct on all of them; only when the screen finds repeats does every
  // column need hashing.
  if (distinctKey.length < columns.length && distinctRows < rows) {
    distinctRows = Number(await sql.scalar(`SELECT count(DISTINCT hash(${columns.map((c) => quoteIdent(c.name)).join(', ')})) FROM ${table}`, [], signal));
  }

  const result: ColumnMeasure[] = [];
  for (const [i, column] of columns.entries()) {
    const present = read(`c${i}`);
    const validity = validityFor(column.role, column.sqlType);
    let invalid: number | null = null;
    if (validity !== undefined) invalid = validity.perValue ? await invalidByValue(sql, table, column, validity, signal) : read(`v${i}`);
    const time = timeSql(column);
    let key: ColumnMeasure['key'] = null;
    if (keyCandidates.includes(column.name)) {
      const distinct = read(`d${i}`);
      const named = options.uniqueColumns !== null;
      if (named || (present > 0 && distinct / present >= KEY_SHARE)) key = { distinct, duplicates: present - distinct };
    }
    result.push({
      column,
      present,
      validity,
      invalid,
      mixed: isMixedCandidate(column, validity) ? mixedTypes(read(`n${i}`), present) : null,
      time: time === null ? null : { expr: time, future: read(`f${i}`), past: read(`p${i}`) },
      key,
    });
  }
  const order = await measureOrder(sql, dataset, result, options, signal);
  return { rows, distinctRows: Math.min(rows, distinctRows), columns: result, order, clock: { reference: clock.reference, futureAfter: clock.futureAfter, pastBefore: clock.pastBefore } };
}

/**
 * How many rows meet a condition, as a sum over a CASE: measured on the 1M-row bench file, ~40 such counts in one scan
 * cost half the CPU of the same counts written `count(*) FILTER (WHERE ...)`, and run on every thread.
 */
function countWhere(condition: string): string {
  return `CAST(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS BIGINT)`;
}

/**
 * How many values of the column are present (presentCondition), counted cheaply: non-null values, less the text ones
 * that are '' or '-'. Both sort before '.', so text starting with a digit or a letter skips that test (~0.1 s of CPU
 * less per million rows of 16 columns than counting presentCondition).
 */
function presentCountSql(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  if (!isText(column)) return `count(${c})`;
  return `(count(${c}) - CAST(sum(CASE WHEN ${c} < '.' THEN CAST(${c} IN ('', '-') AS INTEGER) ELSE 0 END) AS BIGINT))`;
}

/**
 * The columns hashed to count distinct rows in the main scan: the numbers and times when there are at least two of them
 * (cheap to hash, and in a log nearly unique together: a timestamp, ports, byte counts), else every column. Hashing
 * every column, text included, cost twice as much on the bench file (~0.25 s of CPU more).
 */
function duplicateScreen(columns: readonly DatasetColumn[]): readonly DatasetColumn[] {
  const fixedWidth = columns.filter((c) => !isText(c) && !c.sqlType.endsWith('[]') && !/^(STRUCT|MAP|UNION|BLOB|JSON)/.test(c.sqlType));
  return fixedWidth.length >= 2 ? fixedWidth : columns;
}

async function invalidByValue(sql: SqlSession, table: string, column: DatasetColumn, validity: RoleValidity, signal: AbortSignal): Promise<number> {
  // Grouped on the column's own values and cast to text per distinct value: casting a million port numbers row by row
  // cost more than the grouping (measured: ~0.1 s of CPU less for two port columns).
  const text = isText(column) ? '__v' : 'CAST(__v AS VARCHAR)';
  const value = await sql.scalar(
    `SELECT coalesce(sum(n) FILTER (WHERE NOT (${validity.test(text)})), 0) FROM (SELECT ${quoteIdent(column.name)} AS __v, count(*) AS n FROM ${table} WHERE ${presentCondition(column)} GROUP BY ALL)`,
    [],
    signal,
  );
  return Number(value);
}

function mixedTypes(numeric: number, present: number): MixedTypes {
  const text = present - numeric;
  let minority: MixedTypes['minority'] = null;
  if (numeric > 0 && text > 0) {
    if (numeric / present >= DOMINANT_SHARE) minority = 'text';
    else if (text / present >= DOMINANT_SHARE) minority = 'numeric';
  }
  return { numeric, text, minority };
}

/** The time column (named, or the first timestamp), how many rows step back in time, and whether order is expected. */
async function measureOrder(sql: SqlSession, dataset: DatasetHandle, measures: readonly ColumnMeasure[], options: QualityOptions, signal: AbortSignal): Promise<TimeOrder | null> {
  if (options.timeOrdered === 'no') return null;
  const chosen = options.timeColumn === null ? measures.find((m) => m.time !== null) : measures.find((m) => m.column.name === options.timeColumn);
  if (chosen?.time == null) return null;
  const [row] = await sql.all(
    `SELECT count(*) FILTER (WHERE __t < __prev) AS backwards, count(__prev) FILTER (WHERE __t IS NOT NULL) AS compared
     FROM (SELECT ${chosen.time.expr} AS __t, lag(${chosen.time.expr} IGNORE NULLS) OVER (${rowOrderWindow(dataset)}) AS __prev FROM ${quoteIdent(dataset.table)})`,
    [],
    signal,
  );
  const backwards = Number(row?.['backwards'] ?? 0);
  const compared = Number(row?.['compared'] ?? 0);
  const share = compared === 0 ? 0 : backwards / compared;
  return { column: chosen.column.name, expr: chosen.time.expr, backwards, compared, share, expected: options.timeOrdered === 'yes' || share <= ORDERED_SHARE };
}

/**
 * The window that orders rows as the dataset does. A table's own `rowid` is its scan order, which an empty OVER keeps
 * (DuckDB's order-preservation rules): no sort, ~0.1 s of CPU less per million rows than ORDER BY rowid. A view's row
 * number column is sorted on.
 */
export function rowOrderWindow(dataset: DatasetHandle): string {
  return dataset.rowId === 'rowid' ? '' : `ORDER BY ${quoteIdent(dataset.rowId)}`;
}

function clockBounds(options: QualityOptions): { reference: string; futureAfter: string; pastBefore: string; futureSql: string; pastSql: string } {
  const reference = options.reference.toISOString();
  const futureAfter = new Date(options.reference.getTime() + options.futureToleranceSeconds * 1000).toISOString();
  const past = new Date(options.reference.getTime());
  past.setUTCFullYear(past.getUTCFullYear() - options.maxAgeYears);
  const pastBefore = past.toISOString();
  return { reference, futureAfter, pastBefore, futureSql: `TIMESTAMPTZ ${quoteLiteral(futureAfter)}`, pastSql: `TIMESTAMPTZ ${quoteLiteral(pastBefore)}` };
}

export function isText(column: DatasetColumn): boolean {
  return column.sqlType === 'VARCHAR';
}

export function presentCondition(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  // No trim here: it costs more than the rest of the pass together; ' - ' style padding is rare in exports.
  return isText(column) ? `(${c} IS NOT NULL AND ${c} NOT IN ('', '-'))` : `${c} IS NOT NULL`;
}

export function textSql(column: DatasetColumn): string {
  return isText(column) ? quoteIdent(column.name) : `CAST(${quoteIdent(column.name)} AS VARCHAR)`;
}

/** Text columns without a validity rule whose values are not free-form by role: where a stray type shows. */
function isMixedCandidate(column: DatasetColumn, validity: RoleValidity | undefined): boolean {
  return isText(column) && validity === undefined && !(column.role !== null && FREE_FORM_ROLES.has(column.role));
}

/**
 * True for text that reads as a number. The string-range test first (text starting with a letter is > ':') lets the
 * CASE skip the cast for most text: measured, an AND is not short-circuited here and the cast on every cell costs ~0.2 s
 * per column per million rows, the CASE ~0.01 s.
 */
export function numericTextSql(c: string): string {
  return `CASE WHEN ${c} < ':' THEN TRY_CAST(${c} AS DOUBLE) IS NOT NULL ELSE false END`;
}

/** A timestamp column's values as TIMESTAMPTZ (text ones read leniently), or null for other columns. */
export function timeSql(column: DatasetColumn): string | null {
  const c = quoteIdent(column.name);
  if (isTimestampType(column.sqlType) || column.sqlType === 'DATE') return `CAST(${c} AS TIMESTAMPTZ)`;
  if (isText(column) && column.role === 'timestamp') return `TRY_CAST(${c} AS TIMESTAMPTZ)`;
  return null;
}
