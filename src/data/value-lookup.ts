// Per-value results that need JS (public-suffix lists, lexical scores): computed once per distinct value, not per row,
// written to a lookup table through the appender; the caller joins it to the rows (enrichment's features, the DGA
// detector's flagged names).
import type { SqlSession } from './sql-session.js';
import { quoteIdent } from './sql-text.js';
import { CancelledError } from '../model/errors/cancelled-error.js';

/** Values computed per page; a page is the most JS holds at once. */
const PAGE_ROWS = 50_000;

export interface LookupField {
  readonly name: string;
  readonly sqlType: 'VARCHAR' | 'DOUBLE' | 'INTEGER';
}

export interface ValueLookupOptions {
  readonly sql: SqlSession;
  readonly signal?: AbortSignal;
  /** Source table and column whose distinct non-empty values are looked up. */
  readonly table: string;
  readonly column: string;
  /** SQL of the value to look up, over the quoted column (default: the column as text), e.g. the host of a URL. */
  readonly valueSql?: (column: string) => string;
  /** Name of the lookup table to create (the caller's scoped name). */
  readonly lookupTable: string;
  readonly fields: readonly LookupField[];
  readonly compute: (value: string) => readonly (string | number | null)[];
  /** Which computed rows to write (default: all): a detector keeps only the values it flags. */
  readonly keep?: (row: readonly (string | number | null)[]) => boolean;
}

/** Fills `lookupTable(value, ...fields)` with one row per distinct value (that `keep` keeps); returns how many rows it wrote. */
export async function buildValueLookup(options: ValueLookupOptions): Promise<number> {
  const { sql, signal, lookupTable, fields } = options;
  await sql.run(`CREATE OR REPLACE TABLE ${quoteIdent(lookupTable)} (value VARCHAR, ${fields.map((f) => `${quoteIdent(f.name)} ${f.sqlType}`).join(', ')})`, [], signal);
  // The distinct values are kept in the engine and read a page at a time: a result still streaming would be cut off
  // by the appender's writes on the same connection, and a page bounds what JS holds.
  const distinct = `${lookupTable}__values`;
  const column = quoteIdent(options.column);
  const value = options.valueSql?.(column) ?? `CAST(${column} AS VARCHAR)`;
  await sql.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(distinct)} AS SELECT DISTINCT ${value} AS v FROM ${quoteIdent(options.table)} WHERE ${column} IS NOT NULL`, [], signal);
  const count = Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(distinct)}`, [], signal));
  let total = 0;
  for (let start = 0; start < count; start += PAGE_ROWS) {
    const rows: (string | number | null)[][] = [];
    for await (const chunk of sql.chunks(`SELECT v FROM ${quoteIdent(distinct)} WHERE rowid >= $1 AND rowid < $2`, [start, start + PAGE_ROWS], signal)) {
      for (const value of chunk.columns[0] ?? []) {
        if (typeof value !== 'string') continue;
        const row = [value, ...options.compute(value)];
        if (options.keep === undefined || options.keep(row)) rows.push(row);
      }
    }
    if (signal?.aborted === true) throw new CancelledError();
    total += await sql.append(lookupTable, rows, signal);
  }
  await sql.run(`DROP TABLE ${quoteIdent(distinct)}`, [], signal);
  return total;
}
