// The plan's time estimate: its stages one after another (stages.ts) plus a run's fixed cost. A step whose result the
// result cache already holds counts at the cost of a restore, not of a run: engine/cache-forecast.ts finds those steps.
import type { ComponentRegistry } from '../components/registry.js';
import type { PlanNode, Stage, WorkflowPlan } from '../model/workflow-plan.js';
import { estimateMs } from './stages.js';

/** Fixed cost of opening the engine and writing the log, added to the steps' estimates. */
export const RUN_OVERHEAD_MS = 60;

/** What the planner asks of the result cache (engine/cache-forecast.ts implements it); absent with `--no-cache`. */
export interface CachedStepsSource {
  /**
   * The plan's steps whose results are stored now, by node id, each with the milliseconds its restore is expected to
   * take. Found without reading any input file: a file not hashed since it last changed leaves its steps out.
   */
  cachedSteps(plan: WorkflowPlan, registry: ComponentRegistry, signal?: AbortSignal): Promise<ReadonlyMap<string, number>>;
}

/** The estimate in seconds, to the hundredth; a step in `cached` counts at its restore's estimate. */
export function estimatedSecondsOf(nodes: readonly PlanNode[], stages: readonly Stage[], cached?: ReadonlyMap<string, number>): number {
  return Math.round((estimateMs(nodes, stages, cached) + RUN_OVERHEAD_MS) / 10) / 100;
}

/**
 * The plan with `cached_steps` and an estimate that counts them at a restore's cost. The same plan when none are
 * cached and the plan expected none; a plan that expected some and finds none gets the full estimate back.
 */
export function withCachedSteps(plan: WorkflowPlan, cached: ReadonlyMap<string, number>): WorkflowPlan {
  if (cached.size === 0 && plan.cached_steps === undefined) return plan;
  const { cached_steps: _expected, ...rest } = plan;
  const estimated_seconds = estimatedSecondsOf(plan.nodes, plan.stages, cached);
  if (cached.size === 0) return { ...rest, estimated_seconds };
  // In the plan's order: the JSON reads like the plan.
  const steps = plan.nodes.flatMap((n) => {
    const ms = cached.get(n.id);
    return ms === undefined ? [] : [{ node: n.id, estimated_ms: Math.round(ms) }];
  });
  return { ...rest, estimated_seconds, cached_steps: steps };
}

/**
 * The plan as it stands against the result cache now (`source` absent: no cache, so nothing is expected from it): for
 * a plan read back from a file, the journal or a template, whose `cached_steps` were found when it was made.
 */
export async function withCacheForecast(plan: WorkflowPlan, registry: ComponentRegistry, source: CachedStepsSource | undefined, signal?: AbortSignal): Promise<WorkflowPlan> {
  return withCachedSteps(plan, source === undefined ? new Map<string, number>() : await source.cachedSteps(plan, registry, signal));
}
