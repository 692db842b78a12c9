// Infers a dataset's schema in one scan: per column its type, role, whether it has missing values, an approximate
// count of distinct values and the observed range (values for numbers and times, lengths for text); and the same as a
// JSON Schema (draft 2020-12) a user can save, tighten and validate the next export against.
import type { DatasetHandle } from '../../model/dataset.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import type { PlainValue } from '../../data/plain-value.js';
import { columnKind, type ColumnKind } from './value-types.js';

export interface InferredColumn {
  readonly column: string;
  readonly type: string;
  readonly sql_type: string;
  readonly role: string | null;
  readonly nullable: boolean;
  readonly missing: number;
  readonly distinct: number;
  readonly min: PlainValue;
  readonly max: PlainValue;
  readonly min_length: number | null;
  readonly max_length: number | null;
}

const JSON_TYPES: Readonly<Record<ColumnKind, string>> = { integer: 'integer', number: 'number', text: 'string', boolean: 'boolean', time: 'timestamp', list: 'array', struct: 'object' };

export async function inferSchema(sql: SqlSession, dataset: DatasetHandle, signal: AbortSignal): Promise<InferredColumn[]> {
  const measures = ['count(*) AS "__rows"'];
  dataset.columns.forEach((column, i) => {
    const c = quoteIdent(column.name);
    const kind = columnKind(column);
    measures.push(`count(${c}) AS "n${i}"`, `approx_count_distinct(${c}) AS "d${i}"`);
    if (kind === 'integer' || kind === 'number' || kind === 'time') measures.push(`min(${c}) AS "lo${i}"`, `max(${c}) AS "hi${i}"`);
    if (kind === 'text') measures.push(`min(length(${c})) AS "ll${i}"`, `max(length(${c})) AS "hl${i}"`);
  });
  const [row] = await sql.all(`SELECT ${measures.join(', ')} FROM ${quoteIdent(dataset.table)}`, [], signal);
  const rows = Number(row?.['__rows'] ?? 0);
  return dataset.columns.map((column, i) => {
    const present = Number(row?.[`n${i}`] ?? 0);
    const length = (key: string): number | null => (row?.[key] === null || row?.[key] === undefined ? null : Number(row[key]));
    return {
      column: column.name,
      type: JSON_TYPES[columnKind(column)],
      sql_type: column.sqlType,
      role: column.role,
      nullable: present < rows,
      missing: rows - present,
      distinct: Math.min(present, Number(row?.[`d${i}`] ?? 0)),
      min: row?.[`lo${i}`] ?? null,
      max: row?.[`hi${i}`] ?? null,
      min_length: length(`ll${i}`),
      max_length: length(`hl${i}`),
    };
  });
}

/** The inferred columns as a JSON Schema for one row: types (times as date-time strings), and the columns never missing as required. */
export function inferredJsonSchema(columns: readonly InferredColumn[], title: string): Record<string, PlainValue> {
  const properties: Record<string, PlainValue> = Object.create(null) as Record<string, PlainValue>;
  for (const c of columns) {
    properties[c.column] = c.type === 'timestamp' ? { type: 'string', format: 'date-time' } : { type: c.type };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    type: 'object',
    properties,
    required: columns.filter((c) => !c.nullable).map((c) => c.column),
  };
}
