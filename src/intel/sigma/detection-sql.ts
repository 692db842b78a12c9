// A compiled detection as one SQL boolean over the projected event columns. Every field test is NULL-safe (a missing
// field or NULL value is false, so `not filter` holds when the filter's field is absent), strings compare lower-cased
// unless `cased`, and patterns use the cheapest engine function that expresses them (=, prefix, suffix, contains, LIKE).
import { quoteLiteral } from '../../data/sql-text.js';
import { ipv6Number } from '../../data/ipv6-number-sql.js';
import type { EventColumn, ColumnScope } from './column-scope.js';
import type { DetectionExpr, FieldPredicate, ValueTest } from './detection-ir.js';
import type { SigmaString } from './sigma-string.js';
import { and, FALSE, not, or, term, TRUE, type SqlBool } from './sql-boolean.js';

export function detectionSql(expr: DetectionExpr, scope: ColumnScope): SqlBool {
  switch (expr.kind) {
    case 'and':
      return and(expr.items.map((i) => detectionSql(i, scope)));
    case 'or':
      return or(expr.items.map((i) => detectionSql(i, scope)));
    case 'not':
      return not(detectionSql(expr.item, scope));
    case 'field': {
      const body = fieldSql(expr.predicate, scope);
      return expr.predicate.negate ? not(body) : body;
    }
  }
}

function fieldSql(predicate: FieldPredicate, scope: ColumnScope): SqlBool {
  const columns = predicate.field === null ? scope.textColumns() : [scope.column(predicate.field)];
  const combine = predicate.combine === 'all' ? and : or;
  // Keywords: the whole value list must hold within one text field, any field.
  return or(
    columns.map((column) => {
      const tests = predicate.values.flat();
      const first = tests[0];
      // The common case, string patterns of one case mode: one NULL guard for the whole value list.
      if (column !== undefined && first?.kind === 'string' && tests.every((t) => t.kind === 'string' && t.cased === first.cased)) {
        const text = first.cased ? scope.text(column) : scope.lower(column);
        const body = combine(predicate.values.map((alternatives) => or(alternatives.map((t) => (t.kind === 'string' ? term(patternSql(text, t.value, t.cased), 2) : FALSE)))));
        return body.kind === 'const' ? body : term(`(${text} IS NOT NULL AND ${body.sql})`, body.cost);
      }
      return combine(predicate.values.map((alternatives) => or(alternatives.map((t) => testSql(t, column, scope)))));
    }),
  );
}

/** A value test that is never NULL: tests of a value are guarded by `IS NOT NULL` on the column. */
function testSql(test: ValueTest, column: EventColumn | undefined, scope: ColumnScope): SqlBool {
  if (column === undefined) {
    // An absent field: only "does not exist" and "is null" hold.
    return (test.kind === 'exists' && !test.exists) || test.kind === 'null' ? TRUE : FALSE;
  }
  const guarded = (value: string, sql: string, cost: number): SqlBool => term(`(${value} IS NOT NULL AND ${sql})`, cost);
  switch (test.kind) {
    case 'exists':
      return term(test.exists ? `${scope.raw(column)} IS NOT NULL` : `${scope.raw(column)} IS NULL`);
    case 'null':
      return term(`(${scope.raw(column)} IS NULL OR ${scope.text(column)} = '')`);
    case 'number':
      return scope.isNumeric(column) ? guarded(scope.raw(column), `${scope.raw(column)} = ${String(test.value)}`, 1) : guarded(scope.text(column), `${scope.text(column)} = ${quoteLiteral(String(test.value))}`, 1);
    case 'string': {
      const text = test.cased ? scope.text(column) : scope.lower(column);
      return guarded(text, patternSql(text, test.value, test.cased), 2);
    }
    case 'regex':
      return guarded(scope.text(column), `regexp_matches(${scope.text(column)}, ${quoteLiteral(test.pattern)})`, 20);
    case 'prefixes': {
      const text = scope.lower(column);
      const tests = [...test.prefixes.map((p) => (p === '' ? 'true' : `starts_with(${text}, ${quoteLiteral(p)})`)), ...test.exact.map((e) => `${text} = ${quoteLiteral(e)}`)];
      return guarded(text, `(${tests.join(' OR ')})`, tests.length * 2);
    }
    case 'ipv6-range': {
      // Parsed only where the text holds a colon: an IPv4 address or a name costs one byte search.
      const text = scope.lower(column);
      return guarded(text, `(contains(${text}, ':') AND coalesce(${ipv6Number(text)} BETWEEN ${test.lo}::UHUGEINT AND ${test.hi}::UHUGEINT, false))`, 30);
    }
    case 'compare': {
      const value = test.part === null ? `TRY_CAST(${scope.raw(column)} AS DOUBLE)` : `date_part(${quoteLiteral(test.part)}, TRY_CAST(${scope.raw(column)} AS TIMESTAMP))`;
      return term(`coalesce(${value} ${test.op} ${String(test.value)}, false)`, 3);
    }
    case 'fieldref': {
      const other = scope.column(test.field);
      if (other === undefined) return FALSE;
      const [a, b] = test.cased ? [scope.text(column), scope.text(other)] : [scope.lower(column), scope.lower(other)];
      const compare = test.position === 'equals' ? `${a} = ${b}` : `${test.position === 'contains' ? 'contains' : test.position === 'startswith' ? 'starts_with' : 'ends_with'}(${a}, ${b})`;
      return term(`(${a} IS NOT NULL AND ${b} IS NOT NULL AND ${compare})`, 2);
    }
  }
}

/** The pattern as =, starts_with, ends_with, contains or LIKE on `text` (already lower-cased unless cased). */
function patternSql(text: string, value: SigmaString, cased: boolean): string {
  const fold = (s: string): string => (cased ? s : s.toLowerCase());
  const pieces = value.map((p) => (p.kind === 'text' ? { ...p, text: fold(p.text) } : p));
  if (pieces.length === 0) return `${text} = ''`;
  const lead = pieces[0]?.kind === 'any';
  const trail = pieces.length > 1 && pieces[pieces.length - 1]?.kind === 'any';
  const inner = pieces.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (inner.length === 0) return 'true';
  if (inner.length === 1 && inner[0]?.kind === 'text') {
    const literal = quoteLiteral(inner[0].text);
    if (lead && trail) return `contains(${text}, ${literal})`;
    if (lead) return `ends_with(${text}, ${literal})`;
    if (trail) return `starts_with(${text}, ${literal})`;
    return `${text} = ${literal}`;
  }
  const like = pieces.map((p) => (p.kind === 'any' ? '%' : p.kind === 'one' ? '_' : p.text.replace(/[\\%_]/g, '\\$&'))).join('');
  return `${text} LIKE ${quoteLiteral(like)} ESCAPE '\\'`;
}
