// Applying a retry policy: whether an error may be retried is a property of the error (and the policy's list of codes),
// never of its message text; delays grow by the backoff coefficient, capped, with jitter.
import { setTimeout as delay } from 'node:timers/promises';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import type { RetryPolicy } from '../model/retry-policy.js';

export { DEFAULT_RETRY_POLICY, retryPolicySchema, type RetryPolicy } from '../model/retry-policy.js';

const TRANSIENT_OS_CODES = new Set(['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ECONNRESET']);

/** Errors raised on purpose say whether they are transient; unknown errors from the OS are transient only for I/O busy codes. */
export function isRetryable(error: unknown, policy?: RetryPolicy): boolean {
  const code = errorCode(error);
  if (code !== null && policy?.non_retryable_codes.includes(code) === true) return false;
  if (isCsHelperError(error)) return error.retryable;
  return code !== null && TRANSIENT_OS_CODES.has(code);
}

export function errorCode(error: unknown): string | null {
  return error !== null && typeof error === 'object' && 'code' in error && (typeof error.code === 'string' || typeof error.code === 'number') ? String(error.code) : null;
}

/** Delay before attempt `attempt + 1`; `random` is injectable so tests are exact. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maximum_interval_ms, policy.initial_interval_ms * policy.backoff_coefficient ** (attempt - 1));
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + 2 * spread * random()));
}

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal });
}
