// The job's retries come from the plan's retry policy (the first `retry` adaptation point's, else the default): BullMQ
// gets the attempts, and the worker's backoff strategy computes each delay with the engine's own retryDelayMs.
import type { MinimalJob } from 'bullmq';
import { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicySchema, type RetryPolicy } from '../engine/retry-policy.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

/** The backoff type named in each job's options; the worker's strategy answers to it. */
export const PLAN_BACKOFF = 'cs-helper-plan';

export function jobRetryPolicy(plan: WorkflowPlan): RetryPolicy {
  return plan.adaptation_points.find((point) => point.action === 'retry' && point.retry !== undefined)?.retry ?? DEFAULT_RETRY_POLICY;
}

export function jobRetryOptions(policy: RetryPolicy): { attempts: number; backoff: { type: string } } {
  return { attempts: policy.maximum_attempts, backoff: { type: PLAN_BACKOFF } };
}

/** BullMQ's backoffStrategy: the delay before the next attempt from the policy the job carries. */
export function planBackoffStrategy(attemptsMade: number, _type?: string, _error?: Error, job?: MinimalJob): number {
  const carried: unknown = job === undefined ? undefined : (job.data as { retry?: unknown } | null)?.retry;
  const parsed = retryPolicySchema.safeParse(carried);
  return retryDelayMs(parsed.success ? parsed.data : DEFAULT_RETRY_POLICY, Math.max(1, attemptsMade));
}
