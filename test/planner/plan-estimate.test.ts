// The plan's estimate with steps expected from the result cache: they count at their restore's estimate, in the plan's
// figure and in the confidence's time budget; a plan that finds none again, and a template, get the full estimate back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { estimatedSecondsOf, withCacheForecast, withCachedSteps, type CachedStepsSource } from '../../src/planner/plan-estimate.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { Templates } from '../../src/state/templates.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
const request = { problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['firewall.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: FIXTURES_DIR };
const source = (cached: ReadonlyMap<string, number>): CachedStepsSource => ({ cachedSteps: () => Promise.resolve(cached) });
const RESTORES = new Map([
  ['import', 4],
  ['quality', 6],
  ['patterns', 5],
  ['ioc-match', 3],
  ['enrich', 7],
]);

describe('withCachedSteps', () => {
  it('leaves a plan that expects nothing from the cache as it is', async () => {
    const plan = await planWorkflow(request, registry);
    expect(withCachedSteps(plan, new Map())).toBe(plan);
    expect(plan.estimated_seconds).toBe(estimatedSecondsOf(plan.nodes, plan.stages));
  });

  it('counts cached steps at their restore, lists them in plan order, and gives the full estimate back without them', async () => {
    const plan = await planWorkflow(request, registry);
    const warm = withCachedSteps(plan, new Map([['patterns', 5.4], ['import', 4]]));
    expect(warm.cached_steps).toEqual([
      { node: 'import', estimated_ms: 4 },
      { node: 'patterns', estimated_ms: 5 },
    ]);
    expect(warm.estimated_seconds).toBeLessThan(plan.estimated_seconds);
    // The steps keep their own estimates: what running them costs.
    expect(warm.nodes).toBe(plan.nodes);
    const cold = withCachedSteps(warm, new Map());
    expect('cached_steps' in cold).toBe(false);
    expect(cold.estimated_seconds).toBe(plan.estimated_seconds);
    expect((await withCacheForecast(warm, registry, undefined)).estimated_seconds).toBe(plan.estimated_seconds);
  });
});

describe('planWorkflow with the result cache', () => {
  it('estimates the stored steps at a restore, and weighs the time budget against that', async () => {
    const cold = await planWorkflow(request, registry);
    const warm = await planWorkflow(request, registry, { cachedSteps: source(RESTORES) });
    expect(warm.cached_steps?.map((s) => s.node).sort()).toEqual([...RESTORES.keys()].sort());
    expect(warm.estimated_seconds).toBe(estimatedSecondsOf(cold.nodes, cold.stages, RESTORES));
    expect(warm.estimated_seconds).toBeLessThan(cold.estimated_seconds * 0.75);

    const budget = Math.round(((cold.estimated_seconds + warm.estimated_seconds) / 2) * 100) / 100;
    const constraints = { time_budget_seconds: budget };
    const over: WorkflowPlan = await planWorkflow({ ...request, constraints }, registry);
    const within: WorkflowPlan = await planWorkflow({ ...request, constraints }, registry, { cachedSteps: source(RESTORES) });
    expect(over.confidence.reasons.some((r) => r.includes('overruns the time budget'))).toBe(true);
    expect(within.confidence.reasons).toContain(`estimated ${within.estimated_seconds} s is within the time budget of ${budget} s`);
    expect(within.confidence.score).toBeGreaterThan(over.confidence.score);
  });

  it('is the plan it always was when the cache holds nothing', async () => {
    const plan = await planWorkflow(request, registry, { cachedSteps: source(new Map()) });
    expect(plan.cached_steps).toBeUndefined();
    expect(plan.estimated_seconds).toBe((await planWorkflow(request, registry)).estimated_seconds);
  });
});

describe('a template', () => {
  it('keeps the full estimate: what the cache held for these files says nothing of the next ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cs-helper-plan-estimate-'));
    const state = StateDatabase.open({ home: dir });
    try {
      const cold = await planWorkflow(request, registry);
      const warm = await planWorkflow(request, registry, { cachedSteps: source(RESTORES) });
      const templates = new Templates(state);
      templates.save('warm', warm);
      const saved = JSON.parse(templates.get('warm').planJson) as WorkflowPlan;
      expect(saved.cached_steps).toBeUndefined();
      expect(saved.estimated_seconds).toBe(cold.estimated_seconds);
    } finally {
      state.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
