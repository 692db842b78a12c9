// Per-column figures in one scan of the table: count, nulls, distinct values (HyperLogLog estimate), min and max, and
// for numbers mean, standard deviation and quartiles (t-digest estimates). DuckDB's SUMMARIZE computes the same and
// more for every column; one aggregate of what is wanted takes half its time on a million rows.
import { plainText, type PlainValue } from '../../../data/plain-value.js';
import type { SqlSession } from '../../../data/sql-session.js';
import { quoteIdent } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;
/** Types whose values can be counted as distinct and ordered; lists, structs and maps are only counted. */
const SCALAR_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|VARCHAR|BOOLEAN|DATE|TIME|TIMESTAMP|UUID)/;

export function isNumericType(sqlType: string): boolean {
  return NUMERIC_TYPE.test(sqlType);
}

export interface ColumnSummaryResult {
  readonly rows: number;
  readonly columns: Record<string, PlainValue>[];
}

export async function summariseColumns(sql: SqlSession, table: string, columns: readonly DatasetColumn[], signal: AbortSignal): Promise<ColumnSummaryResult> {
  const aggregates = ['count(*) AS "rows"'];
  columns.forEach((column, i) => {
    const c = quoteIdent(column.name);
    const scalar = SCALAR_TYPE.test(column.sqlType) && !column.sqlType.endsWith('[]');
    aggregates.push(`count(${c}) AS "c${i}"`);
    if (!scalar) return;
    aggregates.push(`approx_count_distinct(${c}) AS "u${i}"`);
    if (isNumericType(column.sqlType)) {
      aggregates.push(`min(${c}) AS "min${i}"`, `max(${c}) AS "max${i}"`, `avg(${c}) AS "avg${i}"`, `stddev_samp(${c}) AS "sd${i}"`, `approx_quantile(${c}, [0.25, 0.5, 0.75]) AS "q${i}"`);
    } else {
      aggregates.push(`CAST(min(${c}) AS VARCHAR) AS "min${i}"`, `CAST(max(${c}) AS VARCHAR) AS "max${i}"`);
    }
  });
  const [row] = await sql.all(`SELECT ${aggregates.join(', ')} FROM ${quoteIdent(table)}`, [], signal);
  const rows = Number(row?.['rows'] ?? 0);
  const summaries = columns.map((column, i) => {
    const count = Number(row?.[`c${i}`] ?? 0);
    const numeric = isNumericType(column.sqlType);
    const quartiles = row?.[`q${i}`];
    const q = Array.isArray(quartiles) ? quartiles : [];
    const value = (v: PlainValue | undefined): PlainValue => (numeric ? rounded(v) : v === undefined || v === null ? null : plainText(v));
    return {
      column: column.name,
      type: column.sqlType,
      role: column.role,
      count,
      nulls: rows - count,
      null_percentage: rows === 0 ? 0 : Math.round((10_000 * (rows - count)) / rows) / 100,
      // HyperLogLog is an estimate: never more than the values present.
      distinct: row?.[`u${i}`] === undefined ? null : Math.min(count, Number(row[`u${i}`])),
      min: value(row?.[`min${i}`]),
      max: value(row?.[`max${i}`]),
      mean: numeric ? rounded(row?.[`avg${i}`]) : null,
      stddev: numeric ? rounded(row?.[`sd${i}`]) : null,
      q25: numeric ? rounded(q[0]) : null,
      q50: numeric ? rounded(q[1]) : null,
      q75: numeric ? rounded(q[2]) : null,
    };
  });
  return { rows, columns: summaries };
}

/** A number to three decimals, or null for anything that is not a finite number. */
export function rounded(value: PlainValue | undefined): number | null {
  if (value === null || value === undefined || typeof value === 'object') return null;
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null;
}
