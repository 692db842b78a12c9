// Evaluates a condition over the facts of earlier steps: plain data walked by a small interpreter, never eval.
import type { Literal, Operand, Predicate } from '../model/predicate.js';
import type { RunFacts } from './run-facts.js';

export type FactValue = Literal | readonly FactValue[] | { readonly [key: string]: FactValue } | undefined;

/** The value a reference names, or undefined when any part of its path is missing. Own properties only. */
export function resolveFact(facts: RunFacts, ref: string, self?: string): FactValue {
  const [head, ...path] = ref.split('.');
  const node = head === 'self' ? self : head;
  if (node === undefined || !Object.hasOwn(facts, node)) return undefined;
  let current: FactValue = facts[node];
  for (const part of path) {
    if (current === null || current === undefined || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, part)) return undefined;
    current = (current as Readonly<Record<string, FactValue>>)[part];
  }
  return current;
}

function valueOf(operand: Operand, facts: RunFacts, self?: string): FactValue {
  return 'ref' in operand ? resolveFact(facts, operand.ref, self) : operand.value;
}

/** Missing facts make comparisons false (and `not` of them true): a condition on a step that did not run is not met. */
export function evaluatePredicate(predicate: Predicate, facts: RunFacts, self?: string): boolean {
  if ('all' in predicate) return predicate.all.every((p) => evaluatePredicate(p, facts, self));
  if ('any' in predicate) return predicate.any.some((p) => evaluatePredicate(p, facts, self));
  if ('not' in predicate) return !evaluatePredicate(predicate.not, facts, self);
  switch (predicate.op) {
    case 'exists': {
      const value = resolveFact(facts, predicate.ref, self);
      return value !== undefined && value !== null;
    }
    case 'contains': {
      const list = valueOf(predicate.list, facts, self);
      const item = valueOf(predicate.item, facts, self);
      return Array.isArray(list) && list.some((v) => v === item);
    }
    default: {
      const left = valueOf(predicate.left, facts, self);
      const right = valueOf(predicate.right, facts, self);
      return compare(predicate.op, left, right);
    }
  }
}

function compare(op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', left: FactValue, right: FactValue): boolean {
  if (op === 'eq') return left !== undefined && left === right;
  if (op === 'ne') return left !== undefined && left !== right;
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothStrings = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothStrings) return false;
  switch (op) {
    case 'gt':
      return left > right;
    case 'gte':
      return left >= right;
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
  }
}
