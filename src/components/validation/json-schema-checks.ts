// Splits a JSON Schema for one row into what the engine checks (per-property type, enum, const, numeric bounds, string
// lengths, pattern, common formats; required; additionalProperties: false) and a residual schema for ajv (anything
// else: $ref, allOf/anyOf/oneOf, if/then, dependentRequired, ...). A row's NULL is an absent property.
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { PlainValue } from '../../data/plain-value.js';
import { ROLE_VALIDITY } from './role-validity.js';
import type { RowCheck } from './row-checks.js';
import { joinSql, sql, sqlText, sqlValue, type SqlFragment } from './sql-fragment.js';
import { SPEC_TYPES, columnKind, numberSql, textValueSql, typeTestSql, type SpecType } from './value-types.js';

type SchemaObject = Record<string, PlainValue>;

/** Keywords that say nothing about validity. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const PROPERTY_KEYWORDS = new Set(['type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'format']);
/** Root keywords the engine covers, or that only support others ($defs are carried into the residual when it needs them). */
const ROOT_KEYWORDS = new Set(['$schema', '$id', 'type', 'properties', 'required', 'additionalProperties', '$defs', 'definitions']);

const FORMATS: Readonly<Record<string, (v: string) => string>> = {
  'date-time': (v) => `(TRY_CAST(${v} AS TIMESTAMPTZ) IS NOT NULL AND regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})'))`,
  date: (v) => `(TRY_CAST(${v} AS DATE) IS NOT NULL AND regexp_full_match(${v}, '\\d{4}-\\d{2}-\\d{2}'))`,
  ipv4: (v) => `regexp_full_match(${v}, '((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)')`,
  ipv6: (v) => `(contains(${v}, ':') AND regexp_full_match(${v}, '[0-9A-Fa-f:.]{2,45}'))`,
  email: (v) => ROLE_VALIDITY.email?.test(v) ?? 'true',
  uuid: (v) => `regexp_full_match(${v}, '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}')`,
  hostname: (v) => `regexp_full_match(${v}, '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*')`,
  uri: (v) => `regexp_full_match(${v}, '[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*')`,
};

export interface JsonSchemaPlan {
  readonly checks: RowCheck[];
  readonly patterns: { rule: string; pattern: string }[];
  /** What ajv still has to check on each row, or null when the engine covers the whole schema. */
  readonly residual: SchemaObject | null;
  /** The columns the residual reads (all columns when it has keywords about the whole row). */
  readonly residualColumns: readonly string[];
}

export function planJsonSchema(schema: SchemaObject, dataset: DatasetHandle): JsonSchemaPlan {
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  const properties = isObject(schema['properties']) ? schema['properties'] : Object.create(null) as SchemaObject;
  const checks: RowCheck[] = [];
  const patterns: { rule: string; pattern: string }[] = [];
  const residualProperties = Object.create(null) as SchemaObject;
  const ajvColumns: string[] = [];
  for (const name of Object.keys(properties)) {
    const sub = properties[name] ?? true;
    const column = columns.get(name);
    if (column === undefined || sub === true || (isObject(sub) && Object.keys(sub).every((k) => ANNOTATIONS.has(k)))) {
      residualProperties[name] = true;
      continue;
    }
    const compiled = isObject(sub) ? propertyChecks(name, column, sub) : null;
    if (compiled === null) {
      residualProperties[name] = sub;
      ajvColumns.push(name);
    } else {
      residualProperties[name] = true;
      checks.push(...compiled.checks);
      patterns.push(...compiled.patterns);
    }
  }
  for (const name of Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []) {
    const column = columns.get(name);
    if (column === undefined) checks.push({ kind: 'dataset', id: `${name}.required`, column: name, severity: 'error', message: `column ${name} is missing from the data`, rows: dataset.rowCount });
    else checks.push({ kind: 'scan', id: `${name}.required`, column: name, severity: 'error', message: 'required, and missing', value: null, timed: false, where: sqlText(`${quoteIdent(name)} IS NULL`) });
  }
  const otherRootKeys = Object.keys(schema).filter((k) => !ROOT_KEYWORDS.has(k) && !ANNOTATIONS.has(k));
  const additional = schema['additionalProperties'];
  // additionalProperties: false is the engine's when nothing else decides which properties are "additional".
  const additionalInEngine = additional === false && !otherRootKeys.some((k) => k === 'patternProperties' || k.startsWith('unevaluated'));
  if (additionalInEngine) {
    for (const column of dataset.columns) {
      if (properties[column.name] === undefined) {
        checks.push({ kind: 'scan', id: `${column.name}.additionalProperties`, column: column.name, severity: 'error', message: 'a property the schema does not allow', value: textValueSql(column), timed: false, where: sqlText(`${quoteIdent(column.name)} IS NOT NULL`) });
      }
    }
  }
  const rootType = schema['type'];
  const rootIsObject = rootType === undefined || rootType === 'object';
  const needsResidual = ajvColumns.length > 0 || otherRootKeys.length > 0 || !rootIsObject || (additional !== undefined && additional !== false && additional !== true) || (additional === false && !additionalInEngine);
  if (!needsResidual) return { checks, patterns, residual: null, residualColumns: [] };
  const residual = Object.create(null) as SchemaObject;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' || key === 'properties' || (key === 'additionalProperties' && additionalInEngine)) continue;
    residual[key] = value;
  }
  residual['properties'] = residualProperties;
  const wholeRow = otherRootKeys.length > 0 || !rootIsObject || (additional !== undefined && !additionalInEngine);
  return { checks, patterns, residual, residualColumns: wholeRow ? dataset.columns.map((c) => c.name) : ajvColumns };
}

/** The checks for one property, or null when a keyword needs ajv (the whole property then goes there). */
function propertyChecks(name: string, column: DatasetColumn, sub: SchemaObject): { checks: RowCheck[]; patterns: { rule: string; pattern: string }[] } | null {
  const keywords = Object.keys(sub).filter((k) => !ANNOTATIONS.has(k));
  if (keywords.some((k) => !PROPERTY_KEYWORDS.has(k))) return null;
  const format = sub['format'];
  if (format !== undefined && (typeof format !== 'string' || FORMATS[format] === undefined)) return null;
  const kind = columnKind(column);
  const isString = kind === 'text';
  const checks: RowCheck[] = [];
  const patterns: { rule: string; pattern: string }[] = [];
  const present = `${quoteIdent(name)} IS NOT NULL`;
  const value = textValueSql(column);
  const add = (keyword: string, message: string, broken: SqlFragment, timed = false): void => {
    checks.push({ kind: 'scan', id: `${name}.${keyword}`, column: name, severity: 'error', message, value, timed, where: sql`${present} AND ${broken}` });
  };

  const type = sub['type'];
  if (type !== undefined) {
    const types = (Array.isArray(type) ? type : [type]).filter((t): t is SpecType => typeof t === 'string' && (SPEC_TYPES as readonly string[]).includes(t));
    if (types.length === 0) return null;
    add('type', `must be ${types.join(' or ')}`, sqlText(`NOT (${types.map((t) => typeTestSql(column, t)).join(' OR ')})`));
  }
  for (const keyword of ['enum', 'const'] as const) {
    const raw = sub[keyword];
    if (raw === undefined) continue;
    const list = keyword === 'const' ? [raw] : Array.isArray(raw) ? raw : null;
    if (list === null || list.some((v) => v !== null && typeof v === 'object')) return null;
    const numeric = kind === 'integer' || kind === 'number';
    if (!numeric && kind !== 'text' && kind !== 'boolean') return null;
    const values = list.filter((v): v is string | number | boolean => v !== null).filter((v) => !numeric || typeof v === 'number');
    const items = joinSql(values.map((v) => (numeric ? sql`CAST(${sqlValue(v)} AS DOUBLE)` : sqlValue(String(v)))), ', ');
    const test = values.length === 0 ? sqlText('true') : sql`${numeric ? `CAST(${quoteIdent(name)} AS DOUBLE)` : kind === 'boolean' ? `CAST(${quoteIdent(name)} AS VARCHAR)` : quoteIdent(name)} NOT IN (${items})`;
    add(keyword, keyword === 'const' ? `must be ${JSON.stringify(raw)}` : `must be one of ${list.slice(0, 8).map((v) => JSON.stringify(v)).join(', ')}${list.length > 8 ? ', ...' : ''}`, test);
  }
  const bounds = [['minimum', '<'], ['exclusiveMinimum', '<='], ['maximum', '>'], ['exclusiveMaximum', '>=']] as const;
  for (const [keyword, op] of bounds) {
    const limit = sub[keyword];
    if (limit === undefined) continue;
    if (typeof limit !== 'number') return null;
    const n = numberSql(column);
    // A bound applies to numbers only: text that is not a number is the type's business.
    add(keyword, `must be ${op === '<' ? '>=' : op === '<=' ? '>' : op === '>' ? '<=' : '<'} ${limit}`, sql`${n} IS NOT NULL AND ${n} ${op} CAST(${sqlValue(limit)} AS DOUBLE)`);
  }
  for (const [keyword, op] of [['minLength', '<'], ['maxLength', '>']] as const) {
    const limit = sub[keyword];
    if (limit === undefined) continue;
    if (typeof limit !== 'number') return null;
    if (isString) add(keyword, `must have ${op === '<' ? 'at least' : 'at most'} ${limit} characters`, sql`length(${quoteIdent(name)}) ${op} ${sqlValue(limit)}`);
  }
  const pattern = sub['pattern'];
  if (pattern !== undefined) {
    if (typeof pattern !== 'string') return null;
    patterns.push({ rule: `${name}.pattern`, pattern });
    // JSON Schema patterns search (they are not anchored), and apply to strings only.
    if (isString) add('pattern', `must match the pattern ${pattern}`, sql`NOT regexp_matches(${quoteIdent(name)}, ${sqlValue(pattern)})`, true);
  }
  if (typeof format === 'string' && isString) add('format', `must be a valid ${format}`, sqlText(`NOT ${FORMATS[format]?.(quoteIdent(name)) ?? 'true'}`));
  return { checks, patterns };
}

function isObject(value: PlainValue | undefined): value is SchemaObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}
