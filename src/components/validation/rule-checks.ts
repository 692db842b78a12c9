// Turns loaded rules into row checks over the dataset: every kind becomes a condition in the rule language (a range
// is `column >= min and column <= max`), compiled once to SQL; a column the data does not have is an error naming the
// rule and the column, with the nearest column name as a hint.
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import { compileCondition, missingSql, type CompileScope, type CompiledCondition } from './rule-compile.js';
import { parseRuleExpression, parseRuleStatement, type LiteralValue, type RuleExpr } from './rule-expression.js';
import type { LoadedRule } from './rules-file.js';
import type { RowCheck } from './row-checks.js';
import { sql, sqlText, type SqlFragment } from './sql-fragment.js';
import { nearestName } from './nearest-name.js';

export interface CompiledRules {
  readonly checks: RowCheck[];
  /** Every regular expression, with its rule, to be validated by the engine before the run. */
  readonly patterns: readonly { readonly rule: string; readonly pattern: string }[];
}

export function compileRules(file: string, rules: readonly LoadedRule[], dataset: DatasetHandle): CompiledRules {
  const byName = new Map(dataset.columns.map((c) => [c.name, c]));
  const checks: RowCheck[] = [];
  const patterns: { rule: string; pattern: string }[] = [];
  for (const rule of rules) {
    const { spec } = rule;
    const where = { rule: `rule '${spec.id}'`, ...(rule.line === undefined ? {} : { line: rule.line }) };
    const fail = (detail: string): never => {
      throw new ValidationSpecError(file, 'invalid', detail, where);
    };
    const scope: CompileScope = {
      columns: byName,
      fail,
      unknownColumn: (name) => {
        const near = nearestName(name, dataset.columns.map((c) => c.name));
        throw new ValidationSpecError(file, 'unknown-column', `names column '${name}', which the data does not have`, {
          ...where,
          column: name,
          hint: `${near === null ? '' : `did you mean '${near}'? `}columns: ${dataset.columns.map((c) => c.name).join(', ')}`,
        });
      },
    };
    const compile = (expr: RuleExpr): CompiledCondition => compileCondition(expr, scope);
    const when = spec.when === undefined ? null : compile(parseRuleExpression(spec.when, (m) => fail(`when: ${m}`)));
    const base = { id: spec.id, severity: rule.severity };
    const applies = (extra: SqlFragment): SqlFragment => (when === null ? extra : sql`coalesce(${when.sql}, false) AND ${extra}`);
    const column = (name: string): DatasetColumn => byName.get(name) ?? scope.unknownColumn(name);
    const requiredChecks = (names: readonly string[], condition: CompiledCondition | null, label: string | null): void => {
      for (const name of names) {
        const c = column(name);
        const test = sqlText(missingSql(c));
        checks.push({ ...base, kind: 'scan', column: name, message: spec.message ?? `${name} is missing${label === null ? '' : ` (required if ${label})`}`, value: null, timed: (condition?.patterns.length ?? 0) > 0, where: condition === null ? test : sql`coalesce(${condition.sql}, false) AND ${test}` });
      }
    };
    let condition: CompiledCondition;
    let message: string;
    switch (rule.kind) {
      case 'required': {
        requiredChecks(asList(spec.required), when, spec.when ?? null);
        if (when !== null) patterns.push(...when.patterns.map((p) => ({ rule: spec.id, pattern: p })));
        continue;
      }
      case 'unique': {
        const names = asList(spec.unique);
        names.forEach(column);
        checks.push({ ...base, kind: 'unique', column: names.join(', '), message: spec.message ?? `duplicate ${names.join(', ')}`, columns: names, applies: when?.sql ?? null });
        continue;
      }
      case 'check': {
        const statement = parseRuleStatement(spec.check ?? '', (m) => fail(`check: ${m}`));
        if (statement.kind === 'required') {
          const inner = statement.when === null ? null : compile(statement.when);
          const combined = joinConditions(when, inner);
          requiredChecks([statement.column], combined, spec.check?.replace(/^.*?\brequired\s+(if|when)\s+/i, '') ?? null);
          for (const c of [when, inner]) if (c !== null) patterns.push(...c.patterns.map((p) => ({ rule: spec.id, pattern: p })));
          continue;
        }
        condition = compile(statement.expr);
        message = spec.message ?? spec.description ?? `${spec.check ?? ''} does not hold`;
        break;
      }
      case 'range': {
        const name = spec.column ?? '';
        const parts: RuleExpr[] = [];
        if (spec.range?.min !== undefined) parts.push({ kind: 'compare', op: '>=', left: { kind: 'column', name }, right: { kind: 'literal', value: spec.range.min } });
        if (spec.range?.max !== undefined) parts.push({ kind: 'compare', op: '<=', left: { kind: 'column', name }, right: { kind: 'literal', value: spec.range.max } });
        condition = compile(parts.reduce((left, right) => ({ kind: 'logical', op: 'and', left, right })));
        message = spec.message ?? `outside the range ${String(spec.range?.min ?? '')}..${String(spec.range?.max ?? '')}`;
        break;
      }
      case 'allowed': {
        const values: LiteralValue[] = spec.allowed ?? [];
        condition = compile({ kind: 'in', operand: { kind: 'column', name: spec.column ?? '' }, values, negated: false });
        const shown = values.slice(0, 8).map(String).join(', ');
        message = spec.message ?? `not an allowed value (${shown}${values.length > 8 ? ', ...' : ''})`;
        break;
      }
      case 'pattern':
        condition = compile({ kind: 'matches', operand: { kind: 'column', name: spec.column ?? '' }, pattern: spec.pattern ?? '', negated: false });
        message = spec.message ?? `does not match the pattern ${spec.pattern ?? ''}`;
        break;
    }
    const valued = condition.valued.map((name) => column(name));
    const present = valued.map((c) => `NOT ${missingSql(c)}`).join(' AND ');
    const broken = sql`NOT coalesce(${condition.sql}, false)${present === '' ? '' : ` AND ${present}`}`;
    for (const c of [when, condition]) if (c !== null) patterns.push(...c.patterns.map((p) => ({ rule: spec.id, pattern: p })));
    checks.push({ ...base, kind: 'scan', column: condition.columns.join(', ') || null, message, value: valueSql(condition.columns), timed: condition.patterns.length > 0 || (when?.patterns.length ?? 0) > 0, where: applies(broken) });
  }
  return { checks, patterns };
}

function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function joinConditions(a: CompiledCondition | null, b: CompiledCondition | null): CompiledCondition | null {
  if (a === null) return b;
  if (b === null) return a;
  return { sql: sql`(coalesce(${a.sql}, false) AND ${b.sql})`, valued: [...a.valued, ...b.valued], columns: [...a.columns, ...b.columns], patterns: [...a.patterns, ...b.patterns] };
}

/** The offending value: the column's, or `name=value` pairs when the rule reads several columns (at most four). */
function valueSql(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return quoteIdent(names[0] ?? '');
  return `concat_ws('; ', ${names
    .slice(0, 4)
    .map((n) => `${quoteLiteral(`${n}=`)} || coalesce(CAST(${quoteIdent(n)} AS VARCHAR), '')`)
    .join(', ')})`;
}
