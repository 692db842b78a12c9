// `cs-helper batch FILE --queue URL [--wait]` and `dynamic-workflow ... --queue URL [--wait]` after the batch file is
// read or the plan made: enqueue, then either list the job ids or follow the jobs and print the local batch's table.
import type { BatchFile } from '../cli/batch/batch-file.js';
import { batchJson, batchTotals, printBatch, type BatchSummary } from '../cli/batch/print-batch.js';
import type { BatchResult } from '../cli/batch/run-batch.js';
import type { Printer } from '../cli/output-stream.js';
import type { ComponentRegistry } from '../components/registry.js';
import type { PlanMemory } from '../planner/plan-with-memory.js';
import type { SessionLogger } from '../session/session-logger.js';
import type { PlannedWorkflow } from './plan-batch.js';
import { printQueuedJobs, queuedJson, queueProgress } from './print-queue-progress.js';
import { runBatchOnQueue, runPlannedOnQueue, type QueueBatchOutcome } from './queue-batch.js';
import type { QueueTarget } from './queue-url.js';

export interface QueueCommandOptions {
  readonly target: QueueTarget;
  readonly wait: boolean;
  readonly json: boolean;
  readonly out: Printer;
  readonly session: SessionLogger;
  readonly signal: AbortSignal;
  /** The file the workflows came from (the batch file, or the problem for dynamic-workflow), for the summary. */
  readonly source: string;
  readonly outputDir: string;
  /** The flags that name the queue, repeated in the hints (URL shown redacted). */
  readonly queueFlags: string;
}

export type QueueCommandStatus = 'completed' | 'failed' | 'cancelled' | 'queued';

export async function queueBatchCommand(batch: BatchFile, registry: ComponentRegistry, memory: PlanMemory, options: QueueCommandOptions): Promise<QueueCommandStatus> {
  const workers = new Set<string>();
  options.out.note(`${batch.entries.length} workflows from ${batch.path}, planned here and queued on '${options.target.queueName}' at ${options.target.display}`);
  const started = performance.now();
  const outcome = await runBatchOnQueue(batch.entries, { ...options, registry, memory, baseDir: batch.baseDir, onEvent: queueProgress(options.out, workers) });
  return report(outcome, started, workers, options);
}

export async function queuePlannedCommand(workflows: readonly PlannedWorkflow[], registry: ComponentRegistry, options: QueueCommandOptions): Promise<QueueCommandStatus> {
  const workers = new Set<string>();
  const started = performance.now();
  const outcome = await runPlannedOnQueue(workflows, [], { ...options, registry, onEvent: queueProgress(options.out, workers) });
  return report(outcome, started, workers, options);
}

function report(outcome: QueueBatchOutcome, started: number, workers: ReadonlySet<string>, options: QueueCommandOptions): QueueCommandStatus {
  const { out } = options;
  const localFailures = outcome.results.filter((r) => r.status !== 'completed').length;
  if (!options.wait) {
    if (options.json) out.json({ status: 'queued', queue: options.target.queueName, redis: options.target.display, jobs: queuedJson(outcome.queued), failed: outcome.results.map(resultJson) });
    else {
      out.text();
      printQueuedJobs(outcome.queued, options.queueFlags, out);
      for (const r of outcome.results) out.text(`line ${r.line}${r.id === null ? '' : ` (${r.id})`} not queued: ${r.error?.message ?? r.status}${r.error?.hint === undefined ? '' : `\n  hint: ${r.error.hint}`}`);
    }
    return localFailures > 0 ? 'failed' : 'queued';
  }
  const summary: BatchSummary = {
    file: options.source,
    outputDir: options.outputDir,
    // The summary's "concurrency" here is the number of workers that reported running these jobs.
    concurrency: workers.size,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    sessionLog: options.session.compiledPath,
    results: outcome.results,
  };
  const totals = batchTotals(outcome.results);
  const status: QueueCommandStatus = totals.completed === totals.workflows ? 'completed' : options.signal.aborted ? 'cancelled' : 'failed';
  options.session.logInteraction('answer', `batch on queue ${status}: ${totals.completed} of ${totals.workflows} workflows completed`, 'command_line', { ...totals, workers: [...workers] }, 'batch_summary');
  if (options.json) out.json({ ...batchJson(summary), queue: options.target.queueName, workers: [...workers].sort(), jobs: queuedJson(outcome.submitted) });
  else {
    out.text();
    printBatch(summary, out);
    out.text(`Workers: ${[...workers].sort().join(', ') || 'none reported'}`);
  }
  return status;
}

function resultJson(r: BatchResult): Record<string, unknown> {
  return { line: r.line, id: r.id, status: r.status, error: r.error };
}
