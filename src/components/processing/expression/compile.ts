// Compiles an expression tree to DuckDB SQL: column names resolved against the dataset and quoted as identifiers,
// text quoted as literals, numbers as the digits the tokenizer accepted, functions from a fixed list mapped to SQL
// functions. Nothing of the user's text reaches the SQL except through quoteIdent and quoteLiteral.
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import { TransformError } from '../../../model/errors/transform-error.js';
import { nearestName } from '../../validation/nearest-name.js';
import { parseExpression, type Expr } from './parse.js';

/** Longest regular expression `matches()` accepts; DuckDB runs patterns with RE2, which is linear-time. */
const MAX_PATTERN_LENGTH = 200;
const MAX_ARGUMENTS = 16;

interface FunctionSpec {
  readonly min: number;
  readonly max: number;
  sql(args: readonly string[]): string;
}

const call = (name: string) => (args: readonly string[]): string => `${name}(${args.join(', ')})`;

const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ['lower', { min: 1, max: 1, sql: (a) => `lower(CAST(${a[0] ?? 'NULL'} AS VARCHAR))` }],
  ['upper', { min: 1, max: 1, sql: (a) => `upper(CAST(${a[0] ?? 'NULL'} AS VARCHAR))` }],
  ['trim', { min: 1, max: 1, sql: (a) => `trim(CAST(${a[0] ?? 'NULL'} AS VARCHAR))` }],
  ['length', { min: 1, max: 1, sql: (a) => `length(CAST(${a[0] ?? 'NULL'} AS VARCHAR))` }],
  ['substr', { min: 2, max: 3, sql: (a) => `substr(CAST(${a[0] ?? 'NULL'} AS VARCHAR), ${a.slice(1).join(', ')})` }],
  ['replace', { min: 3, max: 3, sql: (a) => `replace(CAST(${a[0] ?? 'NULL'} AS VARCHAR), ${a[1] ?? 'NULL'}, ${a[2] ?? 'NULL'})` }],
  ['concat', { min: 1, max: MAX_ARGUMENTS, sql: call('concat') }],
  ['starts_with', { min: 2, max: 2, sql: (a) => `starts_with(CAST(${a[0] ?? 'NULL'} AS VARCHAR), ${a[1] ?? 'NULL'})` }],
  ['ends_with', { min: 2, max: 2, sql: (a) => `suffix(CAST(${a[0] ?? 'NULL'} AS VARCHAR), ${a[1] ?? 'NULL'})` }],
  ['contains', { min: 2, max: 2, sql: (a) => `contains(CAST(${a[0] ?? 'NULL'} AS VARCHAR), ${a[1] ?? 'NULL'})` }],
  ['matches', { min: 2, max: 2, sql: (a) => `regexp_matches(CAST(${a[0] ?? 'NULL'} AS VARCHAR), ${a[1] ?? 'NULL'})` }],
  ['coalesce', { min: 1, max: MAX_ARGUMENTS, sql: call('coalesce') }],
  ['abs', { min: 1, max: 1, sql: call('abs') }],
  ['round', { min: 1, max: 2, sql: call('round') }],
  ['floor', { min: 1, max: 1, sql: call('floor') }],
  ['ceil', { min: 1, max: 1, sql: call('ceil') }],
  ['ln', { min: 1, max: 1, sql: call('ln') }],
  ['sqrt', { min: 1, max: 1, sql: call('sqrt') }],
  ['least', { min: 2, max: MAX_ARGUMENTS, sql: call('least') }],
  ['greatest', { min: 2, max: MAX_ARGUMENTS, sql: call('greatest') }],
  ['number', { min: 1, max: 1, sql: (a) => `TRY_CAST(${a[0] ?? 'NULL'} AS DOUBLE)` }],
  ['text', { min: 1, max: 1, sql: (a) => `CAST(${a[0] ?? 'NULL'} AS VARCHAR)` }],
  ['date', { min: 1, max: 1, sql: (a) => `TRY_CAST(${a[0] ?? 'NULL'} AS DATE)` }],
  ['hour', { min: 1, max: 1, sql: call('hour') }],
  ['year', { min: 1, max: 1, sql: call('year') }],
  ['month', { min: 1, max: 1, sql: call('month') }],
  ['day', { min: 1, max: 1, sql: call('day') }],
  ['epoch', { min: 1, max: 1, sql: call('epoch') }],
]);

/** Resolves a name as written to the dataset's column: exactly, else case-insensitively when that is unambiguous. */
export function resolveColumn(name: string, columns: readonly string[], parameter: string): string {
  if (columns.includes(name)) return name;
  const folded = columns.filter((c) => c.toLowerCase() === name.toLowerCase());
  if (folded.length === 1 && folded[0] !== undefined) return folded[0];
  const nearest = nearestName(name, columns);
  const listed = columns.slice(0, 20).join(', ') + (columns.length > 20 ? `, ... (${columns.length} columns)` : '');
  const guess = nearest === null ? '' : `; did you mean '${nearest}'?`;
  throw new TransformError(parameter, 'unknown-column', `unknown column '${name}'${guess}`, { column: name, hint: `the columns are: ${listed}` });
}

export interface CompiledExpression {
  readonly sql: string;
  /** The dataset columns the expression reads. */
  readonly columns: readonly string[];
}

export function compileExpression(source: string, columns: readonly string[], parameter: string): CompiledExpression {
  const used = new Set<string>();
  const sql = compile(parseExpression(source, parameter), columns, parameter, used);
  return { sql, columns: [...used] };
}

function compile(expr: Expr, columns: readonly string[], parameter: string, used: Set<string>): string {
  const sub = (e: Expr): string => compile(e, columns, parameter, used);
  switch (expr.kind) {
    case 'literal':
      if (expr.type === 'null') return 'NULL';
      if (expr.type === 'boolean') return expr.value === true ? 'TRUE' : 'FALSE';
      // Numbers are the tokenizer's digits, dot and exponent only; text goes through the literal quoting.
      return expr.type === 'number' ? String(expr.value) : quoteLiteral(String(expr.value));
    case 'column': {
      const resolved = resolveColumn(expr.name, columns, parameter);
      used.add(resolved);
      return quoteIdent(resolved);
    }
    case 'unary':
      return expr.op === 'not' ? `(NOT ${sub(expr.operand)})` : `(-${sub(expr.operand)})`;
    case 'binary':
      return `(${sub(expr.left)} ${expr.op.toUpperCase()} ${sub(expr.right)})`;
    case 'in':
      return `(${sub(expr.operand)} ${expr.negated ? 'NOT IN' : 'IN'} (${expr.list.map(sub).join(', ')}))`;
    case 'is-null':
      return `(${sub(expr.operand)} IS ${expr.negated ? 'NOT NULL' : 'NULL'})`;
    case 'like':
      return `(CAST(${sub(expr.operand)} AS VARCHAR) ${expr.negated ? 'NOT LIKE' : 'LIKE'} ${sub(expr.pattern)})`;
    case 'between':
      return `(${sub(expr.operand)} ${expr.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${sub(expr.low)} AND ${sub(expr.high)})`;
    case 'call': {
      const spec = FUNCTIONS.get(expr.name);
      if (spec === undefined) throw new TransformError(parameter, 'unknown-function', `unknown function '${expr.name}' at character ${expr.at + 1}`);
      if (expr.args.length < spec.min || expr.args.length > spec.max) {
        const wanted = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
        throw new TransformError(parameter, 'bad-argument', `${expr.name}() takes ${wanted} argument${spec.max === 1 ? '' : 's'}, given ${expr.args.length}`);
      }
      if (expr.name === 'matches') {
        const pattern = expr.args[1];
        if (pattern?.kind !== 'literal' || pattern.type !== 'string' || String(pattern.value).length > MAX_PATTERN_LENGTH) {
          throw new TransformError(parameter, 'bad-argument', `matches() takes a pattern in quotes of at most ${MAX_PATTERN_LENGTH} characters as its second argument`);
        }
      }
      return spec.sql(expr.args.map(sub));
    }
  }
}
