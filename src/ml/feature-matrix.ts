// Reads a table's features out of the engine column by column, in chunks, into Float32Arrays (one per feature):
// the only form the models take, and never an array of row objects.
import type { SqlSession } from '../data/sql-session.js';
import { quoteIdent } from '../data/sql-text.js';
import type { FeatureSpec } from './feature-spec.js';
import { featureSql } from './plan-features.js';

export interface FeatureMatrix {
  readonly rows: number;
  /** The table's row id per matrix row, for writing predictions back. */
  readonly rowIds: Float64Array;
  readonly columns: readonly Float32Array[];
}

export interface ReadMatrixOptions {
  readonly sql: SqlSession;
  readonly table: string;
  /** The column that identifies a row (`rowid` for tables). */
  readonly rowId: string;
  readonly features: readonly FeatureSpec[];
  /** A condition on the rows to read (e.g. labelled rows only); SQL built by the caller from quoted names. */
  readonly where?: string;
  readonly signal?: AbortSignal;
}

export async function readFeatureMatrix(options: ReadMatrixOptions): Promise<FeatureMatrix> {
  const { sql, table, signal } = options;
  const where = options.where === undefined ? '' : ` WHERE ${options.where}`;
  const rows = Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(table)}${where}`, [], signal));
  const rowIds = new Float64Array(rows);
  const columns = options.features.map(() => new Float32Array(rows));
  const select = [quoteIdent(options.rowId), ...options.features.map((f) => featureSql(f))].join(', ');
  let at = 0;
  for await (const chunk of sql.chunks(`SELECT ${select} FROM ${quoteIdent(table)}${where} ORDER BY ${quoteIdent(options.rowId)}`, [], signal)) {
    const ids = chunk.columns[0] ?? [];
    for (let i = 0; i < chunk.rows; i += 1) rowIds[at + i] = Number(ids[i]);
    columns.forEach((target, f) => {
      const source = chunk.columns[f + 1] ?? [];
      for (let i = 0; i < chunk.rows; i += 1) {
        const v = source[i];
        target[at + i] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN;
      }
    });
    at += chunk.rows;
  }
  return { rows: at, rowIds: at === rows ? rowIds : rowIds.slice(0, at), columns: at === rows ? columns : columns.map((c) => c.slice(0, at)) };
}

/** One text column (labels, free text) in the same row order; null for missing values. */
export async function readTextColumn(options: Omit<ReadMatrixOptions, 'features'> & { readonly column: string }): Promise<(string | null)[]> {
  const { sql, table, signal } = options;
  const where = options.where === undefined ? '' : ` WHERE ${options.where}`;
  const values: (string | null)[] = [];
  const c = quoteIdent(options.column);
  for await (const chunk of sql.chunks(`SELECT CAST(${c} AS VARCHAR) FROM ${quoteIdent(table)}${where} ORDER BY ${quoteIdent(options.rowId)}`, [], signal)) {
    const source = chunk.columns[0] ?? [];
    for (let i = 0; i < chunk.rows; i += 1) {
      const v = source[i];
      values.push(typeof v === 'string' ? v : null);
    }
  }
  return values;
}
