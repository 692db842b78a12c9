// The BullMQ Worker that takes workflow jobs: N at a time, stalled-job detection on, locks sized for long steps and
// renewed while a job runs, the plan's backoff for retries. A worker that dies (kill -9) stops renewing its locks; once
// a lock expires, the stalled check of any live worker puts the job back in the queue, and its next run restores the
// steps that were finished from the shared result cache.
import { Worker } from 'bullmq';
import { bullConnection } from './redis-connection.js';
import { planBackoffStrategy } from './job-retry.js';
import type { QueueTarget } from './queue-url.js';
import { workflowJobProcessor, type WorkflowJobRunnerOptions } from './run-workflow-job.js';
import type { WorkflowJobResult } from './workflow-job.js';
import type { WorkerTiming } from './worker-timing.js';

export interface WorkflowWorkerOptions extends WorkflowJobRunnerOptions {
  readonly target: QueueTarget;
  readonly concurrency: number;
  readonly timing: WorkerTiming;
}

export function startWorkflowWorker(options: WorkflowWorkerOptions): Worker<unknown, WorkflowJobResult> {
  const { target, timing } = options;
  return new Worker<unknown, WorkflowJobResult>(target.queueName, workflowJobProcessor(options), {
    connection: bullConnection(target, 'worker'),
    name: options.worker,
    concurrency: options.concurrency,
    lockDuration: timing.lockDurationMs,
    stalledInterval: timing.stalledIntervalMs,
    maxStalledCount: timing.maxStalledCount,
    settings: { backoffStrategy: planBackoffStrategy },
  });
}
