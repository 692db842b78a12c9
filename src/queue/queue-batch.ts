// A batch on the queue, from the producer's side: plan every line here, enqueue each plan as a job, and, with --wait,
// follow the jobs until they finish; the results come back in the BatchResult shape of the local batch, so the same
// table prints them. Without --wait the producer returns once every job is in the queue.
import type { ComponentRegistry } from '../components/registry.js';
import type { BatchEntry } from '../cli/batch/batch-file.js';
import { BATCH_CONTEXT, type BatchResult } from '../cli/batch/run-batch.js';
import type { PlanMemory } from '../planner/plan-with-memory.js';
import type { SessionLogger } from '../session/session-logger.js';
import { planBatch, type PlannedWorkflow } from './plan-batch.js';
import type { QueueTarget } from './queue-url.js';
import { submitWorkflow, type SubmittedJob } from './submit-workflow.js';
import type { JobWatchEvent } from './wait-for-jobs.js';

export interface QueueBatchOptions {
  readonly target: QueueTarget;
  readonly wait: boolean;
  readonly registry: ComponentRegistry;
  readonly memory: PlanMemory;
  readonly baseDir: string;
  readonly session: SessionLogger;
  readonly signal: AbortSignal;
  readonly onEvent?: (event: JobWatchEvent | { readonly type: 'job-submitted'; readonly job: SubmittedJob }) => void;
}

export interface QueueBatchOutcome {
  readonly submitted: readonly SubmittedJob[];
  /** Every line in line order: the lines that could not be planned, and with --wait every job's result. */
  readonly results: readonly BatchResult[];
  /** Lines planned and queued but not waited for. */
  readonly queued: readonly SubmittedJob[];
}

export async function runBatchOnQueue(entries: readonly BatchEntry[], options: QueueBatchOptions): Promise<QueueBatchOutcome> {
  const planned = await planBatch(entries, options);
  const workflows = planned.flatMap((p) => (p.ok ? [p.workflow] : []));
  const failed = planned.flatMap((p) => (p.ok ? [] : [p.result]));
  return runPlannedOnQueue(workflows, failed, options);
}

/** Enqueues plans already made (a batch's, or dynamic-workflow's one) and, with `wait`, follows them to the end. */
export async function runPlannedOnQueue(
  workflows: readonly PlannedWorkflow[],
  failed: readonly BatchResult[],
  options: Omit<QueueBatchOptions, 'registry' | 'memory' | 'baseDir'> & { readonly registry?: ComponentRegistry },
): Promise<QueueBatchOutcome> {
  const { session, target } = options;
  const emit = options.onEvent ?? ((): void => undefined);
  // Loaded here: BullMQ is needed only when a queue is used.
  const { openQueueClient } = await import('./queue-client.js');
  const { waitForJobs } = await import('./wait-for-jobs.js');
  // Events are followed from before the first job is added, so none of its reports is missed.
  const client = await openQueueClient(target, { events: options.wait });
  try {
    const submitted: SubmittedJob[] = [];
    for (const workflow of workflows) {
      const job = await submitWorkflow(client, workflow, options.registry);
      submitted.push(job);
      session.logDataOperation({ operation: 'write', target: `queue:${target.queueName}/${job.jobId}`, detail: { kind: 'queue-job', outcome: job.outcome, line: workflow.line, id: workflow.id, plan_id: workflow.plan.id, job_session_id: job.sessionId, queue: target.display } });
      emit({ type: 'job-submitted', job });
    }
    if (!options.wait) return { submitted, results: [...failed].sort(byLine), queued: submitted };
    const finished = await waitForJobs(client, submitted, { signal: options.signal, onEvent: emit });
    for (const result of finished) {
      session.logInteraction('answer', `line ${result.line}: ${result.status}${result.error === null ? '' : `: ${result.error.message}`}`, BATCH_CONTEXT, { line: result.line, id: result.id, status: result.status, run_id: result.runId, files: result.files.map((f) => f.path) }, 'batch_result');
    }
    return { submitted, results: [...failed, ...finished].sort(byLine), queued: [] };
  } finally {
    await client.close();
  }
}

function byLine(a: BatchResult, b: BatchResult): number {
  return a.line - b.line;
}
