// Planning with the state folder's memory: the pattern cache (looked up once the fingerprint is known), the learned
// estimates, the result cache's stored steps (counted at a restore's cost in the estimate), and the generation time of
// every plan, cached or not, recorded for `cs-helper metrics`.
import type { ComponentRegistry } from '../components/registry.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { RunRecords } from '../state/run-records.js';
import { inputSize } from './assemble.js';
import type { EstimateSource } from './estimate-source.js';
import type { CachedStepsSource } from './plan-estimate.js';
import type { PatternCache } from './pattern-cache.js';
import { planWorkflow, type PlanOptions, type WorkflowRequest } from './plan-workflow.js';

export interface PlanMemory {
  /** Absent with `--no-cache`: every plan is assembled from scratch. */
  readonly patterns?: PatternCache | undefined;
  readonly estimates?: EstimateSource | undefined;
  /** Absent with `--no-cache`: the estimate then counts every step at its own cost. */
  readonly results?: CachedStepsSource | undefined;
  /** Where generation times go. */
  readonly records?: RunRecords | undefined;
}

export async function planWithMemory(request: WorkflowRequest, registry: ComponentRegistry, memory: PlanMemory, options: Omit<PlanOptions, 'patterns' | 'estimates' | 'cachedSteps'> = {}): Promise<WorkflowPlan> {
  const started = performance.now();
  const { patterns } = memory;
  // Whether the planner consulted the cache (it does not for a plan of several datasets): the cache counts a hit or a
  // miss only then, and `cs-helper metrics` sets the plans made without a lookup apart so the figures add up.
  const asked = { cache: false };
  const plan = await planWorkflow(request, registry, {
    ...options,
    ...(patterns === undefined
      ? {}
      : {
          patterns: {
            lookup: (fingerprint: string) => {
              asked.cache = true;
              return patterns.lookup(fingerprint);
            },
          },
        }),
    ...(memory.estimates === undefined ? {} : { estimates: memory.estimates }),
    ...(memory.results === undefined ? {} : { cachedSteps: memory.results }),
  });
  const generationMs = performance.now() - started;
  memory.records?.planGenerated({ planId: plan.id, fingerprint: plan.fingerprint, fromCache: plan.from_cache, cacheLookup: asked.cache, generationMs });
  // Only a plan that asked the cache has a reuse decision to log: one of several datasets never looked (see above).
  if (memory.patterns !== undefined && asked.cache) {
    options.log?.logDecision({
      decision: 'pattern-cache',
      chosen: plan.from_cache ? 'reuse a stored pattern' : 'plan from scratch',
      alternatives: [{ option: plan.from_cache ? 'plan from scratch' : 'reuse a stored pattern', score: null }],
      reasoning: plan.from_cache
        ? `a plan for the same intents, outputs and file shapes ran successfully before (fingerprint ${plan.fingerprint.slice(0, 16)}); its steps were re-bound to these files`
        : `no successful plan stored for fingerprint ${plan.fingerprint.slice(0, 16)}`,
    });
  }
  if (memory.estimates !== undefined) logLearnedEstimates(plan, registry, options);
  return plan;
}

/** Which steps' estimates come from measured runs rather than the component's own figure: said once, in the log. */
function logLearnedEstimates(plan: WorkflowPlan, registry: ComponentRegistry, options: Omit<PlanOptions, 'patterns' | 'estimates' | 'cachedSteps'>): void {
  // A plan of several datasets estimates each branch on its own dataset's size, which the plan does not keep: comparing
  // with the whole input's size would call every estimate learned, so such plans say nothing here.
  if (options.log === undefined || plan.nodes.filter((n) => n.type === 'DATA_IMPORT').length > 1) return;
  const size = inputSize(plan.profile.files);
  const learned = plan.nodes.flatMap((n) => {
    const own = Math.round(registry.get(n.component).estimateMs(size));
    return own === n.estimated_ms ? [] : [{ node: n.id, component: n.component, own_ms: own, learned_ms: n.estimated_ms }];
  });
  if (learned.length > 0) options.log.logInfo('learned-estimates', `${learned.length} step estimates from measured runs`, { steps: learned });
}

/** Remembers the plan of a run that completed as a pattern; failed and cancelled runs teach nothing. */
export function rememberPattern(patterns: PatternCache | undefined, plan: WorkflowPlan, status: 'completed' | 'failed' | 'cancelled'): void {
  if (patterns !== undefined && status === 'completed') patterns.record(plan);
}
