// Which of a plan's steps the result cache will serve, found before the run: each step keyed as run-memory.ts keys
// it (step-key.ts keyOfNode), but with file digests only as remembered (FileDigests.known). A file new or changed since
// it was last hashed is not read for an estimate (a 1 GB input would cost seconds before the plan is even shown): its
// steps, and those after them, are expected to run; the run hashes it beside its step, as before.
import type { ComponentRegistry } from '../components/registry.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { CachedStepsSource } from '../planner/plan-estimate.js';
import type { LearnedEstimates } from './learned-estimates.js';
import type { ResultCache } from './result-cache.js';
import { keyOfNode } from './step-key.js';

/**
 * A restore's estimate before any restore of the component was measured. Measured here (2 cores, load average ~5):
 * 19 reruns of the README's demo command on examples/threat_data.csv (10k rows) restored 95 steps in 2.7-30 ms each,
 * median 9.3 ms (import 9.8, quality 11.8, patterns 14.1, ioc-match 6.0, enrich 5.5), from `step_runs` where cached.
 */
export const DEFAULT_RESTORE_MS = 10;

export interface CacheForecastOptions {
  /** Where measured restore times come from; without it every restore counts DEFAULT_RESTORE_MS. */
  readonly estimates?: Pick<LearnedEstimates, 'restoreEstimateFor'> | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The plan's steps whose results `cache` holds now, by node id, each with its restore's estimate in milliseconds. */
export async function forecastCachedSteps(plan: WorkflowPlan, registry: ComponentRegistry, cache: ResultCache, options: CacheForecastOptions = {}): Promise<Map<string, number>> {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const keys = new Map<string, string>();
  const cached = new Map<string, number>();
  const digest = (path: string): Promise<string | null> => cache.digests.known(path);
  // Stage by stage, so that every step's upstream keys are known before it is keyed.
  for (const stage of plan.stages) {
    for (const id of stage.nodes) {
      options.signal?.throwIfAborted();
      const node = byId.get(id);
      if (node === undefined || !registry.has(node.component)) continue;
      const component = registry.get(node.component);
      if (!cache.cacheable(node, component)) continue;
      const key = await keyOfNode(node, { component, baseDir: plan.base_dir, keys, digest });
      if (key === null) continue;
      keys.set(id, key);
      // The entry names the component that made it (a fallback's, when one took over): its restores are the measure.
      const stored = cache.storedComponent(key);
      if (stored !== null) cached.set(id, options.estimates?.restoreEstimateFor(stored) ?? DEFAULT_RESTORE_MS);
    }
  }
  return cached;
}

/** The planner's view of the result cache (planner/plan-estimate.ts): a failed look-up expects nothing from the cache. */
export class ResultCacheForecast implements CachedStepsSource {
  readonly #cache: ResultCache;
  readonly #estimates: Pick<LearnedEstimates, 'restoreEstimateFor'> | undefined;

  constructor(cache: ResultCache, estimates?: Pick<LearnedEstimates, 'restoreEstimateFor'>) {
    this.#cache = cache;
    this.#estimates = estimates;
  }

  async cachedSteps(plan: WorkflowPlan, registry: ComponentRegistry, signal?: AbortSignal): Promise<ReadonlyMap<string, number>> {
    try {
      return await forecastCachedSteps(plan, registry, this.#cache, { estimates: this.#estimates, signal });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      // An estimate is no reason to fail: the state database busy or unreadable leaves the full estimate.
      return new Map<string, number>();
    }
  }
}
