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
  | { readonly kind: 'prefixes'; readonly prefixes: readonly string[]; readonly exact: readonly string[] }
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
