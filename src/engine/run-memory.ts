// What a run remembers and reuses, around each step: the result cache (a step whose key was seen before is restored,
// not run; a finished step is stored in the background) and the measurements the learned estimates and
// `cs-helper metrics` read. Hooked into execute-plan.ts around runNode; the engine runs the same without it.
import { uuidV7 } from '../ids/uuid-v7.js';
import type { ComponentInputs, InputSize } from '../components/component.js';
import type { RunResult, StepResult } from '../model/run-result.js';
import type { PlanNode } from '../model/workflow-plan.js';
import type { StepSample } from '../state/run-records.js';
import type { LearnedEstimates } from './learned-estimates.js';
import type { ResultCache } from './result-cache.js';
import { factsOf } from './run-facts.js';
import type { NodeRun } from './run-node.js';
import type { RunScope } from './step-context.js';
import { filesOf, keyOfNode } from './step-key.js';

export interface RunMemoryOptions {
  /** Reuse and store step results (absent with `--no-cache`). */
  readonly resultCache?: ResultCache | undefined;
  /** Record every step's time against its estimate, and the run's outcome. */
  readonly estimates?: LearnedEstimates | undefined;
  /** The steps expected from the cache when the run started, with their restore estimates (cache-forecast.ts). */
  readonly cachedSteps?: ReadonlyMap<string, number> | undefined;
}

export const FROM_CACHE_NOTE = 'from the result cache';

export class RunMemory {
  readonly #cache: ResultCache | null;
  readonly #estimates: LearnedEstimates | null;
  readonly #cachedSteps: ReadonlyMap<string, number>;
  readonly #scope: RunScope;
  readonly #runId: string;
  readonly #signal: AbortSignal;
  readonly #size: InputSize;
  /** Each node's key, for the keys of the steps after it. */
  readonly #keys = new Map<string, string>();
  readonly #pending: Promise<void>[] = [];
  readonly #samples: StepSample[] = [];

  private constructor(options: RunMemoryOptions, scope: RunScope, runId: string, signal: AbortSignal) {
    this.#cache = options.resultCache ?? null;
    this.#estimates = options.estimates ?? null;
    this.#cachedSteps = options.cachedSteps ?? new Map<string, number>();
    this.#scope = scope;
    this.#runId = runId;
    this.#signal = signal;
    const files = scope.plan.profile.files;
    this.#size = { rows: files.reduce((sum, f) => sum + f.estimated_rows, 0), bytes: files.reduce((sum, f) => sum + f.bytes, 0), columns: Math.max(0, ...files.map((f) => f.columns.length)) };
  }

  /** Null when there is nothing to remember or reuse: the engine then calls runNode directly. */
  static create(options: RunMemoryOptions, scope: RunScope, runId: string, signal: AbortSignal): RunMemory | null {
    return options.resultCache === undefined && options.estimates === undefined ? null : new RunMemory(options, scope, runId, signal);
  }

  /** Runs a node through the cache: restored when its key is stored, else run (by `run`) and stored when it completes. */
  async run(node: PlanNode, inputs: ComponentInputs, index: number, total: number, signal: AbortSignal, run: () => Promise<NodeRun>): Promise<NodeRun> {
    // A file that is new or changed since it was last hashed almost surely misses: the step runs at once and the
    // file is hashed beside it (a 160 MB file takes a few hundred ms to hash), instead of before it.
    if (await this.#mustRead(node)) {
      const pendingKey = this.#keyOf(node, signal).catch(() => null);
      const result = await this.#runAndSample(node, run);
      this.#ran(node, await pendingKey, result, inputs);
      return result;
    }
    const key = await this.#keyOf(node, signal);
    const entry = key === null ? null : (this.#cache?.get(key) ?? null);
    if (key !== null && entry !== null) {
      const restored = await this.#restore(node, key, entry, inputs, index, total, signal);
      if (restored !== null) return restored;
    }
    const result = await this.#runAndSample(node, run);
    this.#ran(node, key, result, inputs);
    return result;
  }

  /** Waits for the results still being stored (the workspace closes after), then lets go of the restored files. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#pending);
    await this.#cache?.release(this.#runId).catch(() => undefined);
  }

  /** Records the run and its steps' measurements: what the learned estimates and `cs-helper metrics` read. */
  finish(result: RunResult): void {
    const plan = this.#scope.plan;
    try {
      this.#estimates?.recordRun(
        {
          runId: result.runId,
          planId: plan.id,
          fingerprint: plan.fingerprint,
          planFromCache: plan.from_cache,
          startedAt: result.startedAt,
          status: result.status,
          durationMs: result.durationMs,
          estimatedMs: result.estimatedMs,
          steps: result.steps.length,
          cachedSteps: this.#samples.filter((s) => s.cached).length,
        },
        this.#samples,
      );
    } catch (error) {
      this.#scope.runLog?.logWarning('state-write-failed', `run statistics were not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A step that ran: a miss (a step skipped by its condition is neither), stored when it completed with a result. */
  #ran(node: PlanNode, key: string | null, result: NodeRun, inputs: ComponentInputs): void {
    if (key === null || result.step.status === 'skipped') return;
    this.#cache?.count(false);
    // The session log counts its result-cache misses from this line, as `cs-helper metrics` counts them from the counter.
    this.#scope.runLog?.logInfo('result-cache-miss', `${node.id} ran: no result stored for its key`, { node: node.id, component: result.step.component, cache: 'miss', cache_key: key });
    if (result.output !== null && result.step.status === 'completed') this.#store(node, key, result, inputs);
  }

  async #runAndSample(node: PlanNode, run: () => Promise<NodeRun>): Promise<NodeRun> {
    let result: NodeRun;
    try {
      result = await run();
    } catch (error) {
      const step = stepOf(error);
      if (step !== null) this.#sample(node, step, false);
      throw error;
    }
    this.#sample(node, result.step, false);
    return result;
  }

  async #mustRead(node: PlanNode): Promise<boolean> {
    const cache = this.#cache;
    if (cache === null || !cache.cacheable(node, this.#scope.registry.get(node.component))) return false;
    for (const path of filesOf(node, this.#scope.plan.base_dir, this.#scope.registry.get(node.component))) if (await cache.digests.mustRead(path)) return true;
    return false;
  }

  async #keyOf(node: PlanNode, signal: AbortSignal): Promise<string | null> {
    const cache = this.#cache;
    if (cache === null) return null;
    const component = this.#scope.registry.get(node.component);
    if (!cache.cacheable(node, component)) return null;
    const digest = async (path: string): Promise<string> => (await cache.digests.digest(path, signal)).sha256;
    const key = await keyOfNode(node, { component, baseDir: this.#scope.plan.base_dir, keys: this.#keys, digest });
    if (key !== null) this.#keys.set(node.id, key);
    return key;
  }

  async #restore(node: PlanNode, key: string, entry: NonNullable<ReturnType<ResultCache['get']>>, inputs: ComponentInputs, index: number, total: number, signal: AbortSignal): Promise<NodeRun | null> {
    const cache = this.#cache;
    if (cache === null) return null;
    const scope = this.#scope;
    const log = scope.runLog?.child({ span_id: uuidV7(), operation: 'execute_tool' }) ?? null;
    const startedAt = new Date().toISOString();
    const started = performance.now();
    scope.emit({ type: 'step-start', node: node.id, component: node.component, index, total });
    const sql = await scope.workspace.session();
    let output;
    try {
      output = await cache.restore(entry, { sql, tableName: (prefix) => scope.workspace.tableName(prefix), runId: this.#runId, inputs }, signal);
    } catch (error) {
      // Evicted meanwhile, or unreadable: the step simply runs.
      log?.logWarning('result-cache-unusable', `cached result of ${node.id} could not be restored; running the step`, { cache_key: key, error: error instanceof Error ? error.message : String(error) });
      return null;
    } finally {
      sql.close();
    }
    cache.count(true);
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    scope.facts[node.id] = factsOf('completed', output);
    log?.logDecision({
      decision: `run ${node.id}?`,
      chosen: 'reuse cached result',
      alternatives: [{ option: 'run', score: null }],
      reasoning: `${entry.component} ran before on the same input content with the same parameters and version (result cache key ${key.slice(0, 16)}): its result is reused`,
    });
    // No estimated_ms here: a restore time says nothing about the component's speed (estimate statistics skip it).
    log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: 'completed', metadata: { component: entry.component, cache: 'hit', cache_key: key, duration_ms: durationMs, rows_in: output.rowsIn, rows_out: output.rowsOut } });
    const step: StepResult = {
      node: node.id,
      component: entry.component,
      status: 'completed',
      startedAt,
      durationMs,
      // The restore's estimate when the run expected it (the run's estimate counted it so), else the step's own.
      estimatedMs: this.#cachedSteps.get(node.id) ?? node.estimated_ms,
      rowsIn: output.rowsIn,
      rowsOut: output.rowsOut,
      summary: `${output.message} (${FROM_CACHE_NOTE})`,
      attempts: 0,
      iterations: 0,
      adaptations: [],
      fromCache: true,
    };
    this.#sample(node, step, true);
    return { output, step };
  }

  #store(node: PlanNode, key: string, result: NodeRun, inputs: ComponentInputs): void {
    const cache = this.#cache;
    const output = result.output;
    if (cache === null || output === null) return;
    const scope = this.#scope;
    const component = scope.registry.get(result.step.component);
    // In the background, beside the next steps; settle() waits for it before the workspace closes.
    const pending = (async (): Promise<void> => {
      const sql = await scope.workspace.session();
      try {
        await cache.put(key, node, component, output, { sql, inputs }, this.#signal);
      } finally {
        sql.close();
      }
    })().catch((error: unknown) => {
      if (!this.#signal.aborted) scope.runLog?.logWarning('result-cache-store-failed', `result of ${node.id} was not cached: ${error instanceof Error ? error.message : String(error)}`, { cache_key: key });
    });
    this.#pending.push(pending);
  }

  #sample(node: PlanNode, step: StepResult, cached: boolean): void {
    const registry = this.#scope.registry;
    const component = registry.has(step.component) ? registry.get(step.component) : registry.get(node.component);
    this.#samples.push({
      node: node.id,
      component: component.id,
      componentVersion: component.version,
      status: step.status,
      cached,
      clean: !cached && step.attempts <= 1 && step.iterations <= 1 && step.adaptations.length === 0 && step.component === node.component,
      inputRows: this.#size.rows,
      inputBytes: this.#size.bytes,
      inputColumns: this.#size.columns,
      rowsIn: step.rowsIn,
      rowsOut: step.rowsOut,
      estimatedMs: node.estimated_ms,
      baseEstimateMs: component.estimateMs(this.#size),
      durationMs: step.durationMs,
    });
  }
}

/** The step result a failing node attached to its error (run-node.ts). */
function stepOf(error: unknown): StepResult | null {
  return error !== null && typeof error === 'object' && 'step' in error ? (error.step as StepResult) : null;
}
