// Follows submitted jobs until each has finished: workers' progress arrives as QueueEvents, and a poll of the jobs'
// states (every second, a bounded number per round) catches whatever an event stream can miss: a job that finished
// before the producer listened, or a reconnect. Stopping (Ctrl-C) ends the waiting, never the jobs.
import { setTimeout as delay } from 'node:timers/promises';
import type { Job } from 'bullmq';
import type { BatchResult } from '../cli/batch/run-batch.js';
import { isFinished, jobBatchResult, jobStatusOf, type JobStatus } from './job-outcome.js';
import type { QueueClient } from './queue-client.js';
import type { SubmittedJob } from './submit-workflow.js';
import { workflowJobProgressSchema, type WorkflowJobProgress, type WorkflowJobResult } from './workflow-job.js';

export type JobWatchEvent =
  | { readonly type: 'job-active'; readonly job: SubmittedJob }
  | { readonly type: 'job-progress'; readonly job: SubmittedJob; readonly progress: WorkflowJobProgress }
  | { readonly type: 'job-end'; readonly job: SubmittedJob; readonly result: BatchResult; readonly worker: string | null; readonly done: number; readonly total: number };

export interface WaitOptions {
  readonly signal: AbortSignal;
  readonly onEvent?: (event: JobWatchEvent) => void;
  readonly pollMs?: number;
}

const POLL_MS = 1_000;
/** Jobs whose state one poll round reads: a 10,000-line batch is polled in slices, not all at once. */
const POLL_SLICE = 200;

/** The results in the order the jobs were given. Jobs not finished when the signal fires are reported as such. */
export async function waitForJobs(client: QueueClient, jobs: readonly SubmittedJob[], options: WaitOptions): Promise<BatchResult[]> {
  const byId = new Map(jobs.map((job) => [job.jobId, job]));
  const results = new Map<string, BatchResult>();
  const emit = options.onEvent ?? ((): void => undefined);
  let wake: (() => void) | null = null;

  const settle = async (jobId: string): Promise<JobStatus | null> => {
    const submitted = byId.get(jobId);
    if (submitted === undefined || results.has(jobId)) return null;
    const { job, status } = await readJob(client, jobId);
    if (job !== undefined && !isFinished(status)) return status;
    if (results.has(jobId)) return status;
    const result = jobBatchResult(submitted, job, status);
    results.set(jobId, result);
    emit({ type: 'job-end', job: submitted, result, worker: job?.processedBy ?? null, done: results.size, total: byId.size });
    if (results.size === byId.size) wake?.();
    return status;
  };
  const onFinished = ({ jobId }: { jobId: string }): void => {
    settle(jobId).catch(() => undefined);
  };
  const onActive = ({ jobId }: { jobId: string }): void => {
    const submitted = byId.get(jobId);
    if (submitted !== undefined && !results.has(jobId)) emit({ type: 'job-active', job: submitted });
  };
  const onProgress = ({ jobId, data }: { jobId: string; data: unknown }): void => {
    const submitted = byId.get(jobId);
    const progress = workflowJobProgressSchema.safeParse(data);
    if (submitted !== undefined && progress.success && !results.has(jobId)) emit({ type: 'job-progress', job: submitted, progress: progress.data });
  };
  const events = client.events;
  events?.on('completed', onFinished);
  events?.on('failed', onFinished);
  events?.on('active', onActive);
  events?.on('progress', onProgress);
  try {
    let cursor = 0;
    while (results.size < byId.size && !options.signal.aborted) {
      const pending = jobs.filter((job) => !results.has(job.jobId));
      const slice = pending.slice(cursor % Math.max(1, pending.length), (cursor % Math.max(1, pending.length)) + POLL_SLICE);
      cursor += POLL_SLICE;
      for (const job of slice) await settle(job.jobId);
      if (results.size === byId.size) break;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      await Promise.race([delay(options.pollMs ?? POLL_MS, undefined, { signal: options.signal }).catch(() => undefined), woken]);
      wake = null;
    }
  } finally {
    events?.off('completed', onFinished);
    events?.off('failed', onFinished);
    events?.off('active', onActive);
    events?.off('progress', onProgress);
  }
  // Stopped early: what each unfinished job is doing now, read once.
  for (const job of jobs) {
    if (results.has(job.jobId)) continue;
    const { job: stored, status } = await readJob(client, job.jobId).catch(() => ({ job: undefined, status: 'unknown' as const }));
    results.set(job.jobId, jobBatchResult(job, stored, status));
  }
  return jobs.map((job) => results.get(job.jobId)).filter((r): r is BatchResult => r !== undefined);
}

/**
 * A job's state, then its data: read the other way round, a job that finished in between had the state `completed`
 * and the data of before, without the return value its completion wrote, and was reported as not finished (seen in
 * a fresh-clone CI run: one of 21 jobs). BullMQ writes a finished job's return value and state in one script.
 */
async function readJob(client: QueueClient, jobId: string): Promise<{ job: Job<unknown, WorkflowJobResult> | undefined; status: JobStatus }> {
  const state = await client.queue.getJobState(jobId);
  const job = await client.queue.getJob(jobId);
  return { job, status: job === undefined ? 'unknown' : jobStatusOf(state) };
}
