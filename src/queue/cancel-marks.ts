// Cancelling a job that a worker on another machine is running: `jobs cancel` sets a mark in Redis, and the worker
// that holds the job sees it within a second and aborts the run through its AbortSignal. A mark expires after a week.
import type { Redis } from 'ioredis';

const MARK_TTL_SECONDS = 7 * 24 * 3600;
/** How often a worker looks for marks on the jobs it runs: one EXISTS per running job. */
export const CANCEL_POLL_MS = 1_000;

function markKey(queueName: string, jobId: string): string {
  return `cs-helper:${queueName}:cancelled:${jobId}`;
}

export async function markCancelled(redis: Redis, queueName: string, jobId: string, reason: string): Promise<void> {
  await redis.set(markKey(queueName, jobId), reason, 'EX', MARK_TTL_SECONDS);
}

/** The reason given to `jobs cancel`, or null when the job is not marked. */
export async function cancelMark(redis: Redis, queueName: string, jobId: string): Promise<string | null> {
  return redis.get(markKey(queueName, jobId));
}
