// Columns whose integers the engine's sniffer would round. It has no 128-bit integer among its candidate types (DuckDB
// 1.5 refuses HUGEINT there), so one value past BIGINT (a 20-digit flow id, 18446744073709551615) makes the whole column
// DOUBLE, and every id past 2^53 in it loses its last digits. Such a column is read again as HUGEINT, or as text when
// it also holds fractions or values past HUGEINT: an id must come out as it went in.
import { plainText } from '../../data/plain-value.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';

/** 2^53: from here on a DOUBLE no longer holds every integer. */
const EXACT_DOUBLE_LIMIT = 9_007_199_254_740_992;
/** HUGEINT's largest magnitude, about 1.7e38. */
const HUGEINT_LIMIT = 1.7e38;

export type ExactType = 'HUGEINT' | 'VARCHAR';

/**
 * For each DOUBLE column of `table` (other than `skip`: types the user chose) holding a finite value of 2^53 or more:
 * the type that keeps its values exact. Empty when no column lost anything.
 */
export async function inexactColumns(sql: SqlSession, table: string, skip: ReadonlySet<string>, signal: AbortSignal): Promise<Map<string, ExactType>> {
  const described = await sql.all(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`, [], signal);
  const doubles = described.map((r) => plainText(r['column_name'])).filter((name, i) => described[i]?.['column_type'] === 'DOUBLE' && !skip.has(name));
  const found = new Map<string, ExactType>();
  if (doubles.length === 0) return found;
  const measures = doubles.flatMap((name, i) => {
    const column = quoteIdent(name);
    return [`max(abs(${column})) FILTER (WHERE isfinite(${column})) AS m${i}`, `bool_and(${column} = trunc(${column})) FILTER (WHERE isfinite(${column})) AS w${i}`];
  });
  const [row] = await sql.all(`SELECT ${measures.join(', ')} FROM ${quoteIdent(table)}`, [], signal);
  doubles.forEach((name, i) => {
    const largest = Number(row?.[`m${i}`] ?? 0);
    if (!(largest >= EXACT_DOUBLE_LIMIT)) return;
    found.set(name, row?.[`w${i}`] === true && largest < HUGEINT_LIMIT ? 'HUGEINT' : 'VARCHAR');
  });
  return found;
}
