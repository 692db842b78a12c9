// What a compiled detection is before it meets a table: field predicates joined by and/or/not. Rendering it as SQL
// needs the table's columns (which fields exist, their types), so compiling and rendering are separate steps.
import type { SigmaString } from './sigma-string.js';

export type CompareOp = '<' | '<=' | '>' | '>=' | '=';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** One value test on one field. */
export type ValueTest =
  | { readonly kind: 'string'; readonly value: SigmaString; readonly cased: boolean }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'regex'; readonly pattern: string }
  /** The cidr modifier on an IPv4 range: the text starts with one of `prefixes` or equals one of `exact` (/25 to /32). */
  | { readonly kind: 'prefixes'; readonly prefixes: readonly string[]; readonly exact: readonly string[] }
  /** An IPv6 address whose 128-bit number lies in lo..hi (decimal text): the cidr modifier on an IPv6 range. */
  | { readonly kind: 'ipv6-range'; readonly lo: string; readonly hi: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: number; readonly part: TimePart | null }
  | { readonly kind: 'fieldref'; readonly field: string; readonly position: 'equals' | 'contains' | 'startswith' | 'endswith'; readonly cased: boolean };

/**
 * A field with its values: any (or, with `all`, every) value must hold; one value may stand for several alternative
 * tests (windash permutations, base64offset shifts). `negate` is the `neq` modifier. Field null = keyword search.
 */
export interface FieldPredicate {
  readonly field: string | null;
  readonly values: readonly (readonly ValueTest[])[];
  readonly combine: 'any' | 'all';
  readonly negate: boolean;
}

export type DetectionExpr =
  | { readonly kind: 'and'; readonly items: readonly DetectionExpr[] }
  | { readonly kind: 'or'; readonly items: readonly DetectionExpr[] }
  | { readonly kind: 'not'; readonly item: DetectionExpr }
  | { readonly kind: 'field'; readonly predicate: FieldPredicate };

/**
 * The fields a detection tests for a value (fieldref targets too): what a table must hold one of for the rule to be
 * about it. Keyword searches name no field, and `exists`/`null` tests are about a field's absence, so they do not count.
 */
export function namedFields(expr: DetectionExpr): string[] {
  const fields = new Set<string>();
  const walk = (e: DetectionExpr): void => {
    if (e.kind === 'not') walk(e.item);
    else if (e.kind === 'and' || e.kind === 'or') e.items.forEach(walk);
    else if (e.predicate.field !== null) {
      for (const alternatives of e.predicate.values) {
        for (const test of alternatives) {
          if (test.kind === 'exists' || test.kind === 'null') continue;
          fields.add(e.predicate.field);
          if (test.kind === 'fieldref') fields.add(test.field);
        }
      }
    }
  };
  walk(expr);
  return [...fields];
}
