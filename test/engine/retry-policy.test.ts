import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, retryPolicySchema } from '../../src/engine/retry-policy.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';

describe('retry policy', () => {
  it('documents its defaults: 3 attempts, 200 ms doubling, at most 2 s, 20% jitter', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maximum_attempts: 3, initial_interval_ms: 200, backoff_coefficient: 2, maximum_interval_ms: 2_000, jitter: 0.2, non_retryable_codes: [] });
  });

  it('waits longer after each attempt, up to the maximum interval', () => {
    const policy = retryPolicySchema.parse({ maximum_attempts: 10, initial_interval_ms: 100, backoff_coefficient: 3, maximum_interval_ms: 1_000, jitter: 0 });
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt))).toEqual([100, 300, 900, 1_000]);
  });

  it('spreads delays by the jitter, within its bounds', () => {
    const policy = retryPolicySchema.parse({ initial_interval_ms: 1_000, jitter: 0.5 });
    expect(retryDelayMs(policy, 1, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, () => 0.5)).toBe(1_000);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(1_500);
  });

  it('refuses a policy outside its bounds', () => {
    expect(retryPolicySchema.safeParse({ maximum_attempts: 0 }).success).toBe(false);
    expect(retryPolicySchema.safeParse({ backoff_coefficient: 0.5 }).success).toBe(false);
    expect(retryPolicySchema.safeParse({ jitter: 2 }).success).toBe(false);
  });

  it('reads retryability from the error and the policy\'s codes, never from the message', () => {
    expect(isRetryable(new CsHelperError('feed-busy', 'locked', { retryable: true }))).toBe(true);
    expect(isRetryable(new CsHelperError('feed-busy', 'locked', { retryable: true }), retryPolicySchema.parse({ non_retryable_codes: ['feed-busy'] }))).toBe(false);
    expect(isRetryable(new CsHelperError('feed-busy', 'temporarily locked, retry later'))).toBe(false);
    expect(isRetryable(new InputFileError('firewall.csv', 'not-found', 'no such file'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('resource busy'), { code: 'EBUSY' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isRetryable(new Error('ETIMEDOUT'))).toBe(false);
  });
});
