// Runs a validated plan on a fresh workspace: stage by stage, parallel stages really concurrent (bounded), every time measured.
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { v7 as uuidv7 } from 'uuid';
import type { ComponentInputs, ComponentOutput, ComponentSummary, RunInfo } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import { CancelledError } from '../model/errors/cancelled-error.js';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import { StepFailedError } from '../model/errors/step-failed-error.js';
import type { DatasetHandle } from '../model/dataset.js';
import type { RunResult, StepResult, WrittenFile } from '../model/run-result.js';
import type { PlanNode, WorkflowPlan } from '../model/workflow-plan.js';
import { Workspace, type WorkspaceOptions } from '../data/workspace.js';
import type { SessionLog } from '../session/session-log.js';
import type { SessionLogger } from '../session/session-logger.js';
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, sleep, type RetryPolicy } from './retry-policy.js';
import type { RunEventListener } from './run-event.js';

export interface ExecuteOptions {
  readonly registry: ComponentRegistry;
  readonly signal?: AbortSignal;
  readonly session?: SessionLogger | null;
  /** Steps of one parallel stage that run at the same time. */
  readonly concurrency?: number;
  /** Overrides the plan's output folder (relative to the plan's base folder). */
  readonly outputDir?: string;
  readonly onEvent?: RunEventListener;
  readonly workspace?: WorkspaceOptions;
  readonly retryPolicy?: RetryPolicy;
}

export const DEFAULT_STEP_CONCURRENCY = 4;

export async function executePlan(plan: WorkflowPlan, options: ExecuteOptions): Promise<RunResult> {
  const runId = uuidv7();
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
  const estimatedMs = Math.round(plan.estimated_seconds * 1000);
  const workflowName = `dynamic_${plan.id}`;

  emit({ type: 'run-start', runId, plan });
  runLog?.logWorkflowExecution({
    workflowName,
    stepName: 'workflow',
    status: 'in_progress',
    metadata: { run_id: runId, plan_id: plan.id, component_count: total, estimated_duration: plan.estimated_seconds, confidence_score: plan.confidence.score, fingerprint: plan.fingerprint },
  });

  let failure: unknown = null;
  const workspace = await Workspace.open(options.workspace ?? {});
  try {
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
            try {
              await runStep(requireNode(plan, id), stageSignal);
            } catch (error) {
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
    await workspace.close();
  }

  const durationMs = performance.now() - started;
  const files: WrittenFile[] = [...outputs.values()].flatMap((o) => o.files ?? []);
  const cancelled = failure instanceof CancelledError || (failure !== null && signal.aborted);
  const status: RunResult['status'] = failure === null ? 'completed' : cancelled ? 'cancelled' : 'failed';
  const lastDataset = [...plan.nodes].reverse().map((n) => outputs.get(n.id)?.dataset).find((d): d is DatasetHandle => d !== undefined);
  const result: RunResult = {
    runId,
    planId: plan.id,
    status,
    startedAt,
    durationMs: round(durationMs),
    estimatedMs,
    rowsIn: steps.filter((s) => plan.nodes.find((n) => n.id === s.node)?.type === 'DATA_IMPORT').reduce((sum, s) => sum + s.rowsIn, 0),
    rowsOut: lastDataset?.rowCount ?? 0,
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
  emit({ type: 'run-end', result });
  return result;

  async function runStep(node: PlanNode, stepSignal: AbortSignal): Promise<void> {
    const component = options.registry.get(node.component);
    const params: unknown = component.params.parse(node.params);
    const inputs = gatherInputs(node, plan, outputs);
    const index = steps.length + 1;
    const stepLog = runLog?.child({ span_id: uuidv7(), operation: 'execute_tool' }) ?? null;
    const retries = plan.adaptation_points.some((a) => a.node === node.id && a.action === 'retry');
    const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    emit({ type: 'step-start', node: node.id, component: node.component, index, total });
    stepLog?.logWorkflowExecution({ workflowName, stepName: node.id, status: 'in_progress', metadata: { component: node.component, estimated_ms: node.estimated_ms } });
    stepLog?.logDebug('step-inputs', `inputs of ${node.id}`, {
      params,
      datasets: inputs.datasets.map((d) => ({ table: d.table, rows: d.rowCount, columns: d.columns.map((c) => `${c.name}:${c.sqlType}${c.role === null ? '' : `:${c.role}`}`) })),
      findings: inputs.findings.map((f) => ({ table: f.table, rows: f.rowCount })),
      summaries: inputs.summaries.map((s) => s.node),
    });
    const stepStartedAt = new Date().toISOString();
    const stepStarted = performance.now();
    for (let attempt = 1; ; attempt += 1) {
      const sql = await workspace.session();
      try {
        const info: RunInfo = { runId, sessionId: session?.sessionId ?? null, baseDir: plan.base_dir, outputDir, plan, node: node.id, startedAt: started, completedSteps: () => [...steps] };
        const output = await component.run(
          {
            sql,
            tableName: (prefix) => workspace.tableName(prefix),
            describe: (table, sources) => workspace.handle(sql, table, sources, stepSignal),
            signal: stepSignal,
            log: stepLog?.stepLog() ?? silentLog,
            progress: (fraction, message) => {
              emit({ type: 'step-progress', node: node.id, fraction, ...(message === undefined ? {} : { message }) });
            },
            run: info,
          },
          inputs,
          params,
        );
        const durationMs = performance.now() - stepStarted;
        outputs.set(node.id, output);
        const step: StepResult = { node: node.id, component: node.component, status: 'completed', startedAt: stepStartedAt, durationMs: round(durationMs), estimatedMs: node.estimated_ms, rowsIn: output.rowsIn, rowsOut: output.rowsOut, summary: output.message };
        steps.push(step);
        stepLog?.logToolCall({ tool: node.component, parameters: node.params, durationMs, rowsIn: output.rowsIn, rowsOut: output.rowsOut, result: output.message });
        stepLog?.logWorkflowExecution({ workflowName, stepName: node.id, status: 'completed', metadata: { component: node.component, duration_ms: round(durationMs), estimated_ms: node.estimated_ms, rows_in: output.rowsIn, rows_out: output.rowsOut, attempts: attempt } });
        emit({ type: 'step-end', step, index: steps.length, total });
        return;
      } catch (error) {
        const cancelled = error instanceof CancelledError || stepSignal.aborted;
        if (!cancelled && retries && attempt < policy.maximumAttempts && isRetryable(error)) {
          const delayMs = retryDelayMs(policy, attempt);
          const message = error instanceof Error ? error.message : String(error);
          emit({ type: 'step-retry', node: node.id, attempt, delayMs, error: message });
          stepLog?.logWorkflowExecution({ workflowName, stepName: node.id, status: 'retried', metadata: { component: node.component, attempt, delay_ms: delayMs, error: message } });
          stepLog?.logDecision({ decision: 'adaptation', chosen: 'retry', alternatives: [{ option: 'fail', score: null }], reasoning: `transient failure (${message}); attempt ${attempt + 1} of ${policy.maximumAttempts} in ${delayMs} ms` });
          await sleep(delayMs, stepSignal);
          continue;
        }
        const durationMs = performance.now() - stepStarted;
        const wrapped = cancelled ? new CancelledError() : new StepFailedError(node.id, node.component, error);
        const step: StepResult = {
          node: node.id,
          component: node.component,
          status: cancelled ? 'cancelled' : 'failed',
          startedAt: stepStartedAt,
          durationMs: round(durationMs),
          estimatedMs: node.estimated_ms,
          rowsIn: 0,
          rowsOut: 0,
          summary: wrapped.message,
          error: { code: wrapped.code, message: wrapped.message },
        };
        steps.push(step);
        stepLog?.logToolCall({ tool: node.component, parameters: node.params, durationMs, error: wrapped.message });
        stepLog?.logWorkflowExecution({ workflowName, stepName: node.id, status: cancelled ? 'cancelled' : 'failed', metadata: { component: node.component, duration_ms: round(durationMs), estimated_ms: node.estimated_ms, error: wrapped.message } });
        if (!cancelled) stepLog?.logError('step-failed', wrapped.message, { node: node.id, component: node.component }, error);
        emit({ type: 'step-end', step, index: steps.length, total });
        throw wrapped;
      } finally {
        sql.close();
      }
    }
  }
}

const silentLog = { info: (): void => undefined, warn: (): void => undefined, dataOperation: (): void => undefined };

function requireNode(plan: WorkflowPlan, id: string): PlanNode {
  const node = plan.nodes.find((n) => n.id === id);
  if (node === undefined) throw new Error(`stage names unknown step '${id}'`);
  return node;
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
