// A job as the batch summary shows it: the same BatchResult a local batch produces, from the job's state, its return
// value (a completed run) or its last progress report (a failed one carries the error's code and hint).
import type { Job } from 'bullmq';
import type { BatchResult } from '../cli/batch/run-batch.js';
import type { SubmittedJob } from './submit-workflow.js';
import { workflowJobProgressSchema, workflowJobResultSchema, type WorkflowJobResult } from './workflow-job.js';

export type JobStatus = 'completed' | 'failed' | 'waiting' | 'active' | 'delayed' | 'unknown';

export function jobStatusOf(state: string): JobStatus {
  if (state === 'completed' || state === 'failed' || state === 'active' || state === 'delayed') return state;
  if (state === 'waiting' || state === 'prioritized' || state === 'waiting-children') return 'waiting';
  return 'unknown';
}

export function isFinished(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed';
}

/** A finished job's row; a job still queued when the producer stopped waiting counts as cancelled (for this producer). */
export function jobBatchResult(submitted: SubmittedJob, job: Job<unknown, WorkflowJobResult> | undefined, status: JobStatus): BatchResult {
  const { workflow } = submitted;
  const base = { line: workflow.line, id: workflow.id, problem: workflow.problem, outputDir: workflow.outputDir, planId: workflow.plan.id };
  const value = status === 'completed' ? workflowJobResultSchema.safeParse(job?.returnvalue) : null;
  if (value?.success === true) {
    const r = value.data;
    return { ...base, status: 'completed', runId: r.run_id, rowsIn: r.rows_in, rowsOut: r.rows_out, durationMs: r.duration_ms, files: r.files, error: null };
  }
  const empty = { ...base, runId: null, rowsIn: 0, rowsOut: 0, durationMs: 0, files: [] };
  if (status === 'failed') return { ...empty, status: 'failed', error: jobError(job) };
  if (job === undefined) return { ...empty, status: 'failed', error: { code: 'queue-no-such-job', message: `job ${submitted.jobId} is no longer in the queue (removed or cancelled)` } };
  return { ...empty, status: 'cancelled', error: { code: 'queue-not-finished', message: `job ${submitted.jobId} is ${status}: no longer waited for`, hint: `it keeps running on the workers; follow it with \`cs-helper jobs status ${submitted.jobId}\`` } };
}

/** The failed job's error: code and hint from its last progress report when the worker got that far. */
export function jobError(job: Job | undefined): NonNullable<BatchResult['error']> {
  const reported = workflowJobProgressSchema.safeParse(job?.progress);
  const error = reported.success ? reported.data.error : undefined;
  if (error !== undefined) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { code: 'job-failed', message: job?.failedReason ?? 'the job failed' };
}
