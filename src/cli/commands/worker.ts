// `cs-helper worker --queue redis://HOST:PORT [--concurrency N]`: takes workflow jobs from the queue and runs them with
// the same engine and the state folder's result cache, each job logged as its own session. Ctrl-C or SIGTERM stops
// taking jobs and lets the running ones finish; a second one stops at once (the jobs are then picked up elsewhere).
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../model/errors/usage-error.js';
import { DEFAULT_QUEUE_NAME, QUEUE_URL_ENV, queueTargetFrom, redactQueueUrl } from '../../queue/queue-url.js';
import { DEFAULT_WORKER_TIMING, type WorkerTiming } from '../../queue/worker-timing.js';
import type { JobEvent } from '../../queue/run-workflow-job.js';
import { ms } from '../format.js';
import type { RegistryLoader } from '../registry-loader.js';
import { isDebug, resolveLogDir, rotationLimitsFromEnv, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface WorkerOptions extends GlobalOptions {
  readonly queue?: string;
  readonly queueName?: string;
  readonly concurrency: string;
  readonly lockDuration?: string;
  readonly stalledInterval?: string;
  readonly maxStalled?: string;
  readonly root?: string[];
  /** False with --no-cache. */
  readonly cache: boolean;
}

const MAX_CONCURRENCY = 32;

export function registerWorker(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('worker')
    .description(COMMAND_SUMMARIES.worker.description)
    .option('--queue <url>', `the queue's Redis: redis://[:PASSWORD@]HOST[:PORT][/DB], rediss:// for TLS (default: $${QUEUE_URL_ENV})`)
    .option('--queue-name <name>', 'the queue within that Redis', DEFAULT_QUEUE_NAME)
    .option('-c, --concurrency <n>', `jobs this worker runs at the same time (1 to ${MAX_CONCURRENCY})`, '1')
    .option('--lock-duration <ms>', `how long a job's lock lasts before another worker may take the job over; renewed at half this while it runs (default ${DEFAULT_WORKER_TIMING.lockDurationMs})`)
    .option('--stalled-interval <ms>', `how often to look for jobs whose worker died (default ${DEFAULT_WORKER_TIMING.stalledIntervalMs})`)
    .option('--max-stalled <n>', `times a job may lose its worker before it is failed (default ${DEFAULT_WORKER_TIMING.maxStalledCount})`)
    .option('--root <dir>', "only run jobs whose files and output folder lie inside this folder (repeat for several); default: any path this user can reach", (dir: string, dirs: string[] | undefined) => [...(dirs ?? []), dir])
    .option('--no-cache', "run every step, without the result cache of $CS_HELPER_HOME (a job taken over after a worker died then starts over)")
    .addHelpText(
      'after',
      `
Jobs come from \`cs-helper batch FILE --queue URL\` or \`cs-helper dynamic-workflow ... --queue URL\` on any machine.
Every worker must read the jobs' input files and write their output folders at the paths the producer gave: put
them in a folder all machines mount at the same path. Workers that share $CS_HELPER_HOME also share the result cache,
so a job taken over after its worker died restores the steps that had finished. Each job is logged as its own
session in --log-dir (session name job_<job id>_<attempt>, session id the job's).

Examples:
  $ export ${QUEUE_URL_ENV}='rediss://:PASSWORD@queue.example.org:6380'
  $ cs-helper worker --concurrency 2
  $ cs-helper worker --queue redis://127.0.0.1:6379 --queue-name soc-batches`,
    )
    .action(async (options: WorkerOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const target = queueTargetFrom(options.queue, options.queueName, true);
      if (target === null) return;
      const concurrency = wholeNumber(options.concurrency, '--concurrency', 1, MAX_CONCURRENCY);
      const timing: WorkerTiming = {
        lockDurationMs: options.lockDuration === undefined ? DEFAULT_WORKER_TIMING.lockDurationMs : wholeNumber(options.lockDuration, '--lock-duration', 1_000, 24 * 3_600_000),
        stalledIntervalMs: options.stalledInterval === undefined ? DEFAULT_WORKER_TIMING.stalledIntervalMs : wholeNumber(options.stalledInterval, '--stalled-interval', 500, 3_600_000),
        maxStalledCount: options.maxStalled === undefined ? DEFAULT_WORKER_TIMING.maxStalledCount : wholeNumber(options.maxStalled, '--max-stalled', 0, 100),
      };
      const registry = await loadRegistry();
      // Loaded here, as in the other commands: the state database is a native module.
      const { openCliState } = await import('../open-state.js');
      const { connectRedis } = await import('../../queue/redis-connection.js');
      const { startWorkflowWorker } = await import('../../queue/workflow-worker.js');
      const roots = options.root === undefined ? undefined : await (await import('../../mcp/path-roots.js')).PathRoots.open(options.root);
      const memory = await openCliState({ noCache: !options.cache });
      let redis;
      try {
        redis = await connectRedis(target);
      } catch (error) {
        memory.close();
        throw error;
      }
      const logDir = resolveLogDir(global);
      // As every command does at its start (session-options.ts), with the same limits: old sessions compressed, the oldest
      // beyond the limit removed.
      const { rotateSessionLogs } = await import('../../session/rotate-sessions.js');
      await rotateSessionLogs(logDir, rotationLimitsFromEnv()).catch(() => undefined);
      const name = `${hostname()}:${process.pid}`;
      const worker = startWorkflowWorker({
        target,
        concurrency,
        timing,
        registry,
        memory: { ...(memory.resultCache === undefined ? {} : { resultCache: memory.resultCache }), estimates: memory.estimates },
        queueName: target.queueName,
        redis,
        logDir,
        debug: isDebug(global),
        worker: name,
        argv: process.argv.slice(2).map(redactQueueUrl),
        onJob: printJob,
        ...(roots === undefined ? {} : { roots }),
      });
      worker.on('error', (error) => {
        process.stderr.write(`worker: ${redactQueueUrl(error.message)}\n`);
      });
      worker.on('stalled', (jobId) => {
        process.stderr.write(`  ↺ job ${jobId} lost its worker; it is back in the queue\n`);
      });
      const closed = new Promise<void>((resolve) => {
        worker.on('closed', () => {
          resolve();
        });
      });
      let stops = 0;
      const stop = (): void => {
        stops += 1;
        if (stops === 1) {
          process.stderr.write('stopping: no new jobs; waiting for the running ones to finish (press Ctrl-C again to stop at once)\n');
          worker.close().catch(() => undefined);
          return;
        }
        process.stderr.write('stopping at once: the running jobs will be taken over by another worker once their locks expire\n');
        worker
          .close(true)
          .catch(() => undefined)
          .finally(() => process.exit(130));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await worker.waitUntilReady();
      process.stderr.write(`worker ${name} ready: queue '${target.queueName}' on ${target.display}, ${concurrency} at a time, result cache ${memory.resultCache === undefined ? 'off' : 'on'}, session logs in ${logDir}, ${roots === undefined ? 'any path (no --root)' : `paths inside ${roots.roots.join(', ')}`}\n`);
      try {
        await closed;
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
        memory.close();
        redis.disconnect();
        process.stderr.write(`worker ${name} stopped\n`);
      }
    });
}

function printJob(event: JobEvent): void {
  if (event.type === 'job-start') {
    process.stderr.write(`  → job ${event.jobId} (line ${event.line}${event.id === null ? '' : `, ${event.id}`}), attempt ${event.attempt}\n`);
    return;
  }
  const mark = event.status === 'completed' ? '✔' : event.status === 'cancelled' ? '■' : '✖';
  const cached = event.cachedSteps > 0 ? `, ${event.cachedSteps} steps from the result cache` : '';
  process.stderr.write(`  ${mark} job ${event.jobId} ${event.status} in ${ms(event.durationMs)}${cached}${event.message === null ? '' : `: ${event.message}`}\n`);
}

function wholeNumber(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}, not '${text}'`, `e.g. ${option} ${Math.max(min, 1)}`);
  return value;
}
