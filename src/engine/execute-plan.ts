// Runs a validated plan on a fresh workspace: stage by stage, parallel stages really concurrent (bounded), every time
// measured; each node through run-node.ts (condition, loop, retries, time limit, fallback).
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { uuidV7 } from '../ids/uuid-v7.js';
import type { ComponentInputs, ComponentOutput, ComponentSummary, RunInfo } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import { CancelledError } from '../model/errors/cancelled-error.js';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import type { DatasetHandle } from '../model/dataset.js';
import type { RetryPolicy } from '../model/retry-policy.js';
import type { RunResult, StepResult, WrittenFile } from '../model/run-result.js';
import type { PlanNode, WorkflowPlan } from '../model/workflow-plan.js';
import { withCachedSteps } from '../planner/plan-estimate.js';
import { engineMemoryLimitMb, type Workspace, type WorkspaceOptions } from '../data/workspace.js';
import { openRunWorkspace, spillParentOf } from './open-run-workspace.js';
import type { SessionLog } from '../session/session-log.js';
import type { SessionLogger } from '../session/session-logger.js';
import type { RunEventListener } from './run-event.js';
import type { RunFacts } from './run-facts.js';
import { ResultCacheForecast } from './cache-forecast.js';
import type { LearnedEstimates } from './learned-estimates.js';
import type { ResultCache } from './result-cache.js';
import { RunMemory } from './run-memory.js';
import { runNode } from './run-node.js';
import type { RunScope } from './step-context.js';

export interface ExecuteOptions {
  readonly registry: ComponentRegistry;
  readonly signal?: AbortSignal;
  readonly session?: SessionLogger | null;
  /** Steps of one parallel stage that run at the same time. */
  readonly concurrency?: number;
  /** Overrides the plan's output folder (relative to the plan's base folder). */
  readonly outputDir?: string;
  readonly onEvent?: RunEventListener;
  /** Overrides the plan's `resources` (threads, memory limit). */
  readonly workspace?: WorkspaceOptions;
  /** Overrides the retry policies of the plan's adaptation points. */
  readonly retryPolicy?: RetryPolicy;
  /** Step results to reuse and to store (run-memory.ts); absent with `--no-cache`. */
  readonly resultCache?: ResultCache;
  /** Where each step's time against its estimate and the run's outcome are recorded (learned estimates, metrics). */
  readonly estimates?: LearnedEstimates;
}

export const DEFAULT_STEP_CONCURRENCY = 4;

export async function executePlan(plan: WorkflowPlan, options: ExecuteOptions): Promise<RunResult> {
  const runId = uuidV7();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const emit = options.onEvent ?? ((): void => undefined);
  const session = options.session ?? null;
  // One span for the run (its id is the run id), a child span per step: the log reads as a tree.
  const runLog: SessionLog | null = session?.child({ trace_id: runId, span_id: runId, operation: 'invoke_workflow' }) ?? null;
  const outputDir = resolve(plan.base_dir, options.outputDir ?? plan.output_dir);
  const signal = options.signal ?? new AbortController().signal;
  const steps: StepResult[] = [];
  const outputs = new Map<string, ComponentOutput>();
  const total = plan.nodes.length;
  // The estimate against the result cache as it is now, not as it was when the plan was made (a plan read from a
  // file, a journal, a queue; or run with --no-cache): restores count at their cost. Nothing to look up without a cache.
  const cachedSteps = options.resultCache === undefined ? new Map<string, number>() : await new ResultCacheForecast(options.resultCache, options.estimates).cachedSteps(plan, options.registry, signal).catch(() => new Map<string, number>());
  const estimatedSeconds = withCachedSteps(plan, cachedSteps).estimated_seconds;
  const estimatedMs = Math.round(estimatedSeconds * 1000);
  const workflowName = `dynamic_${plan.id}`;

  emit({ type: 'run-start', runId, plan });
  runLog?.logWorkflowExecution({
    workflowName,
    stepName: 'workflow',
    status: 'in_progress',
    metadata: {
      run_id: runId,
      plan_id: plan.id,
      component_count: total,
      estimated_duration: estimatedSeconds,
      ...(cachedSteps.size === 0 ? {} : { expected_from_cache: [...cachedSteps.keys()] }),
      confidence_score: plan.confidence.score,
      fingerprint: plan.fingerprint,
    },
  });

  const resources = plan.resources;
  // The plan's memory limit, capped by CS_HELPER_MEMORY_LIMIT_MB when that is set (workspace.ts says why); the log shows both.
  const memoryLimitMb = engineMemoryLimitMb(resources?.memory_limit_mb);
  const workspaceOptions =
    options.workspace ?? (resources === null ? (memoryLimitMb === undefined ? {} : { memoryLimitMb }) : { threads: resources.threads, ...(memoryLimitMb === undefined ? {} : { memoryLimitMb }), ...(resources.spill_dir === null ? {} : { spillParent: spillParentOf(plan, resources.spill_dir) }) });
  if (resources !== null && options.workspace === undefined) {
    const limit = memoryLimitMb ?? resources.memory_limit_mb;
    const capped = limit < resources.memory_limit_mb ? ` (the plan's ${String(resources.memory_limit_mb)}MB capped by CS_HELPER_MEMORY_LIMIT_MB; larger tables spill)` : '';
    runLog?.logDecision({ decision: 'resources', chosen: `threads=${resources.threads}, memory_limit=${String(limit)}MB${capped}, spill=${resources.spill_dir ?? 'system temporary folder'}`, reasoning: resources.reason });
  }
  let failure: unknown = null;
  let workspace: Workspace | null = null;
  let memory: RunMemory | null = null;
  try {
    // Inside the try: a workspace that cannot be opened (an edited plan's spill folder) ends the run as failed, with
    // its run-end event (the run journal records it), instead of leaving it `running`.
    workspace = await openRunWorkspace(workspaceOptions, options.workspace === undefined);
    const facts: RunFacts = Object.create(null) as RunFacts;
    const scope: RunScope = {
      plan,
      registry: options.registry,
      workspace,
      facts,
      runLog,
      workflowName,
      emit,
      retryPolicy: options.retryPolicy,
      runInfo: (node): RunInfo => ({ runId, sessionId: session?.sessionId ?? null, baseDir: plan.base_dir, outputDir, plan, node, startedAt: started, completedSteps: () => [...steps] }),
    };
    const runMemory = RunMemory.create({ resultCache: options.resultCache, estimates: options.estimates, cachedSteps }, scope, runId, signal);
    memory = runMemory;
    for (const stage of plan.stages) {
      if (signal.aborted) throw new CancelledError();
      emit({ type: 'stage-start', stage: stage.index, mode: stage.mode, nodes: stage.nodes });
      // One failing step stops its siblings: they share this stage's signal.
      const stageController = new AbortController();
      const stageSignal = AbortSignal.any([signal, stageController.signal]);
      const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_STEP_CONCURRENCY));
      const settled = await Promise.allSettled(
        stage.nodes.map((id) =>
          limit(async () => {
            const node = requireNode(plan, id);
            try {
              const inputs = gatherInputs(node, plan, outputs);
              const index = steps.length + 1;
              const run = await (runMemory === null ? runNode(scope, node, inputs, index, total, stageSignal) : runMemory.run(node, inputs, index, total, stageSignal, () => runNode(scope, node, inputs, index, total, stageSignal)));
              if (run.output !== null) outputs.set(node.id, run.output);
              steps.push(run.step);
              emit({ type: 'step-end', step: run.step, index: steps.length, total });
            } catch (error) {
              const step = stepOf(error);
              if (step !== null) {
                steps.push(step);
                emit({ type: 'step-end', step, index: steps.length, total });
              }
              stageController.abort();
              throw error;
            }
          }),
        ),
      );
      const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
      const real = errors.filter((e) => !(e instanceof CancelledError));
      if (real.length === 1) throw real[0];
      if (real.length > 1) throw new AggregateError(real, real.map((e) => (e instanceof Error ? e.message : String(e))).join('; '));
      if (errors.length > 0) throw errors[0];
    }
  } catch (error) {
    failure = error;
  } finally {
    await memory?.settle();
    await workspace?.close();
  }

  const durationMs = performance.now() - started;
  const files: WrittenFile[] = [...outputs.values()].flatMap((o) => o.files ?? []);
  const cancelled = failure instanceof CancelledError || (failure !== null && signal.aborted);
  const status: RunResult['status'] = failure === null ? 'completed' : cancelled ? 'cancelled' : 'failed';
  const finalDatasets = finalDatasetsOf(plan, outputs);
  const result: RunResult = {
    runId,
    planId: plan.id,
    status,
    startedAt,
    durationMs: round(durationMs),
    estimatedMs,
    rowsIn: steps.filter((s) => plan.nodes.find((n) => n.id === s.node)?.type === 'DATA_IMPORT').reduce((sum, s) => sum + s.rowsIn, 0),
    // A run that stopped leaves no datasets (they go with the workspace): what came out of it is what it wrote.
    rowsOut: status === 'completed' ? finalDatasets.reduce((sum, d) => sum + d.rowCount, 0) : files.reduce((sum, f) => sum + (f.rows ?? 0), 0),
    steps,
    files,
    sessionLog: session?.compiledPath ?? null,
    ...(failure === null ? {} : { error: describeError(failure) }),
  };
  runLog?.logWorkflowExecution({
    workflowName,
    stepName: 'workflow',
    status,
    metadata: { run_id: runId, duration_ms: result.durationMs, estimated_ms: estimatedMs, rows_in: result.rowsIn, rows_out: result.rowsOut, files: files.map((f) => f.path), ...(result.error === undefined ? {} : { error: result.error.message }) },
  });
  memory?.finish(result);
  emit({ type: 'run-end', result });
  return result;
}

function requireNode(plan: WorkflowPlan, id: string): PlanNode {
  const node = plan.nodes.find((n) => n.id === id);
  if (node === undefined) throw new Error(`stage names unknown step '${id}'`);
  return node;
}

/** The step result a failing node attached to its error (see run-node.ts). */
function stepOf(error: unknown): StepResult | null {
  return error !== null && typeof error === 'object' && 'step' in error ? (error.step as StepResult) : null;
}

/**
 * The datasets a run ends with: each made by a step whose dataset no other dataset-making step read (the steps that
 * make datasets form a chain per branch: import, transform, enrichment, classification). One for a plan without
 * branches; one per branch for a plan of several datasets, whose rows out are their sum.
 */
function finalDatasetsOf(plan: WorkflowPlan, outputs: ReadonlyMap<string, ComponentOutput>): DatasetHandle[] {
  const read = new Set(plan.nodes.flatMap((n) => (outputs.get(n.id)?.dataset === undefined ? [] : (n.inputs.dataset ?? []))));
  return plan.nodes.flatMap((n) => {
    const dataset = outputs.get(n.id)?.dataset;
    return dataset === undefined || read.has(n.id) ? [] : [dataset];
  });
}

function gatherInputs(node: PlanNode, plan: WorkflowPlan, outputs: ReadonlyMap<string, ComponentOutput>): ComponentInputs {
  const datasets: DatasetHandle[] = [];
  const findings: DatasetHandle[] = [];
  const summaries: ComponentSummary[] = [];
  for (const id of node.inputs.dataset ?? []) {
    const d = outputs.get(id)?.dataset;
    if (d !== undefined) datasets.push(d);
  }
  for (const id of node.inputs.findings ?? []) {
    const f = outputs.get(id)?.findings;
    if (f !== undefined) findings.push(f);
  }
  for (const id of node.inputs.summary ?? []) {
    const s = outputs.get(id)?.summary;
    if (s !== undefined) summaries.push({ component: plan.nodes.find((n) => n.id === id)?.component ?? id, node: id, data: s });
  }
  return { datasets, findings, summaries };
}

function describeError(error: unknown): NonNullable<RunResult['error']> {
  if (error instanceof AggregateError) {
    const first: unknown = error.errors[0];
    return { code: isCsHelperError(first) ? first.code : 'step-failed', message: error.message, ...(isCsHelperError(first) && first.hint !== undefined ? { hint: first.hint } : {}) };
  }
  if (isCsHelperError(error)) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
