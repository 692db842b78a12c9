// Conditions as data: a small expression tree over the facts of earlier steps, validated by a schema and evaluated by
// engine/evaluate-predicate.ts. Never code: a plan from elsewhere cannot make the engine run anything.
import { z } from 'zod';

/**
 * A reference to a fact of an earlier step: `<node>.<path>`, e.g. `ioc-match.summary.hits`,
 * `import.dataset.rows`, `import.dataset.roles` (a list), `patterns.status`. Inside a loop, `self.` names the node.
 */
export const factRefSchema = z
  .string()
  .max(200)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'a fact reference is <node>.<path>, letters, digits, _ . -')
  .refine((ref) => !ref.split('.').some((part) => ['__proto__', 'prototype', 'constructor'].includes(part)), 'a fact reference cannot name __proto__, prototype or constructor');

export const literalSchema = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
export type Literal = z.infer<typeof literalSchema>;

export const operandSchema = z.union([z.object({ ref: factRefSchema }).strict(), z.object({ value: literalSchema }).strict()]);
export type Operand = z.infer<typeof operandSchema>;

export type Predicate =
  | { readonly all: readonly Predicate[] }
  | { readonly any: readonly Predicate[] }
  | { readonly not: Predicate }
  | { readonly op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; readonly left: Operand; readonly right: Operand }
  | { readonly op: 'exists'; readonly ref: string }
  | { readonly op: 'contains'; readonly list: Operand; readonly item: Operand };

const MAX_DEPTH = 16;

/** Recursive, and bounded: a hostile plan cannot nest predicates without limit. */
export const predicateSchema: z.ZodType<Predicate> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(predicateSchema).min(1).max(32) }).strict(),
    z.object({ any: z.array(predicateSchema).min(1).max(32) }).strict(),
    z.object({ not: predicateSchema }).strict(),
    z.object({ op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']), left: operandSchema, right: operandSchema }).strict(),
    z.object({ op: z.literal('exists'), ref: factRefSchema }).strict(),
    z.object({ op: z.literal('contains'), list: operandSchema, item: operandSchema }).strict(),
  ]),
).superRefine((value, context) => {
  if (depthOf(value) > MAX_DEPTH) context.addIssue({ code: 'custom', message: `predicates nest at most ${MAX_DEPTH} levels` });
});

function depthOf(predicate: Predicate, depth = 1): number {
  if (depth > MAX_DEPTH) return depth;
  if ('all' in predicate) return Math.max(...predicate.all.map((p) => depthOf(p, depth + 1)));
  if ('any' in predicate) return Math.max(...predicate.any.map((p) => depthOf(p, depth + 1)));
  if ('not' in predicate) return depthOf(predicate.not, depth + 1);
  return depth;
}

/** Readable text of a predicate, for plans printed to people and for the log. */
export function describePredicate(predicate: Predicate): string {
  const operand = (o: Operand): string => ('ref' in o ? o.ref : JSON.stringify(o.value));
  if ('all' in predicate) return predicate.all.map((p) => `(${describePredicate(p)})`).join(' and ');
  if ('any' in predicate) return predicate.any.map((p) => `(${describePredicate(p)})`).join(' or ');
  if ('not' in predicate) return `not (${describePredicate(predicate.not)})`;
  switch (predicate.op) {
    case 'exists':
      return `${predicate.ref} exists`;
    case 'contains':
      return `${operand(predicate.list)} contains ${operand(predicate.item)}`;
    default: {
      const symbol = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[predicate.op];
      return `${operand(predicate.left)} ${symbol} ${operand(predicate.right)}`;
    }
  }
}
