// Derives stages from the dependency graph: a node's stage is one past its deepest dependency; nodes sharing a stage run in parallel.
import { PlanError } from '../model/errors/plan-error.js';
import type { PlanNode, Stage } from '../model/workflow-plan.js';

export function deriveStages(nodes: readonly PlanNode[]): Stage[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    const current = byId.get(id);
    if (current === undefined) throw new PlanError('invalid-plan', `a step depends on '${id}', which is not in the plan`);
    if (visiting.has(id)) throw new PlanError('invalid-plan', `the plan has a dependency cycle through '${id}'`);
    visiting.add(id);
    const value = current.depends_on.length === 0 ? 0 : 1 + Math.max(...current.depends_on.map(depth));
    visiting.delete(id);
    level.set(id, value);
    return value;
  };
  for (const n of nodes) depth(n.id);
  const stages: Stage[] = [];
  for (const n of nodes) {
    const index = level.get(n.id) ?? 0;
    while (stages.length <= index) stages.push({ index: stages.length, mode: 'sequential', nodes: [] });
    const stage = stages[index];
    if (stage !== undefined) stage.nodes.push(n.id);
  }
  return stages.map((s) => ({ ...s, mode: s.nodes.length > 1 ? 'parallel' : 'sequential' }));
}

/**
 * Wall-clock estimate: stages run one after another. The steps of a parallel stage share the engine's thread pool, so
 * on big data they take nearly the sum of their times (measured: 85% of it on 2 cores), and never less than the slowest.
 * A step in `instead` counts at that figure rather than its own (a restore from the result cache: plan-estimate.ts).
 */
export function estimateMs(nodes: readonly PlanNode[], stages: readonly Stage[], instead?: ReadonlyMap<string, number>): number {
  // Plain loops: this runs on every plan, a cached one included, whose whole budget is 50 us.
  const byId = new Map<string, number>();
  for (const n of nodes) byId.set(n.id, instead?.get(n.id) ?? n.estimated_ms);
  let total = 0;
  for (const stage of stages) {
    let sum = 0;
    let slowest = 0;
    for (const id of stage.nodes) {
      const ms = byId.get(id) ?? 0;
      sum += ms;
      if (ms > slowest) slowest = ms;
    }
    total += Math.max(slowest, PARALLEL_SHARE * sum);
  }
  return total;
}

const PARALLEL_SHARE = 0.85;
