// `cs-helper jobs status ID | list [--state S] | cancel ID`: reads and steers the workflow jobs of a queue.
// Cancel removes a job that has not started; a running job is marked, and the worker running it aborts the run
// within a second (its steps stop through their AbortSignal) and fails the job as cancelled, without retrying it.
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { Job } from 'bullmq';
import { UsageError } from '../../model/errors/usage-error.js';
import { DEFAULT_QUEUE_NAME, QUEUE_URL_ENV, queueTargetFrom } from '../../queue/queue-url.js';
import type { QueueClient } from '../../queue/queue-client.js';
import { QueueError } from '../../queue/queue-error.js';
import { JOB_ID_PATTERN } from '../../queue/job-id.js';
import { isFinished, jobError, jobStatusOf, type JobStatus } from '../../queue/job-outcome.js';
import { workflowJobProgressSchema, workflowJobResultSchema, workflowJobSchema, type WorkflowJobResult } from '../../queue/workflow-job.js';
import { count, ms } from '../format.js';
import { createPrinter, type Printer } from '../output-stream.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface QueueOptions {
  readonly queue?: string;
  readonly queueName?: string;
  readonly json?: boolean;
}

interface ListOptions extends QueueOptions {
  readonly state?: string;
  readonly limit: string;
}

const LIST_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
type ListState = (typeof LIST_STATES)[number];

const MAX_LIST = 1_000;

export function registerJobs(program: Command): void {
  const jobs = program
    .command('jobs')
    .description(COMMAND_SUMMARIES.jobs.description)
    .addHelpText(
      'after',
      `
Every subcommand takes --queue URL (default: $${QUEUE_URL_ENV}) and --queue-name NAME (default ${DEFAULT_QUEUE_NAME}).
Examples:
  $ cs-helper jobs list --queue redis://127.0.0.1:6379 --state failed
  $ cs-helper jobs status wf-0123456789abcdef0123456789abcdef --queue redis://127.0.0.1:6379
  $ cs-helper jobs cancel wf-0123456789abcdef0123456789abcdef --queue redis://127.0.0.1:6379`,
    );
  const withQueue = (command: Command): Command =>
    command
      .option('--queue <url>', `the queue's Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss:// (default: $${QUEUE_URL_ENV})`)
      .option('--queue-name <name>', 'the queue within that Redis', DEFAULT_QUEUE_NAME)
      .option('--json', 'print JSON on stdout and nothing else there');

  withQueue(jobs.command('status').description("One job: its state, where it came from, who ran it, its outputs or its error.").argument('<id>', 'the job id (wf-...), as `batch --queue` printed it')).action(async (id: string, options: QueueOptions) => {
    checkJobId(id);
    await withClient(options, async (client, out) => {
      const job = await requireJob(client, id);
      const view = await jobView(client, job);
      if (options.json === true) out.json(view);
      else printStatus(view, out);
      if (view.state === 'failed') process.exitCode = 1;
    });
  });

  withQueue(
    jobs
      .command('list')
      .description('The jobs of the queue, newest first.')
      .option('--state <state>', `only jobs in this state: ${LIST_STATES.join(', ')}`)
      .option('--limit <n>', `at most this many (1 to ${MAX_LIST})`, '50'),
  ).action(async (options: ListOptions) => {
    const states = listStates(options.state);
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIST}, not '${options.limit}'`, 'e.g. --limit 100');
    await withClient(options, async (client, out) => {
      const found = await client.queue.getJobs(states, 0, limit - 1, false);
      const views = await Promise.all(found.map((job) => jobView(client, job)));
      const counts = await client.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
      if (options.json === true) {
        out.json({ queue: client.target.queueName, counts, jobs: views });
        return;
      }
      const table = new Table({ head: ['job', 'state', 'line', 'id', 'attempts', 'worker', 'progress', 'finished', 'error'], style: { head: [], border: [], compact: true } });
      for (const v of views) table.push([v.job_id, v.state, v.line ?? '', v.id ?? '', v.attempts_started, v.worker ?? '', v.progress ?? '', v.finished_at ?? '', cut(v.error?.message ?? '', 50)]);
      out.text(table.toString());
      out.text(`Queue '${client.target.queueName}' on ${client.target.display}: ${counts['waiting'] ?? 0} waiting, ${counts['active'] ?? 0} active, ${counts['completed'] ?? 0} completed, ${counts['failed'] ?? 0} failed, ${counts['delayed'] ?? 0} delayed`);
    });
  });

  withQueue(jobs.command('cancel').description('Cancel a job: one not started is removed; a running one is aborted by its worker and fails as cancelled.').argument('<id>', 'the job id (wf-...)')).action(async (id: string, options: QueueOptions) => {
    checkJobId(id);
    await withClient(options, async (client, out) => {
      const { markCancelled } = await import('../../queue/cancel-marks.js');
      const job = await requireJob(client, id);
      const state = jobStatusOf(await job.getState());
      let outcome: string;
      if (state === 'waiting' || state === 'delayed') {
        await job.remove();
        outcome = 'removed';
      } else if (state === 'active') {
        await markCancelled(client.redis, client.target.queueName, id, 'cancelled with `cs-helper jobs cancel`');
        outcome = 'marked';
      } else {
        outcome = `already-${state}`;
      }
      const messages: Record<string, string> = {
        removed: `job ${id} was waiting: removed, it will not run`,
        marked: `job ${id} is running: marked cancelled; its worker aborts the run within a second and the job ends as failed (cancelled), without retries`,
      };
      if (options.json === true) out.json({ job_id: id, previous_state: state, outcome });
      else out.text(messages[outcome] ?? `job ${id} is already ${state}: nothing to cancel`);
      if (outcome.startsWith('already-')) process.exitCode = 1;
    });
  });
}

interface JobView {
  readonly job_id: string;
  readonly state: JobStatus;
  readonly line: number | null;
  readonly id: string | null;
  readonly problem: string | null;
  readonly output_dir: string | null;
  readonly session_id: string | null;
  readonly attempts_started: number;
  readonly attempts_made: number;
  readonly worker: string | null;
  readonly progress: string | null;
  readonly submitted_at: string | null;
  readonly finished_at: string | null;
  readonly result: WorkflowJobResult | null;
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string } | null;
}

async function jobView(client: QueueClient, read: Job): Promise<JobView> {
  const state = jobStatusOf(await read.getState());
  // Finished after it was read: its result or error came with the state, so the job is read again (as waitForJobs
  // reads the state first; reading it after the data showed a job completed with no result).
  const job = isFinished(state) && read.finishedOn === undefined && read.id !== undefined ? ((await client.queue.getJob(read.id)) ?? read) : read;
  const data = workflowJobSchema.safeParse(job.data);
  const progress = workflowJobProgressSchema.safeParse(job.progress);
  const result = state === 'completed' ? workflowJobResultSchema.safeParse(job.returnvalue) : null;
  return {
    job_id: job.id ?? '',
    state,
    line: data.success ? data.data.line : null,
    id: data.success ? data.data.id : null,
    problem: data.success ? data.data.problem : null,
    output_dir: data.success ? data.data.output_dir : null,
    session_id: data.success ? data.data.session_id : null,
    attempts_started: job.attemptsStarted,
    attempts_made: job.attemptsMade,
    worker: job.processedBy ?? null,
    progress: progress.success && progress.data.phase !== 'failed' ? `${progress.data.done}/${progress.data.total}` : null,
    submitted_at: data.success ? data.data.submitted_at : null,
    finished_at: job.finishedOn === undefined ? null : new Date(job.finishedOn).toISOString(),
    result: result?.success === true ? result.data : null,
    error: state === 'failed' ? jobError(job) : null,
  };
}

function printStatus(v: JobView, out: Printer): void {
  out.text(`job ${v.job_id}: ${v.state}`);
  if (v.problem !== null) out.text(`  problem:    ${v.problem}`);
  if (v.line !== null) out.text(`  from:       line ${v.line}${v.id === null ? '' : ` (${v.id})`}, submitted ${v.submitted_at ?? ''}`);
  if (v.output_dir !== null) out.text(`  outputs to: ${v.output_dir}`);
  out.text(`  attempts:   ${v.attempts_started} started, ${v.attempts_made} ended${v.worker === null ? '' : `; last worker ${v.worker}`}`);
  if (v.progress !== null && v.state === 'active') out.text(`  progress:   ${v.progress} steps`);
  if (v.session_id !== null) out.text(`  session:    ${v.session_id}`);
  if (v.result !== null) {
    const r = v.result;
    out.text(`  run:        ${r.run_id}: ${count(r.rows_in)} rows in, ${count(r.rows_out)} out, ${ms(r.duration_ms)}, ${r.cached_steps} of ${r.steps} steps from the result cache`);
    for (const f of r.files) out.text(`  file:       ${f.path}${f.rows === null ? '' : ` (${count(f.rows)} rows)`}`);
    out.text(`  log:        ${r.session_log}`);
  }
  if (v.error !== null) {
    out.text(`  error:      ${v.error.message}`);
    if (v.error.hint !== undefined) out.text(`  hint:       ${v.error.hint}`);
  }
}

async function withClient(options: QueueOptions, work: (client: QueueClient, out: Printer) => Promise<void>): Promise<void> {
  const target = queueTargetFrom(options.queue, options.queueName, true);
  if (target === null) return;
  // Loaded here: BullMQ is needed by these commands only.
  const { openQueueClient } = await import('../../queue/queue-client.js');
  const client = await openQueueClient(target, { events: false });
  try {
    await work(client, createPrinter(options.json === true));
  } finally {
    await client.close();
  }
}

async function requireJob(client: QueueClient, id: string): Promise<Job> {
  const job = await client.queue.getJob(id);
  if (job === undefined) throw new QueueError('no-such-job', `no job ${id} in queue '${client.target.queueName}' on ${client.target.display}`);
  return job;
}

function checkJobId(id: string): void {
  if (!JOB_ID_PATTERN.test(id)) throw new UsageError(`'${id}' is not a workflow job id`, 'job ids look like wf-0123456789abcdef0123456789abcdef; `cs-helper jobs list` shows them');
}

function listStates(state: string | undefined): (ListState | 'prioritized')[] {
  if (state === undefined) return [...LIST_STATES, 'prioritized'];
  const found = LIST_STATES.find((s) => s === state);
  if (found === undefined) throw new UsageError(`--state must be one of ${LIST_STATES.join(', ')}, not '${state}'`, 'e.g. --state failed');
  return found === 'waiting' ? ['waiting', 'prioritized'] : [found];
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
