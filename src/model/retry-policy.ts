// Retry as plain, validated data (after Temporal's RetryPolicy), as it appears in a plan's adaptation points.
import { z } from 'zod';

export const retryPolicySchema = z.object({
  maximum_attempts: z.number().int().min(1).max(10).default(3).describe('Attempts in all, the first included'),
  initial_interval_ms: z.number().int().min(0).max(60_000).default(200),
  backoff_coefficient: z.number().min(1).max(10).default(2),
  maximum_interval_ms: z.number().int().min(0).max(300_000).default(2_000),
  /** Share of each delay that is randomised (0 = none), so retries of parallel steps do not all land at once. */
  jitter: z.number().min(0).max(1).default(0.2),
  /** Error codes never retried, whatever the error says of itself (user mistakes are never retried anyway). */
  non_retryable_codes: z.array(z.string().max(80)).max(50).default([]),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});
