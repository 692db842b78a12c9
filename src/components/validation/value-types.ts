// Whether a value "reads as" a type, in SQL, for schema validation. CSV has no types, so the tests are on what a value
// can be read as: `integer` accepts 443 and "443", `string` accepts any scalar; the engine's own types are trusted.
import type { DatasetColumn } from '../../model/dataset.js';
import { quoteIdent } from '../../data/sql-text.js';
import { ROLE_VALIDITY } from './role-validity.js';
import { isTimestampType } from '../../data/sql-types.js';

export type ColumnKind = 'number' | 'integer' | 'text' | 'boolean' | 'time' | 'list' | 'struct';

export function columnKind(column: DatasetColumn): ColumnKind {
  const t = column.sqlType;
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|DECIMAL|REAL)/.test(t)) return 'number';
  if (t === 'BOOLEAN') return 'boolean';
  if (isTimestampType(t) || t === 'DATE' || t === 'TIME' || t === 'TIME WITH TIME ZONE') return 'time';
  if (t.endsWith('[]')) return 'list';
  if (t.startsWith('STRUCT') || t.startsWith('MAP') || t === 'JSON') return 'struct';
  return 'text';
}

/** The types a JSON Schema `type` or a column spec `type` may name. */
export const SPEC_TYPES = ['string', 'integer', 'number', 'boolean', 'null', 'array', 'object', 'timestamp', 'date', 'ip', 'port', 'url', 'hash', 'email', 'domain'] as const;
export type SpecType = (typeof SPEC_TYPES)[number];

/** The value of the column as a DOUBLE (NULL when it does not read as a number). */
export function numberSql(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  const kind = columnKind(column);
  if (kind === 'integer' || kind === 'number') return `CAST(${c} AS DOUBLE)`;
  return kind === 'text' ? `TRY_CAST(${c} AS DOUBLE)` : 'NULL::DOUBLE';
}

/** The value of the column as a TIMESTAMPTZ (NULL when it does not read as one). */
export function timeValueSql(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  const kind = columnKind(column);
  if (kind === 'time') return `CAST(${c} AS TIMESTAMPTZ)`;
  return kind === 'text' ? `TRY_CAST(${c} AS TIMESTAMPTZ)` : 'NULL::TIMESTAMPTZ';
}

export function textValueSql(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  return columnKind(column) === 'text' ? c : `CAST(${c} AS VARCHAR)`;
}

/** SQL true when a present value of the column reads as the type. */
export function typeTestSql(column: DatasetColumn, type: SpecType): string {
  const kind = columnKind(column);
  const c = quoteIdent(column.name);
  switch (type) {
    case 'string':
      return kind === 'list' || kind === 'struct' ? 'false' : 'true';
    case 'number':
      return kind === 'integer' || kind === 'number' ? 'true' : kind === 'text' ? `(TRY_CAST(${c} AS DOUBLE) IS NOT NULL AND isfinite(TRY_CAST(${c} AS DOUBLE)))` : 'false';
    case 'integer': {
      if (kind === 'integer') return 'true';
      if (kind !== 'number' && kind !== 'text') return 'false';
      const n = numberSql(column);
      return `(${n} IS NOT NULL AND isfinite(${n}) AND ${n} = floor(${n}))`;
    }
    case 'boolean':
      return kind === 'boolean' ? 'true' : kind === 'text' ? `(lower(${c}) IN ('true', 'false'))` : 'false';
    case 'null':
      return 'false';
    case 'array':
      return kind === 'list' ? 'true' : 'false';
    case 'object':
      return kind === 'struct' ? 'true' : 'false';
    case 'timestamp':
      return kind === 'time' ? 'true' : kind === 'text' ? `(TRY_CAST(${c} AS TIMESTAMPTZ) IS NOT NULL)` : 'false';
    case 'date':
      return kind === 'time' ? 'true' : kind === 'text' ? `(TRY_CAST(${c} AS DATE) IS NOT NULL)` : 'false';
    default: {
      const rule = ROLE_VALIDITY[type];
      return rule === undefined ? 'true' : rule.test(textValueSql(column));
    }
  }
}
