// What a worker does with one job: validate the job and its plan, check that its files are readable here, run the plan
// with the same engine and the shared result cache, report progress, and log it all as the job's own session (the id
// travels with the job). A failure that retrying cannot fix (a bad plan, a missing file, a cancel) is unrecoverable
// for BullMQ; only errors that say they are transient are retried.
import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ComponentRegistry } from '../components/registry.js';
import type { ExecuteOptions } from '../engine/execute-plan.js';
import { isRetryable } from '../engine/retry-policy.js';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import { confinePlan } from '../mcp/confine-plan.js';
import type { PathRoots } from '../mcp/path-roots.js';
import { validatePlan } from '../planner/load-plan.js';
import { SessionLogger } from '../session/session-logger.js';
import { CANCEL_POLL_MS, cancelMark } from './cancel-marks.js';
import { checkJobInputs } from './job-inputs.js';
import { workflowJobSchema, type WorkflowJobProgress, type WorkflowJobResult } from './workflow-job.js';

export const QUEUE_JOB_CONTEXT = 'queue_job';

export interface WorkflowJobRunnerOptions {
  readonly registry: ComponentRegistry;
  /** The state folder's result cache (on unless the worker runs with --no-cache) and learned estimates. */
  readonly memory: Pick<ExecuteOptions, 'resultCache' | 'estimates'>;
  readonly queueName: string;
  /** For cancel marks; the worker's own client. */
  readonly redis: Redis;
  readonly logDir: string;
  readonly debug: boolean;
  /** `host:pid`, stored on each job as the worker that ran it. */
  readonly worker: string;
  readonly argv: readonly string[];
  /** With `worker --root`: every path of a job must lie inside these folders (links and .. seen through). */
  readonly roots?: PathRoots;
  /** One line per job start and end, for the worker's stderr. */
  readonly onJob?: (event: JobEvent) => void;
}

export type JobEvent = { readonly type: 'job-start'; readonly jobId: string; readonly attempt: number; readonly line: number; readonly id: string | null } | { readonly type: 'job-end'; readonly jobId: string; readonly status: 'completed' | 'failed' | 'cancelled'; readonly durationMs: number; readonly cachedSteps: number; readonly message: string | null };

type JobError = NonNullable<WorkflowJobProgress['error']>;

export function workflowJobProcessor(options: WorkflowJobRunnerOptions): Processor<unknown, WorkflowJobResult> {
  // Three declared parameters: BullMQ hands an AbortSignal only to a processor that takes one.
  return async (job: Job<unknown, WorkflowJobResult>, _token: string | undefined, signal: AbortSignal | undefined): Promise<WorkflowJobResult> => runJob(job, signal, options);
}

async function runJob(job: Job<unknown, WorkflowJobResult>, bullSignal: AbortSignal | undefined, options: WorkflowJobRunnerOptions): Promise<WorkflowJobResult> {
  const jobId = job.id ?? 'unknown';
  const parsed = workflowJobSchema.safeParse(job.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnrecoverableError(`job ${jobId} is not a CS Helper workflow job: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`);
  }
  const data = parsed.data;
  const attempt = job.attemptsStarted;
  const started = performance.now();
  const emit = options.onJob ?? ((): void => undefined);
  emit({ type: 'job-start', jobId, attempt, line: data.line, id: data.id });
  // One session per start of the job: the id is the job's, the name tells the attempts apart in a shared log folder.
  const session = SessionLogger.start({ logDir: options.logDir, sessionId: data.session_id, sessionName: `job_${jobId}_${attempt}`, debug: options.debug, argv: options.argv });
  const meta = { job_id: jobId, queue: options.queueName, attempt, worker: options.worker, line: data.line, id: data.id, output_dir: data.output_dir };
  session.logInteraction('question', data.problem, QUEUE_JOB_CONTEXT, meta, 'queue_job');

  const cancel = new AbortController();
  const signal = bullSignal === undefined ? cancel.signal : AbortSignal.any([bullSignal, cancel.signal]);
  const poll = setInterval(() => {
    cancelMark(options.redis, options.queueName, jobId)
      .then((reason) => {
        if (reason !== null) cancel.abort(reason);
      })
      .catch(() => undefined);
  }, CANCEL_POLL_MS);
  let status: 'completed' | 'failed' | 'cancelled' = 'failed';
  let cachedSteps = 0;
  let failure: JobError | null = null;
  try {
    // Cancelled before it started (the mark was set while it waited): nothing runs.
    const early = await cancelMark(options.redis, options.queueName, jobId);
    if (early !== null) cancel.abort(early);
    const placed = { ...validatePlan(data.plan, options.registry, `job ${jobId}`), base_dir: data.base_dir, output_dir: data.output_dir };
    const plan = options.roots === undefined ? placed : await confinePlan(placed, options.roots, options.registry, data.output_dir);
    await checkJobInputs(plan, plan.base_dir);
    const total = plan.nodes.length;
    await job.updateProgress(progress('started', 0, total, options.worker));
    // Loaded here: the engine brings DuckDB.
    const { executePlan } = await import('../engine/execute-plan.js');
    const result = await executePlan(
      plan,
      {
        registry: options.registry,
        session,
        signal,
        outputDir: plan.output_dir,
        ...options.memory,
        onEvent: (event) => {
          if (event.type !== 'step-end') return;
          job.updateProgress({ ...progress('step', event.index, event.total, options.worker), step: event.step.node }).catch(() => undefined);
        },
      },
    );
    cachedSteps = result.steps.filter((s) => s.fromCache === true).length;
    status = result.status;
    if (result.status === 'completed') {
      const value: WorkflowJobResult = {
        run_id: result.runId,
        plan_id: result.planId,
        rows_in: result.rowsIn,
        rows_out: result.rowsOut,
        duration_ms: result.durationMs,
        steps: result.steps.length,
        cached_steps: cachedSteps,
        files: result.files.map((f) => ({ ...f })),
        session_log: session.compiledPath,
        worker: options.worker,
        attempt,
      };
      session.logInteraction('answer', `job ${jobId} completed: ${result.files.length} files, ${cachedSteps} of ${result.steps.length} steps from the result cache`, QUEUE_JOB_CONTEXT, { ...meta, run_id: result.runId, cached_steps: cachedSteps, files: result.files.map((f) => f.path) }, 'queue_job_result');
      return value;
    }
    failure = result.status === 'cancelled' ? cancelledError(signal) : (result.error ?? { code: 'run-failed', message: 'the run failed' });
    throw new UnrecoverableError(failure.message);
  } catch (error) {
    if (failure === null) {
      status = signal.aborted ? 'cancelled' : 'failed';
      failure = status === 'cancelled' ? cancelledError(signal) : describe(error);
    }
    session.logError(status === 'cancelled' ? 'queue-job-cancelled' : 'queue-job-failed', failure.message, { ...meta, code: failure.code }, error);
    await job.updateProgress({ ...progress('failed', 0, 0, options.worker), error: failure }).catch(() => undefined);
    // Transient errors outside the run (the state database busy, a socket reset) are worth another attempt.
    if (error instanceof UnrecoverableError || status === 'cancelled' || !isRetryable(error)) throw new UnrecoverableError(failure.message);
    throw new Error(failure.message, { cause: error });
  } finally {
    clearInterval(poll);
    emit({ type: 'job-end', jobId, status, durationMs: Math.round(performance.now() - started), cachedSteps, message: failure?.message ?? null });
    const closed = await session.close({ job_id: jobId, attempt, worker: options.worker, cached_steps: cachedSteps }, status);
    if (closed.problem !== null) process.stderr.write(`note: the session log of job ${jobId} stays as a stream (${closed.path}): ${closed.problem}\n`);
  }
}

function progress(phase: WorkflowJobProgress['phase'], done: number, total: number, worker: string): WorkflowJobProgress {
  return { phase, done, total, worker };
}

function cancelledError(signal: AbortSignal): JobError {
  const reason: unknown = signal.reason;
  return { code: 'cancelled', message: `cancelled: ${typeof reason === 'string' ? reason : 'the worker stopped'}`, hint: 'submit the workflow again to run it' };
}

function describe(error: unknown): JobError {
  if (isCsHelperError(error)) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
