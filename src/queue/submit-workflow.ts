// Enqueues one planned workflow under its derived job id. The same workflow submitted again finds its job: a job that
// is waiting, running or done is left alone (and reported), a job that failed is retried once more.
import { resolve } from 'node:path';
import type { ComponentRegistry } from '../components/registry.js';
import { uuidV7 } from '../ids/uuid-v7.js';
import type { QueueClient } from './queue-client.js';
import { workflowJobId } from './job-id.js';
import { jobRetryOptions, jobRetryPolicy } from './job-retry.js';
import type { PlannedWorkflow } from './plan-batch.js';
import { MAX_JOB_DATA_BYTES, WORKFLOW_JOB_FORMAT, WORKFLOW_JOB_NAME, workflowJobSchema, type WorkflowJobData } from './workflow-job.js';

/** Finished jobs stay this long: the window in which a resubmitted workflow is recognised, and `jobs status` answers. */
export const KEEP_FINISHED_SECONDS = 7 * 24 * 3600;

export interface SubmittedJob {
  readonly jobId: string;
  readonly workflow: PlannedWorkflow;
  /** The session the worker logs the job under (the existing job's, when it was already queued). */
  readonly sessionId: string;
  /** What the submission did: added a job, found one waiting, running or done, or retried a failed one. */
  readonly outcome: 'added' | 'existing' | 'retried';
}

export async function submitWorkflow(client: QueueClient, workflow: PlannedWorkflow, registry?: ComponentRegistry): Promise<SubmittedJob> {
  const baseDir = resolve(workflow.plan.base_dir);
  const outputDir = resolve(baseDir, workflow.outputDir);
  const jobId = await workflowJobId(workflow.plan, baseDir, outputDir, registry);
  const retry = jobRetryPolicy(workflow.plan);
  const data: WorkflowJobData = workflowJobSchema.parse({
    format: WORKFLOW_JOB_FORMAT,
    plan: workflow.plan,
    base_dir: baseDir,
    output_dir: outputDir,
    session_id: uuidV7(),
    line: workflow.line,
    id: workflow.id,
    problem: workflow.problem,
    retry,
    submitted_at: new Date().toISOString(),
  });
  await client.queue.add(WORKFLOW_JOB_NAME, data, {
    jobId,
    ...jobRetryOptions(retry),
    sizeLimit: MAX_JOB_DATA_BYTES,
    removeOnComplete: { age: KEEP_FINISHED_SECONDS },
    removeOnFail: { age: KEEP_FINISHED_SECONDS },
  });
  // add() is a no-op for an id BullMQ already holds: the stored job says whether it is ours.
  const stored = await client.queue.getJob(jobId);
  const storedSession = (stored?.data as { session_id?: unknown } | undefined)?.session_id;
  if (stored === undefined || storedSession === data.session_id) return { jobId, workflow, sessionId: data.session_id, outcome: 'added' };
  const sessionId = typeof storedSession === 'string' ? storedSession : data.session_id;
  if ((await stored.getState()) === 'failed') {
    await stored.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return { jobId, workflow, sessionId, outcome: 'retried' };
  }
  return { jobId, workflow, sessionId, outcome: 'existing' };
}
