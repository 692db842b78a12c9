// Runs one node of a plan with its adaptations: its condition (skip), its loop (adjust a parameter until a condition
// holds), and for each iteration the attempts (time limit through the signal, retries with backoff, then the fallback).
import { uuidV7 } from '../ids/uuid-v7.js';
import type { AnyComponent, ComponentInputs, ComponentOutput } from '../components/component.js';
import { CancelledError } from '../model/errors/cancelled-error.js';
import { StepFailedError } from '../model/errors/step-failed-error.js';
import { StepTimeoutError } from '../model/errors/step-timeout-error.js';
import { describePredicate } from '../model/predicate.js';
import type { StepResult } from '../model/run-result.js';
import type { AdaptationPoint, PlanNode } from '../model/workflow-plan.js';
import type { SessionLog } from '../session/session-log.js';
import { adjustParameter } from './adjust-parameter.js';
import { evaluatePredicate } from './evaluate-predicate.js';
import { isRetryable, retryDelayMs, sleep, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { factsOf } from './run-facts.js';
import type { RunScope } from './step-context.js';

export interface NodeRun {
  readonly output: ComponentOutput | null;
  readonly step: StepResult;
}

export async function runNode(scope: RunScope, node: PlanNode, inputs: ComponentInputs, index: number, total: number, signal: AbortSignal): Promise<NodeRun> {
  const log = scope.runLog?.child({ span_id: uuidV7(), operation: 'execute_tool' }) ?? null;
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const adaptations: string[] = [];
  scope.emit({ type: 'step-start', node: node.id, component: node.component, index, total });

  if (node.condition !== null && !evaluatePredicate(node.condition, scope.facts, node.id)) {
    const reason = `condition not met: ${describePredicate(node.condition)}`;
    log?.logDecision({ decision: `run ${node.id}?`, chosen: 'skip', alternatives: [{ option: 'run', score: null }], reasoning: reason });
    log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: 'skipped', metadata: { component: node.component, reason } });
    scope.facts[node.id] = factsOf('skipped', null);
    return { output: null, step: result(node, 'skipped', startedAt, started, null, reason, 0, 0, adaptations) };
  }

  const component = scope.registry.get(node.component);
  log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: 'in_progress', metadata: { component: node.component, estimated_ms: node.estimated_ms } });
  log?.logDebug('step-inputs', `inputs of ${node.id}`, {
    params: node.params,
    datasets: inputs.datasets.map((d) => ({ table: d.table, rows: d.rowCount, columns: d.columns.map((c) => `${c.name}:${c.sqlType}${c.role === null ? '' : `:${c.role}`}`) })),
    findings: inputs.findings.map((f) => ({ table: f.table, rows: f.rowCount })),
    summaries: inputs.summaries.map((s) => s.node),
  });

  let params: Record<string, unknown> = { ...node.params };
  let iterations = 0;
  let last: Attempted | null = null;
  try {
    for (;;) {
      iterations += 1;
      last = await attempt(scope, node, component, inputs, params, signal, log, adaptations);
      if (node.loop === null) break;
      scope.facts[node.id] = factsOf('completed', last.output);
      if (evaluatePredicate(node.loop.until, scope.facts, node.id)) break;
      const bound = iterations >= node.loop.max_iterations;
      const adjusted = bound ? null : adjustParameter(params, node.loop.adjust);
      if (adjusted === null || !adjusted.changed) {
        log?.logDecision({ decision: `repeat ${node.id}?`, chosen: 'stop', reasoning: `${describePredicate(node.loop.until)} still false after ${iterations} iteration(s); ${adjusted === null ? `bound of ${node.loop.max_iterations} reached` : `${node.loop.adjust.param} is at its limit`}` });
        break;
      }
      const change = `${node.loop.adjust.param} ${adjusted.from} -> ${adjusted.to}`;
      adaptations.push(change);
      log?.logDecision({ decision: 'adaptation', chosen: 'adjust-parameter', alternatives: [{ option: 'stop', score: null }], reasoning: `low yield: ${describePredicate(node.loop.until)} is false; ${change} (iteration ${iterations + 1} of at most ${node.loop.max_iterations})` });
      log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: 'adapted', metadata: { component: node.component, iteration: iterations, adjustment: change } });
      scope.emit({ type: 'step-adapted', node: node.id, detail: change });
      params = adjusted.params;
    }
  } catch (error) {
    const cancelled = error instanceof CancelledError || signal.aborted;
    const wrapped = cancelled ? new CancelledError() : new StepFailedError(node.id, node.component, error);
    const durationMs = performance.now() - started;
    log?.logToolCall({ tool: node.component, parameters: params, durationMs, error: wrapped.message });
    log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: cancelled ? 'cancelled' : 'failed', metadata: { component: node.component, duration_ms: round(durationMs), estimated_ms: node.estimated_ms, error: wrapped.message } });
    if (!cancelled) log?.logError('step-failed', wrapped.message, { node: node.id, component: node.component }, error);
    scope.facts[node.id] = factsOf('failed', null);
    const step = { ...result(node, cancelled ? 'cancelled' : 'failed', startedAt, started, null, wrapped.message, attemptsOf(error), iterations, adaptations), error: { code: wrapped.code, message: wrapped.message } };
    throw Object.assign(wrapped, { step });
  }

  const output = last.output;
  const durationMs = performance.now() - started;
  scope.facts[node.id] = factsOf('completed', output);
  log?.logToolCall({ tool: last.component.id, parameters: params, durationMs, rowsIn: output.rowsIn, rowsOut: output.rowsOut, result: output.message });
  log?.logWorkflowExecution({
    workflowName: scope.workflowName,
    stepName: node.id,
    status: 'completed',
    metadata: { component: last.component.id, duration_ms: round(durationMs), estimated_ms: node.estimated_ms, rows_in: output.rowsIn, rows_out: output.rowsOut, attempts: last.attempts, iterations, adaptations },
  });
  return { output, step: { ...result(node, 'completed', startedAt, started, output, output.message, last.attempts, iterations, adaptations), component: last.component.id } };
}

interface Attempted {
  readonly output: ComponentOutput;
  readonly component: AnyComponent;
  readonly attempts: number;
}

/** Attempts of one iteration: retries while the policy allows, then the fallback once; otherwise the error stands. */
async function attempt(scope: RunScope, node: PlanNode, component: AnyComponent, inputs: ComponentInputs, params: Record<string, unknown>, signal: AbortSignal, log: SessionLog | null, adaptations: string[]): Promise<Attempted> {
  const retryPoint = pointFor(scope.plan.adaptation_points, node.id, 'retry');
  const policy: RetryPolicy = scope.retryPolicy ?? retryPoint?.retry ?? DEFAULT_RETRY_POLICY;
  const maxAttempts = retryPoint === undefined ? 1 : policy.maximum_attempts;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      return { output: await runComponent(scope, node, component, inputs, params, signal, log), component, attempts };
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (attempts < maxAttempts && isRetryable(error, policy)) {
        const delayMs = retryDelayMs(policy, attempts);
        adaptations.push(`retried after: ${message}`);
        log?.logDecision({ decision: 'adaptation', chosen: 'retry', alternatives: [{ option: 'fail', score: null }], reasoning: `${error instanceof StepTimeoutError ? 'timeout' : 'transient failure'} (${message}); attempt ${attempts + 1} of ${maxAttempts} in ${delayMs} ms` });
        log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: 'retried', metadata: { component: component.id, attempt: attempts, delay_ms: delayMs, error: message } });
        scope.emit({ type: 'step-retry', node: node.id, attempt: attempts, delayMs, error: message });
        await sleep(delayMs, signal);
        continue;
      }
      // Fallback is a separate layer: it runs only once retries are exhausted (or the error is not worth retrying).
      const fallbackPoint = pointFor(scope.plan.adaptation_points, node.id, 'fallback');
      if (fallbackPoint?.fallback !== undefined && scope.registry.has(fallbackPoint.fallback)) {
        const fallback = scope.registry.get(fallbackPoint.fallback);
        const fallbackParams = fallback.params.safeParse(params);
        const usable = fallbackParams.success ? (fallbackParams.data as Record<string, unknown>) : {};
        adaptations.push(`fell back to ${fallback.id} after: ${message}`);
        log?.logDecision({ decision: 'adaptation', chosen: `fallback to ${fallback.id}`, alternatives: [{ option: 'fail', score: null }], reasoning: `${component.id} failed after ${attempts} attempt(s) (${message}); ${fallbackPoint.detail}` });
        log?.logWorkflowExecution({ workflowName: scope.workflowName, stepName: node.id, status: 'adapted', metadata: { component: fallback.id, replaces: component.id, error: message } });
        scope.emit({ type: 'step-adapted', node: node.id, detail: `fell back to ${fallback.id}` });
        return { output: await runComponent(scope, node, fallback, inputs, usable, signal, log), component: fallback, attempts: attempts + 1 };
      }
      throw Object.assign(error instanceof Error ? error : new Error(message), { attempts });
    }
  }
}

/** One call of a component on its own connection; the node's time limit aborts it through its signal. */
async function runComponent(scope: RunScope, node: PlanNode, component: AnyComponent, inputs: ComponentInputs, params: Record<string, unknown>, signal: AbortSignal, log: SessionLog | null): Promise<ComponentOutput> {
  const parsed: unknown = component.params.parse(params);
  const timeout = node.timeout_ms === null ? null : AbortSignal.timeout(node.timeout_ms);
  const stepSignal = timeout === null ? signal : AbortSignal.any([signal, timeout]);
  const sql = await scope.workspace.session();
  try {
    return await component.run(
      {
        sql,
        tableName: (prefix) => scope.workspace.tableName(prefix),
        describe: (table, sources) => scope.workspace.handle(sql, table, sources, stepSignal),
        signal: stepSignal,
        log: log?.stepLog() ?? silentLog,
        progress: (fraction, message) => {
          scope.emit({ type: 'step-progress', node: node.id, fraction, ...(message === undefined ? {} : { message }) });
        },
        run: scope.runInfo(node.id),
      },
      inputs,
      parsed,
    );
  } catch (error) {
    if (timeout?.aborted === true && !signal.aborted && node.timeout_ms !== null) throw new StepTimeoutError(node.id, node.timeout_ms);
    throw error;
  } finally {
    sql.close();
  }
}

const silentLog = { info: (): void => undefined, warn: (): void => undefined, dataOperation: (): void => undefined, decision: (): void => undefined };

function pointFor(points: readonly AdaptationPoint[], node: string, action: AdaptationPoint['action']): AdaptationPoint | undefined {
  return points.find((p) => p.node === node && p.action === action);
}

function attemptsOf(error: unknown): number {
  return error !== null && typeof error === 'object' && 'attempts' in error && typeof error.attempts === 'number' ? error.attempts : 1;
}

function result(node: PlanNode, status: StepResult['status'], startedAt: string, started: number, output: ComponentOutput | null, summary: string, attempts: number, iterations: number, adaptations: readonly string[]): StepResult {
  return {
    node: node.id,
    component: node.component,
    status,
    startedAt,
    durationMs: round(performance.now() - started),
    estimatedMs: node.estimated_ms,
    rowsIn: output?.rowsIn ?? 0,
    rowsOut: output?.rowsOut ?? 0,
    summary,
    attempts,
    iterations,
    adaptations: [...adaptations],
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
