import { describe, expect, it } from 'vitest';
import { adjustParameter } from '../../src/engine/adjust-parameter.js';
import { evaluatePredicate, resolveFact } from '../../src/engine/evaluate-predicate.js';
import type { RunFacts } from '../../src/engine/run-facts.js';
import { describePredicate, predicateSchema, type Predicate } from '../../src/model/predicate.js';

const facts: RunFacts = {
  import: { status: 'completed', rows_out: 400, dataset: { rows: 400, roles: ['ip', 'timestamp'], columns: ['ts', 'src_ip'] } },
  'ioc-match': { status: 'completed', summary: { hits: 3, feeds: ['bundled'] } },
  patterns: { status: 'skipped' },
};

describe('evaluatePredicate', () => {
  it('compares facts of earlier steps with literals', () => {
    expect(evaluatePredicate({ op: 'gt', left: { ref: 'ioc-match.summary.hits' }, right: { value: 0 } }, facts)).toBe(true);
    expect(evaluatePredicate({ op: 'lte', left: { ref: 'import.dataset.rows' }, right: { value: 399 } }, facts)).toBe(false);
    expect(evaluatePredicate({ op: 'eq', left: { ref: 'patterns.status' }, right: { value: 'skipped' } }, facts)).toBe(true);
    expect(evaluatePredicate({ op: 'contains', list: { ref: 'import.dataset.roles' }, item: { value: 'ip' } }, facts)).toBe(true);
    expect(evaluatePredicate({ op: 'contains', list: { ref: 'import.dataset.roles' }, item: { value: 'hash' } }, facts)).toBe(false);
  });

  it('combines with all, any and not', () => {
    const hits: Predicate = { op: 'gt', left: { ref: 'ioc-match.summary.hits' }, right: { value: 0 } };
    const big: Predicate = { op: 'gt', left: { ref: 'import.dataset.rows' }, right: { value: 1_000 } };
    expect(evaluatePredicate({ all: [hits, big] }, facts)).toBe(false);
    expect(evaluatePredicate({ any: [hits, big] }, facts)).toBe(true);
    expect(evaluatePredicate({ not: big }, facts)).toBe(true);
  });

  it('treats a missing fact as not met, and never walks inherited properties', () => {
    expect(evaluatePredicate({ op: 'gt', left: { ref: 'enrich.summary.rows' }, right: { value: 0 } }, facts)).toBe(false);
    expect(evaluatePredicate({ op: 'exists', ref: 'ioc-match.summary.hits' }, facts)).toBe(true);
    expect(evaluatePredicate({ op: 'exists', ref: 'ioc-match.summary.toString' }, facts)).toBe(false);
    expect(resolveFact(facts, 'import.dataset.rows.constructor')).toBeUndefined();
    expect(evaluatePredicate({ op: 'gt', left: { ref: 'import.status' }, right: { value: 3 } }, facts)).toBe(false);
  });

  it('reads `self` as the node being looped', () => {
    expect(evaluatePredicate({ op: 'eq', left: { ref: 'self.summary.hits' }, right: { value: 3 } }, facts, 'ioc-match')).toBe(true);
  });

  it('describes predicates for people', () => {
    expect(describePredicate({ any: [{ op: 'gt', left: { ref: 'a.b' }, right: { value: 0 } }, { not: { op: 'exists', ref: 'c.d' } }] })).toBe('(a.b > 0) or (not (c.d exists))');
  });
});

describe('predicateSchema', () => {
  it('refuses code, prototype paths and unbounded nesting', () => {
    expect(predicateSchema.safeParse({ op: 'gt', left: { ref: 'a.__proto__.x' }, right: { value: 1 } }).success).toBe(false);
    expect(predicateSchema.safeParse({ op: 'eval', code: 'process.exit()' }).success).toBe(false);
    expect(predicateSchema.safeParse({ op: 'gt', left: { ref: 'a.b' }, right: { value: 1 }, extra: 'x' }).success).toBe(false);
    let deep: Predicate = { op: 'exists', ref: 'a.b' };
    for (let i = 0; i < 20; i += 1) deep = { not: deep };
    expect(predicateSchema.safeParse(deep).success).toBe(false);
  });
});

describe('adjustParameter', () => {
  it('multiplies, adds and clamps, and says when it can change nothing', () => {
    expect(adjustParameter({ t: 4.5 }, { param: 't', factor: 0.8, min: 2.5 })).toMatchObject({ to: 3.6, changed: true });
    expect(adjustParameter({ t: 2.6 }, { param: 't', factor: 0.8, min: 2.5 })).toMatchObject({ to: 2.5, changed: true });
    expect(adjustParameter({ t: 2.5 }, { param: 't', factor: 0.8, min: 2.5 })).toMatchObject({ to: 2.5, changed: false });
    expect(adjustParameter({ n: 10 }, { param: 'n', step: 5, max: 12 })).toMatchObject({ params: { n: 12 }, changed: true });
    expect(adjustParameter({ n: 'x' }, { param: 'n', step: 5 }).changed).toBe(false);
  });
});
