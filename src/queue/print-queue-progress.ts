// What the producer prints while jobs travel: one line per job queued, started, advanced and finished (on stderr), and,
// without --wait, the table of job ids to follow with `cs-helper jobs`.
import Table from 'cli-table3';
import { relative } from 'node:path';
import { count, ms } from '../cli/format.js';
import type { Printer } from '../cli/output-stream.js';
import type { QueueBatchOptions } from './queue-batch.js';
import type { SubmittedJob } from './submit-workflow.js';

type QueueEvent = Parameters<NonNullable<QueueBatchOptions['onEvent']>>[0];

const OUTCOME_WORDS: Readonly<Record<SubmittedJob['outcome'], string>> = { added: 'queued', existing: 'already queued or done', retried: 'failed before: queued again' };

export function queueProgress(out: Printer, workers: Set<string>): (event: QueueEvent) => void {
  return (event) => {
    const where = `line ${event.job.workflow.line}${event.job.workflow.id === null ? '' : ` (${event.job.workflow.id})`}`;
    switch (event.type) {
      case 'job-submitted':
        out.note(`  + ${where}: job ${event.job.jobId} ${OUTCOME_WORDS[event.job.outcome]}`);
        return;
      case 'job-active':
        out.note(`  → ${where} started`);
        return;
      case 'job-progress':
        workers.add(event.progress.worker);
        if (event.progress.phase === 'step') out.note(`  · ${where}: ${event.progress.done}/${event.progress.total} steps on ${event.progress.worker}${event.progress.step === undefined ? '' : ` (${event.progress.step})`}`);
        return;
      case 'job-end': {
        if (event.worker !== null) workers.add(event.worker);
        const r = event.result;
        const mark = r.status === 'completed' ? '✔' : r.status === 'cancelled' ? '■' : '✖';
        const what = r.status === 'completed' ? `${count(r.rowsIn)} rows in, ${r.files.length} file${r.files.length === 1 ? '' : 's'}${r.outputDir === null ? '' : ` in ${relative(process.cwd(), r.outputDir) || '.'}`}` : (r.error?.message ?? r.status);
        out.note(`  ${mark} [${event.done}/${event.total}] ${where} ${r.status}${r.durationMs === 0 ? '' : ` in ${ms(r.durationMs)}`}: ${what}`);
        return;
      }
    }
  };
}

/** Without --wait: which job each line became, and how to follow them. */
export function printQueuedJobs(jobs: readonly SubmittedJob[], queueFlags: string, out: Printer): void {
  const table = new Table({ head: ['line', 'id', 'job', 'submitted'], style: { head: [], border: [], compact: true } });
  for (const job of jobs) table.push([job.workflow.line, job.workflow.id ?? '', job.jobId, OUTCOME_WORDS[job.outcome]]);
  out.text(table.toString());
  out.text(`${jobs.length} jobs in the queue. Follow them with \`cs-helper jobs list ${queueFlags}\` or \`cs-helper jobs status JOB ${queueFlags}\`.`);
}

/** The --json form without --wait. */
export function queuedJson(jobs: readonly SubmittedJob[]): Record<string, unknown>[] {
  return jobs.map((job) => ({ line: job.workflow.line, id: job.workflow.id, job_id: job.jobId, submitted: job.outcome, session_id: job.sessionId, output_dir: job.workflow.outputDir, plan_id: job.workflow.plan.id }));
}
