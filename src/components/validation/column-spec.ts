// The column-type spec of validation.schema, a small JSON/YAML alternative to JSON Schema:
//   columns: { <name>: { type, required, pattern, min, max, enum, unique } }, additional_columns: allow | forbid
// compiled to row checks in the engine. min/max bound numbers (number, integer, port), times (timestamp, date: ISO text)
// or lengths (every other type); a pattern is RE2 and must match the whole value.
import { z } from 'zod';
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';
import type { PlainValue } from '../../data/plain-value.js';
import { missingSql, MAX_PATTERN_CHARS } from './rule-compile.js';
import type { RowCheck } from './row-checks.js';
import { sqlText, sqlValue, sql, joinSql, type SqlFragment } from './sql-fragment.js';
import type { SpecFile } from './spec-file.js';
import { SPEC_TYPES, numberSql, textValueSql, timeValueSql, typeTestSql, type SpecType } from './value-types.js';

const COLUMN_TYPES = SPEC_TYPES.filter((t) => t !== 'null' && t !== 'array' && t !== 'object');
const bound = z.union([z.number(), z.string().max(64)]);

export const columnRuleSchema = z.strictObject({
  type: z.enum(COLUMN_TYPES as [SpecType, ...SpecType[]]).default('string'),
  required: z.boolean().default(false),
  pattern: z.string().min(1).max(MAX_PATTERN_CHARS).optional(),
  min: bound.optional(),
  max: bound.optional(),
  enum: z.array(z.union([z.string().max(1000), z.number(), z.boolean()])).min(1).max(10_000).optional(),
  unique: z.boolean().default(false),
  description: z.string().max(1000).optional(),
});
export type ColumnRule = z.infer<typeof columnRuleSchema>;

const specHeadSchema = z.strictObject({
  version: z.literal(1).optional(),
  description: z.string().max(2000).optional(),
  columns: z.unknown(),
  additional_columns: z.enum(['allow', 'forbid']).default('allow'),
});

const MAX_COLUMNS = 2000;

/** Whether parsed spec data is a column spec (a `columns` map and none of JSON Schema's keywords) rather than a JSON Schema. */
export function isColumnSpec(value: PlainValue): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const columns = value['columns'];
  return columns !== null && typeof columns === 'object' && !Array.isArray(columns) && !('properties' in value) && !('$schema' in value) && !('type' in value);
}

export interface LoadedColumnSpec {
  readonly columns: ReadonlyMap<string, ColumnRule>;
  readonly forbidOthers: boolean;
}

export function loadColumnSpec(file: SpecFile): LoadedColumnSpec {
  const head = specHeadSchema.safeParse(file.value);
  if (!head.success) throw invalid(file, head.error.issues[0], []);
  const raw = head.data.columns as Record<string, PlainValue>;
  const names = Object.keys(raw);
  if (names.length === 0 || names.length > MAX_COLUMNS) throw new ValidationSpecError(file.name, 'invalid', `a column spec names 1 to ${MAX_COLUMNS} columns; this one names ${names.length}`);
  // A Map, not an object: column names are data (`__proto__` is a name like any other).
  const columns = new Map<string, ColumnRule>();
  for (const name of names) {
    const parsed = columnRuleSchema.safeParse(raw[name] ?? {});
    if (!parsed.success) throw invalid(file, parsed.error.issues[0], ['columns', name]);
    columns.set(name, parsed.data);
  }
  return { columns, forbidOthers: head.data.additional_columns === 'forbid' };
}

function invalid(file: SpecFile, issue: z.core.$ZodIssue | undefined, prefix: readonly (string | number)[]): ValidationSpecError {
  const path = [...prefix, ...(issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol')];
  const line = file.lineOf(path) ?? file.lineOf(prefix);
  return new ValidationSpecError(file.name, 'invalid', `${issue?.message ?? 'not a column spec'}${path.length === 0 ? '' : ` (at ${path.join('.')})`}`, line === undefined ? {} : { line });
}

export function columnSpecChecks(file: SpecFile, spec: LoadedColumnSpec, dataset: DatasetHandle): { checks: RowCheck[]; patterns: { rule: string; pattern: string }[] } {
  const byName = new Map(dataset.columns.map((c) => [c.name, c]));
  const checks: RowCheck[] = [];
  const patterns: { rule: string; pattern: string }[] = [];
  for (const [name, rule] of spec.columns) {
    const column = byName.get(name);
    const id = (what: string): string => `${name}.${what}`;
    if (column === undefined) {
      if (rule.required) checks.push({ kind: 'dataset', id: id('required'), column: name, severity: 'error', message: `column ${name} is missing from the data`, rows: dataset.rowCount });
      continue;
    }
    const present = sqlText(`NOT ${missingSql(column)}`);
    const scan = (what: string, message: string, broken: SqlFragment, timed = false): void => {
      checks.push({ kind: 'scan', id: id(what), column: name, severity: 'error', message, value: textValueSql(column), timed, where: sql`${present} AND ${broken}` });
    };
    if (rule.required) checks.push({ kind: 'scan', id: id('required'), column: name, severity: 'error', message: `${name} is missing`, value: null, timed: false, where: sqlText(missingSql(column)) });
    if (rule.type !== 'string') scan('type', `not a valid ${rule.type}`, sqlText(`NOT ${typeTestSql(column, rule.type)}`));
    if (rule.pattern !== undefined) {
      patterns.push({ rule: id('pattern'), pattern: rule.pattern });
      scan('pattern', `does not match the pattern ${rule.pattern}`, sql`NOT regexp_full_match(${textValueSql(column)}, ${sqlValue(rule.pattern)})`, true);
    }
    for (const [what, value] of [['min', rule.min], ['max', rule.max]] as const) {
      if (value === undefined) continue;
      const { expr, literal, shown } = boundFor(file, name, rule.type, column, value, what);
      scan(what, `${what === 'min' ? 'below' : 'above'} the ${what}imum ${shown}`, sql`${expr} IS NOT NULL AND ${expr} ${what === 'min' ? '<' : '>'} ${literal}`);
    }
    if (rule.enum !== undefined) {
      const numeric = rule.type === 'number' || rule.type === 'integer' || rule.type === 'port';
      const values = rule.enum.map((v) => (numeric ? Number(v) : String(v)));
      if (numeric && values.some((v) => typeof v === 'number' && !Number.isFinite(v))) throw new ValidationSpecError(file.name, 'invalid', `the enum of a ${rule.type} column holds numbers`, { rule: name, column: name });
      const list = joinSql(values.map((v) => (numeric ? sql`CAST(${sqlValue(v)} AS DOUBLE)` : sqlValue(v))), ', ');
      const shown = rule.enum.slice(0, 8).map(String).join(', ');
      scan('enum', `not one of ${shown}${rule.enum.length > 8 ? ', ...' : ''}`, sql`${numeric ? numberSql(column) : textValueSql(column)} NOT IN (${list})`);
    }
    if (rule.unique) checks.push({ kind: 'unique', id: id('unique'), column: name, severity: 'error', message: `duplicate ${name}`, columns: [name], applies: null });
  }
  if (spec.forbidOthers) {
    for (const column of dataset.columns) {
      if (!spec.columns.has(column.name)) checks.push({ kind: 'dataset', id: `${column.name}.additional`, column: column.name, severity: 'error', message: `column ${column.name} is not in the spec (additional_columns: forbid)`, rows: dataset.rowCount });
    }
  }
  return { checks, patterns };
}

/** The compared expression and the bound for min/max: a number, a time (ISO text) or a length, by the column's type. */
function boundFor(file: SpecFile, name: string, type: SpecType, column: DatasetColumn, value: number | string, what: string): { expr: string; literal: SqlFragment; shown: string } {
  const fail = (detail: string): never => {
    throw new ValidationSpecError(file.name, 'invalid', detail, { rule: name, column: name, ...lineOf(file, ['columns', name, what]) });
  };
  if (type === 'timestamp' || type === 'date') {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) fail(`${what} of a ${type} column is an ISO 8601 time such as 2026-01-01T00:00:00Z`);
    return { expr: timeValueSql(column), literal: sql`CAST(${sqlValue(String(value))} AS TIMESTAMPTZ)`, shown: String(value) };
  }
  if (typeof value !== 'number') return fail(`${what} of a ${type} column is a number`);
  if (type === 'number' || type === 'integer' || type === 'port') return { expr: numberSql(column), literal: sql`CAST(${sqlValue(value)} AS DOUBLE)`, shown: String(value) };
  return { expr: `length(${textValueSql(column)})`, literal: sql`CAST(${sqlValue(value)} AS DOUBLE)`, shown: `length ${value}` };
}

function lineOf(file: SpecFile, path: readonly (string | number)[]): { line?: number } {
  const line = file.lineOf(path);
  return line === undefined ? {} : { line };
}
