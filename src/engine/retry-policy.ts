// Retry as plain, validated data (after Temporal's RetryPolicy): whether to retry is a property of the error, never of its text.
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';

export const retryPolicySchema = z.object({
  maximumAttempts: z.number().int().min(1).max(10).default(3),
  initialIntervalMs: z.number().int().min(0).max(60_000).default(200),
  backoffCoefficient: z.number().min(1).max(10).default(2),
  maximumIntervalMs: z.number().int().min(0).max(300_000).default(2_000),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});

/** Errors raised on purpose say whether they are transient; unknown errors from the OS are transient only for I/O busy codes. */
export function isRetryable(error: unknown): boolean {
  if (isCsHelperError(error)) return error.retryable;
  if (error !== null && typeof error === 'object' && 'code' in error) {
    return ['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ECONNRESET'].includes(String(error.code));
  }
  return false;
}

export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maximumIntervalMs, policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1));
}

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal });
}
