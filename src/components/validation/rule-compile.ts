// Compiles a rule condition's AST to SQL over the dataset's columns: identifiers quoted, every literal a bound parameter,
// operands brought to one type per comparison (text read as a number where a number is compared), missing values
// (NULL, or empty text) handled explicitly. Regular expressions go to DuckDB's RE2 (linear time) with a length bound.
import type { DatasetColumn } from '../../model/dataset.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { Fail, LiteralValue, RuleExpr } from './rule-expression.js';
import { joinSql, sql, sqlText, sqlValue, type SqlFragment } from './sql-fragment.js';
import { isTimestampType } from '../../data/sql-types.js';

export const MAX_PATTERN_CHARS = 1000;

type ValueType = 'number' | 'text' | 'boolean' | 'time' | 'null';

interface Compiled {
  readonly sql: SqlFragment;
  readonly type: ValueType;
}

export interface CompileScope {
  readonly columns: ReadonlyMap<string, DatasetColumn>;
  /** Called for a column the data does not have: throws the error naming the rule and the column. */
  readonly unknownColumn: (name: string) => never;
  readonly fail: Fail;
}

export interface CompiledCondition {
  /** True where the condition holds. */
  readonly sql: SqlFragment;
  /** Columns whose values the condition reads (not just tests for absence): a row missing one is not judged. */
  readonly valued: readonly string[];
  /** Every column it names. */
  readonly columns: readonly string[];
  /** The regular expressions it uses (to be validated and run under the time limit). */
  readonly patterns: readonly string[];
}

export function compileCondition(expr: RuleExpr, scope: CompileScope): CompiledCondition {
  const valued = new Set<string>();
  const named = new Set<string>();
  const patterns: string[] = [];
  const column = (name: string): DatasetColumn => {
    const found = scope.columns.get(name);
    if (found === undefined) scope.unknownColumn(name);
    named.add(name);
    return found;
  };

  const visit = (e: RuleExpr): Compiled => {
    switch (e.kind) {
      case 'column': {
        const c = column(e.name);
        valued.add(e.name);
        return { sql: sqlText(quoteIdent(c.name)), type: typeOf(c) };
      }
      case 'literal':
        return literal(e.value);
      case 'compare': {
        if (e.left.kind === 'literal' && e.left.value === null) return visit({ kind: 'compare', op: e.op, left: e.right, right: e.left });
        if (e.right.kind === 'literal' && e.right.value === null) {
          if (e.op !== '=' && e.op !== '!=') return scope.fail('compare with null using "is null" or "is not null"');
          return visit({ kind: 'is-null', operand: e.left, negated: e.op === '!=' });
        }
        const left = visit(e.left);
        const right = visit(e.right);
        const domain = commonType(left.type, right.type, scope.fail);
        return { sql: sql`(${as(left, domain)} ${e.op} ${as(right, domain)})`, type: 'boolean' };
      }
      case 'logical': {
        const left = boolean(visit(e.left), scope.fail);
        const right = boolean(visit(e.right), scope.fail);
        return { sql: sql`(${left} ${e.op.toUpperCase()} ${right})`, type: 'boolean' };
      }
      case 'not':
        return { sql: sql`(NOT ${boolean(visit(e.operand), scope.fail)})`, type: 'boolean' };
      case 'in': {
        const operand = visit(e.operand);
        const values = e.values.filter((v) => v !== null);
        const domain = operand.type === 'number' || operand.type === 'time' || operand.type === 'boolean' ? operand.type : 'text';
        const list = joinSql(values.map((v) => as(literal(domainLiteral(v, domain, scope.fail)), domain)), ', ');
        let test = values.length === 0 ? sqlText('false') : sql`(${as(operand, domain)} IN (${list}))`;
        if (values.length < e.values.length) test = sql`(${test} OR ${missing(e.operand, operand)})`;
        return { sql: e.negated ? sql`(NOT ${test})` : test, type: 'boolean' };
      }
      case 'is-null': {
        // Absence tests read no value: a row is judged on them even when the column is empty.
        const wasValued = e.operand.kind === 'column' && valued.has(e.operand.name);
        const operand = visit(e.operand);
        if (e.operand.kind === 'column' && !wasValued) valued.delete(e.operand.name);
        const test = missing(e.operand, operand);
        return { sql: e.negated ? sql`(NOT ${test})` : test, type: 'boolean' };
      }
      case 'matches': {
        if (e.pattern.length > MAX_PATTERN_CHARS) return scope.fail(`the pattern is ${e.pattern.length} characters long; at most ${MAX_PATTERN_CHARS}`);
        patterns.push(e.pattern);
        const test = sql`regexp_full_match(${as(visit(e.operand), 'text')}, ${sqlValue(e.pattern)})`;
        return { sql: e.negated ? sql`(NOT ${test})` : test, type: 'boolean' };
      }
      case 'arith': {
        const left = as(visit(e.left), 'number');
        const right = as(visit(e.right), 'number');
        return { sql: sql`(${left} ${e.op} ${right})`, type: 'number' };
      }
      case 'negate':
        return { sql: sql`(- ${as(visit(e.operand), 'number')})`, type: 'number' };
      case 'call': {
        const arg = visit(e.arg);
        if (e.fn === 'length') return { sql: sql`length(${as(arg, 'text')})`, type: 'number' };
        if (e.fn === 'abs') return { sql: sql`abs(${as(arg, 'number')})`, type: 'number' };
        return { sql: sql`${e.fn}(${as(arg, 'text')})`, type: 'text' };
      }
    }
  };

  const result = visit(expr);
  if (result.type !== 'boolean') scope.fail('the condition must be true or false for a row: a comparison such as bytes_sent <= 1e9');
  return { sql: result.sql, valued: [...valued], columns: [...named], patterns };
}

/** True where the column or expression has no value: NULL, or empty text. */
export function missingSql(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  return column.sqlType === 'VARCHAR' ? `(${c} IS NULL OR ${c} = '')` : `(${c} IS NULL)`;
}

function missing(e: RuleExpr, compiled: Compiled): SqlFragment {
  if (compiled.type === 'text') return sql`(${compiled.sql} IS NULL OR ${compiled.sql} = '')`;
  return e.kind === 'literal' && e.value === null ? sqlText('true') : sql`(${compiled.sql} IS NULL)`;
}

function typeOf(column: DatasetColumn): ValueType {
  const t = column.sqlType;
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/.test(t)) return 'number';
  if (t === 'BOOLEAN') return 'boolean';
  if (isTimestampType(t) || t === 'DATE') return 'time';
  return 'text';
}

function literal(value: LiteralValue): Compiled {
  if (value === null) return { sql: sqlText('NULL'), type: 'null' };
  if (typeof value === 'number') return { sql: sql`CAST(${sqlValue(value)} AS DOUBLE)`, type: 'number' };
  if (typeof value === 'boolean') return { sql: sql`CAST(${sqlValue(value)} AS BOOLEAN)`, type: 'boolean' };
  return { sql: sql`CAST(${sqlValue(value)} AS VARCHAR)`, type: 'text' };
}

/** The type both sides of a comparison are read as: a number or a time wins over text; booleans meet text or booleans. */
function commonType(a: ValueType, b: ValueType, fail: Fail): ValueType {
  if (a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has('number') && (pair.has('time') || pair.has('boolean'))) return fail(`cannot compare a number with a ${pair.has('time') ? 'time' : 'true/false value'}`);
  if (pair.has('time') && pair.has('boolean')) return fail('cannot compare a time with a true/false value');
  if (pair.has('number')) return 'number';
  if (pair.has('time')) return 'time';
  if (pair.has('boolean')) return 'boolean';
  return 'text';
}

/** An operand read as the domain's type; text that does not read as one becomes NULL (and the row then fails the rule). */
function as(value: Compiled, domain: ValueType): SqlFragment {
  if (value.type === domain || value.type === 'null') return value.sql;
  switch (domain) {
    case 'number':
      return sql`TRY_CAST(${value.sql} AS DOUBLE)`;
    case 'time':
      return sql`TRY_CAST(${value.sql} AS TIMESTAMPTZ)`;
    case 'boolean':
      return sql`TRY_CAST(${value.sql} AS BOOLEAN)`;
    default:
      return sql`CAST(${value.sql} AS VARCHAR)`;
  }
}

function boolean(value: Compiled, fail: Fail): SqlFragment {
  if (value.type !== 'boolean') fail('"and", "or" and "not" join comparisons, not values');
  return value.sql;
}

/** A list value as the operand's type: numbers for a number column (text that is not a number is an error), text otherwise. */
function domainLiteral(value: Exclude<LiteralValue, null>, domain: ValueType, fail: Fail): LiteralValue {
  if (domain === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    if (typeof value === 'boolean' || !Number.isFinite(n) || String(value).trim() === '') return fail(`'${String(value)}' is not a number, and the column holds numbers`);
    return n;
  }
  if (domain === 'text') return typeof value === 'string' ? value : String(value);
  return value;
}
