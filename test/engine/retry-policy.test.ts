import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, retryPolicySchema } from '../../src/engine/retry-policy.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';

describe('retry policy', () => {
  it('documents its defaults: 3 attempts, 200 ms doubling, at most 2 s', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 2, maximumIntervalMs: 2_000 });
  });

  it('waits longer after each attempt, up to the maximum interval', () => {
    const policy = retryPolicySchema.parse({ maximumAttempts: 10, initialIntervalMs: 100, backoffCoefficient: 3, maximumIntervalMs: 1_000 });
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt))).toEqual([100, 300, 900, 1_000]);
  });

  it('refuses a policy outside its bounds', () => {
    expect(retryPolicySchema.safeParse({ maximumAttempts: 0 }).success).toBe(false);
    expect(retryPolicySchema.safeParse({ backoffCoefficient: 0.5 }).success).toBe(false);
  });

  it('reads retryability from the error, never from its message', () => {
    expect(isRetryable(new CsHelperError('feed-busy', 'locked', { retryable: true }))).toBe(true);
    expect(isRetryable(new CsHelperError('feed-busy', 'temporarily locked, retry later'))).toBe(false);
    expect(isRetryable(new InputFileError('firewall.csv', 'not-found', 'no such file'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('resource busy'), { code: 'EBUSY' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isRetryable(new Error('ETIMEDOUT'))).toBe(false);
  });
});
