// Plans for engine tests: the real planner's plan on a fixture, or one rebuilt around tiny test components,
// validated like any plan before it runs.
import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { defineComponent, type AnyComponent, type ComponentContext } from '../../src/components/component.js';
import type { ComponentRegistry } from '../../src/components/registry.js';
import { ComponentType, Complexity } from '../../src/model/component-kind.js';
import { CancelledError } from '../../src/model/errors/cancelled-error.js';
import type { AdaptationPoint, PlanNode, WorkflowPlan } from '../../src/model/workflow-plan.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { deriveStages } from '../../src/planner/stages.js';

/** A test component: an ANALYSIS step that reads the imported dataset and does what `work` says. */
export function testComponent(id: string, work: (context: ComponentContext, attempt: number) => Promise<void>): AnyComponent {
  let attempts = 0;
  return defineComponent({
    id,
    version: '1',
    type: ComponentType.ANALYSIS,
    complexity: Complexity.SIMPLE,
    title: `Test step ${id}`,
    description: 'A component that exists only in the engine tests.',
    capabilities: [],
    consumes: ['dataset'],
    produces: ['summary'],
    order: 10,
    params: z.object({}),
    estimateMs: () => 1,
    async run(context, inputs) {
      attempts += 1;
      await work(context, attempts);
      const rows = inputs.datasets.at(-1)?.rowCount ?? 0;
      return { rowsIn: rows, rowsOut: rows, summary: { attempts }, message: `${id} done after ${attempts} attempt(s)` };
    },
  });
}

/** The built-in components plus the given test components. */
export function registryWith(...components: readonly AnyComponent[]): ComponentRegistry {
  const registry = createBuiltInRegistry();
  for (const component of components) registry.register(component);
  return registry;
}

/** A node that reads the import step's dataset and runs after the steps it depends on. */
export function planNode(id: string, component: AnyComponent, dependsOn: readonly string[] = ['import'], params: Record<string, unknown> = {}): PlanNode {
  return {
    id,
    component: component.id,
    type: component.type,
    complexity: component.complexity,
    title: component.title,
    params,
    inputs: { dataset: ['import'] },
    depends_on: [...dependsOn],
    reason: 'engine test',
    estimated_ms: 1,
    condition: null,
    loop: null,
    timeout_ms: null,
  };
}

/** The base plan's import step followed by the given nodes, staged from their dependencies and validated. */
export function planWith(base: WorkflowPlan, nodes: readonly PlanNode[], registry: ComponentRegistry, adaptationPoints: readonly AdaptationPoint[] = []): WorkflowPlan {
  const importNode = base.nodes.find((n) => n.id === 'import');
  if (importNode === undefined) throw new Error('the base plan has no import step');
  const all = [structuredClone(importNode), ...nodes.map((n) => structuredClone(n))];
  return validatePlan({ ...structuredClone(base), nodes: all, stages: deriveStages(all), adaptation_points: [...adaptationPoints] }, registry);
}

export function retryPoint(node: string): AdaptationPoint {
  return { node, trigger: 'failure', action: 'retry', detail: 'engine test' };
}

/**
 * A meeting point for the steps of one stage: each waits until all have arrived, so steps that run one after
 * another fail after `timeoutMs` instead of passing.
 */
export function rendezvous(parties: number, timeoutMs: number): (signal: AbortSignal) => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const everyone = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async (signal) => {
    arrived += 1;
    if (arrived === parties) release();
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    await new Promise<void>((resolve, reject) => {
      const giveUp = (): void => {
        reject(signal.aborted ? new CancelledError() : new Error(`only ${arrived} of ${parties} steps started within ${timeoutMs} ms: they did not run at the same time`));
      };
      if (deadline.aborted) giveUp();
      deadline.addEventListener('abort', giveUp, { once: true });
      void everyone.then(() => {
        deadline.removeEventListener('abort', giveUp);
        resolve();
      });
    });
  };
}

/** Waits until the signal aborts, at most `timeoutMs`; says whether it did. */
export async function abortedWithin(signal: AbortSignal, timeoutMs: number): Promise<boolean> {
  if (signal.aborted) return true;
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  await new Promise<void>((resolve) => {
    deadline.addEventListener('abort', () => {
      resolve();
    }, { once: true });
  });
  return signal.aborted;
}

/** The names in a folder, or none when the folder was never created. */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
