// A workflow job as it travels through Redis: the plan JSON, where the outputs go, the base folder for relative inputs,
// the session id the worker logs it under, and the retry policy; and what a worker hands back when the run completes.
// Job data is read back from a shared store, so the worker validates it like any input before anything runs.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { retryPolicySchema } from '../model/retry-policy.js';

export const WORKFLOW_JOB_NAME = 'workflow';
export const WORKFLOW_JOB_FORMAT = 1;
/** A plan is a few kilobytes; anything far past that is not one of ours. */
export const MAX_JOB_DATA_BYTES = 4 * 1024 * 1024;

const absolutePath = z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path: every worker reads it as written');

export const workflowJobSchema = z.strictObject({
  format: z.literal(WORKFLOW_JOB_FORMAT),
  /** Checked against the worker's registry (planner/load-plan.ts) before it runs. */
  plan: z.unknown(),
  base_dir: absolutePath,
  output_dir: absolutePath,
  /** The worker logs the job as a session with this id (a UUID: it becomes part of a file name). */
  session_id: z.uuid(),
  /** Where the job came from: the batch file's line (1 for dynamic-workflow) and id. */
  line: z.number().int().min(1),
  id: z.string().max(64).nullable(),
  problem: z.string().max(10_000),
  retry: retryPolicySchema,
  submitted_at: z.string().max(40),
});
export type WorkflowJobData = z.infer<typeof workflowJobSchema>;

const writtenFileSchema = z.object({ output: z.string(), path: z.string(), format: z.string(), bytes: z.number(), rows: z.number().nullable() });

/** A completed job's return value: the run's figures, and who ran it. */
export const workflowJobResultSchema = z.object({
  run_id: z.string(),
  plan_id: z.string(),
  rows_in: z.number(),
  rows_out: z.number(),
  duration_ms: z.number(),
  steps: z.number(),
  /** Steps restored from the result cache instead of run: after a worker died mid-job, the ones it had finished. */
  cached_steps: z.number(),
  files: z.array(writtenFileSchema),
  session_log: z.string(),
  worker: z.string(),
  /** Which start of the job this was (1 = first; a job picked up again after a worker died is started again). */
  attempt: z.number(),
});
export type WorkflowJobResult = z.infer<typeof workflowJobResultSchema>;

/** What a worker reports while a job runs (Job.updateProgress), and, when it fails, the error with its code and hint. */
export const workflowJobProgressSchema = z.object({
  phase: z.enum(['started', 'step', 'failed']),
  done: z.number(),
  total: z.number(),
  step: z.string().optional(),
  worker: z.string(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type WorkflowJobProgress = z.infer<typeof workflowJobProgressSchema>;
