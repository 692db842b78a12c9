// Pearson correlation between measure columns, every pair in one scan (corr() per pair); at most `max` columns, so
// at most max x (max - 1) / 2 aggregates.
import type { SqlSession } from '../../../data/sql-session.js';
import { quoteIdent } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { rounded } from './column-summary.js';

export interface Correlation {
  readonly columns: string[];
  /** matrix[i][j]: correlation of columns i and j (1 on the diagonal, null where a column has no spread). */
  readonly matrix: (number | null)[][];
  /** The pairs by strength, strongest first (at most 10). */
  readonly strongest: { a: string; b: string; r: number }[];
}

export async function correlate(sql: SqlSession, table: string, columns: readonly DatasetColumn[], signal: AbortSignal): Promise<Correlation | null> {
  if (columns.length < 2) return null;
  const pairs: [number, number][] = [];
  for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) pairs.push([i, j]);
  const cast = (c: DatasetColumn): string => `CAST(${quoteIdent(c.name)} AS DOUBLE)`;
  const [row] = await sql.all(`SELECT ${pairs.map(([i, j]) => `corr(${cast(columns[i] as DatasetColumn)}, ${cast(columns[j] as DatasetColumn)}) AS "r${i}_${j}"`).join(', ')} FROM ${quoteIdent(table)}`, [], signal);
  const matrix = columns.map((_, i) => columns.map((__, j) => (i === j ? 1 : null)) as (number | null)[]);
  const strongest: { a: string; b: string; r: number }[] = [];
  for (const [i, j] of pairs) {
    const r = rounded(row?.[`r${i}_${j}`]);
    const rowI = matrix[i];
    const rowJ = matrix[j];
    if (rowI !== undefined) rowI[j] = r;
    if (rowJ !== undefined) rowJ[i] = r;
    if (r !== null) strongest.push({ a: columns[i]?.name ?? '', b: columns[j]?.name ?? '', r });
  }
  strongest.sort((x, y) => Math.abs(y.r) - Math.abs(x.r) || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  return { columns: columns.map((c) => c.name), matrix, strongest: strongest.slice(0, 10) };
}
