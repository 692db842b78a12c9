import { describe, expect, it } from 'vitest';
import { PlanError } from '../../src/model/errors/plan-error.js';
import type { PlanNode } from '../../src/model/workflow-plan.js';
import { deriveStages, estimateMs } from '../../src/planner/stages.js';

function node(id: string, dependsOn: readonly string[] = [], estimatedMs = 10): PlanNode {
  return {
    id,
    component: 'analysis.patterns',
    type: 'ANALYSIS',
    complexity: 'MODERATE',
    title: id,
    params: {},
    inputs: dependsOn.length === 0 ? {} : { dataset: [...dependsOn] },
    depends_on: [...dependsOn],
    reason: 'test',
    estimated_ms: estimatedMs,
    condition: null,
    loop: null,
    timeout_ms: null,
  };
}

function planErrorOf(action: () => unknown): PlanError {
  try {
    action();
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('expected a PlanError');
}

describe('deriveStages', () => {
  it('puts independent nodes in one parallel stage', () => {
    const stages = deriveStages([node('import'), node('quality', ['import']), node('patterns', ['import']), node('ioc-match', ['import'])]);
    expect(stages).toEqual([
      { index: 0, mode: 'sequential', nodes: ['import'] },
      { index: 1, mode: 'parallel', nodes: ['quality', 'patterns', 'ioc-match'] },
    ]);
  });

  it('makes a chain sequential, one node per stage', () => {
    const stages = deriveStages([node('import'), node('enrich', ['import']), node('export', ['enrich'])]);
    expect(stages.map((s) => s.nodes)).toEqual([['import'], ['enrich'], ['export']]);
    expect(stages.every((s) => s.mode === 'sequential')).toBe(true);
  });

  it('places a node one stage past its deepest dependency, whatever the order given', () => {
    const stages = deriveStages([node('report', ['enrich', 'quality']), node('quality', ['import']), node('enrich', ['patterns']), node('patterns', ['import']), node('import')]);
    expect(stages.map((s) => s.nodes)).toEqual([['import'], ['quality', 'patterns'], ['enrich'], ['report']]);
    expect(stages.map((s) => s.index)).toEqual([0, 1, 2, 3]);
  });

  it('throws invalid-plan on a cycle, naming a node of it', () => {
    const error = planErrorOf(() => deriveStages([node('import'), node('a', ['import', 'b']), node('b', ['a'])]));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toMatch(/cycle through '(a|b)'/);
  });

  it('throws invalid-plan on a node depending on itself', () => {
    expect(planErrorOf(() => deriveStages([node('a', ['a'])])).code).toBe('invalid-plan');
  });

  it('throws invalid-plan on a missing dependency, naming it', () => {
    const error = planErrorOf(() => deriveStages([node('import'), node('enrich', ['ioc-match'])]));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("'ioc-match'");
  });

  it('gives no stages for no nodes', () => {
    expect(deriveStages([])).toEqual([]);
  });
});

describe('estimateMs', () => {
  it('counts a parallel stage as 85% of its steps\' sum (they share the engine\'s threads), never less than its slowest step', () => {
    const nodes = [node('import', [], 100), node('quality', ['import'], 30), node('patterns', ['import'], 250), node('ioc-match', ['import'], 80), node('export', ['patterns', 'ioc-match'], 40)];
    const stages = deriveStages(nodes);
    expect(estimateMs(nodes, stages)).toBeCloseTo(100 + 0.85 * (30 + 250 + 80) + 40, 6);
    const lopsided = [node('import', [], 100), node('small', ['import'], 10), node('big', ['import'], 500)];
    expect(estimateMs(lopsided, deriveStages(lopsided))).toBe(100 + 500);
  });

  it('is zero for no stages', () => {
    expect(estimateMs([], [])).toBe(0);
  });
});
