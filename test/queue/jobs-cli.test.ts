// The queue's edges on the built CLI: a job whose input a worker cannot read fails at once with the path named and is
// not retried; `jobs list|status|cancel` (a waiting job removed, a running one aborted by its worker); an unreachable
// Redis is one error line with a hint.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';
import { firewallCsv, PROBLEM, until } from './queue-fixtures.js';
import { testRedis, uniqueQueueName, type TestRedis } from './test-redis.js';

const found = await testRedis();

interface QueuedJson {
  status: string;
  jobs: { line: number; id: string; job_id: string }[];
}

interface StatusJson {
  job_id: string;
  state: string;
  attempts_started: number;
  error: { code: string; message: string; hint?: string } | null;
}

describe('an unreachable Redis', () => {
  it('is one error line naming the URL, with a hint, and exit 1', async () => {
    const result = await runCli(['jobs', 'list', '--queue', 'redis://127.0.0.1:1'], { cwd: tmpdir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/m);
    expect(result.stderr).toMatch(/^hint: check that Redis runs/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a URL that is not redis:// or rediss://', async () => {
    const result = await runCli(['worker', '--queue', 'http://user:pw@example.org'], { cwd: tmpdir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: the queue URL 'http://user:[REDACTED]@example.org' is not redis:// or rediss://");
    expect(result.stderr).not.toContain('pw@');
  });
});

if (!found.ok) {
  describe.skip(`jobs on a real queue (skipped: ${found.reason})`, () => {
    it('needs Redis', () => undefined);
  });
} else {
  const redis: TestRedis = found.redis;

  describe('jobs on a real queue', () => {
    let work: string;
    const queues: Queue[] = [];
    const workers: ChildProcess[] = [];
    const env = (): Record<string, string> => ({ CS_HELPER_HOME: join(work, 'state') });
    const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, { cwd: work, env: env() });

    function startWorker(queueName: string, extra: readonly string[] = []): { child: ChildProcess; stderr: () => string } {
      const child = spawn(process.execPath, [CLI_PATH, 'worker', '--queue', redis.url, '--queue-name', queueName, '--log-dir', join(work, 'logs'), ...extra], { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env() } });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      workers.push(child);
      return { child, stderr: () => stderr };
    }

    async function enqueue(queueName: string, lines: readonly object[], name: string): Promise<QueuedJson> {
      await writeFile(join(work, 'shared', name), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const result = await cli(['batch', join('shared', name), '--queue', redis.url, '--queue-name', queueName, '--json', '--output-dir', join(work, 'out', name), '--log-dir', join(work, 'logs')]);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as QueuedJson;
    }

    beforeAll(async () => {
      if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
      work = await mkdtemp(join(tmpdir(), 'cs-helper-jobs-'));
      await mkdir(join(work, 'shared'), { recursive: true });
      await writeFile(join(work, 'shared', 'small.csv'), firewallCsv(50));
      await writeFile(join(work, 'shared', 'big.csv'), firewallCsv(300_000));
    }, 60_000);

    afterAll(async () => {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
      for (const q of queues) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await rm(work, { recursive: true, force: true });
      await redis.stop();
    });

    it('fails a job whose input a worker cannot read at once, naming the path, without retrying it', async () => {
      const queueName = uniqueQueueName('unreadable');
      const queue = new Queue(queueName, { connection: { url: redis.url } });
      queues.push(queue);
      await writeFile(join(work, 'shared', 'gone.csv'), firewallCsv(20));
      const queued = await enqueue(queueName, [{ id: 'gone', problem: PROBLEM, input_files: ['gone.csv'], outputs: ['enriched_data'] }], 'gone.jsonl');
      const jobId = queued.jobs[0]?.job_id ?? '';
      expect(jobId).toMatch(/^wf-[0-9a-f]{32}$/);
      // Planned and queued while the file was there; gone by the time a worker takes the job.
      await rm(join(work, 'shared', 'gone.csv'));
      const worker = startWorker(queueName);
      await until('the job to fail', 30_000, async () => ((await queue.getJobState(jobId)) === 'failed' ? true : null));
      const result = await cli(['jobs', 'status', jobId, '--queue', redis.url, '--queue-name', queueName, '--json']);
      const view = JSON.parse(result.stdout) as StatusJson;
      expect(result.code).toBe(1);
      expect(view.state).toBe('failed');
      expect(view.attempts_started).toBe(1);
      expect(view.error).toEqual({ code: 'input-file-not-found', message: `${join(work, 'shared', 'gone.csv')}: no such file on this worker`, hint: expect.stringContaining('a folder all workers mount at the same path') as unknown });
      expect(worker.stderr()).toContain(`✖ job ${jobId} failed`);
      const text = await cli(['jobs', 'status', jobId, '--queue', redis.url, '--queue-name', queueName]);
      expect(text.stdout).toContain(`job ${jobId}: failed`);
      expect(text.stdout).toContain(`error:      ${join(work, 'shared', 'gone.csv')}: no such file on this worker`);
      worker.child.kill('SIGTERM');
    }, 60_000);

    it('refuses, with --root, a job that would write outside the folders the worker may touch', async () => {
      const queueName = uniqueQueueName('root');
      const queue = new Queue(queueName, { connection: { url: redis.url } });
      queues.push(queue);
      // The input is inside the root, the output folder (work/out/...) is not.
      const queued = await enqueue(queueName, [{ id: 'outside', problem: PROBLEM, input_files: ['small.csv'], outputs: ['enriched_data'] }], 'root.jsonl');
      const jobId = queued.jobs[0]?.job_id ?? '';
      const worker = startWorker(queueName, ['--root', join(work, 'shared')]);
      await until('the job to fail', 30_000, async () => ((await queue.getJobState(jobId)) === 'failed' ? true : null));
      const view = JSON.parse((await cli(['jobs', 'status', jobId, '--queue', redis.url, '--queue-name', queueName, '--json'])).stdout) as StatusJson;
      expect(view.error?.code).toBe('path-outside-roots');
      expect(view.error?.message).toContain(join(work, 'out', 'root.jsonl', 'outside'));
      expect(view.attempts_started).toBe(1);
      expect(worker.stderr()).toContain(`paths inside ${join(work, 'shared')}`);
      expect(existsSync(join(work, 'out', 'root.jsonl', 'outside'))).toBe(false);
      worker.child.kill('SIGTERM');
    }, 60_000);

    it('lists jobs by state and removes a waiting job', async () => {
      // No worker takes from this queue: the job stays waiting.
      const queueName = uniqueQueueName('idle');
      const queue = new Queue(queueName, { connection: { url: redis.url } });
      queues.push(queue);
      const queued = await enqueue(queueName, [{ id: 'small', problem: PROBLEM, input_files: ['small.csv'], outputs: ['enriched_data'] }], 'idle.jsonl');
      const small = queued.jobs[0]?.job_id ?? '';
      // dynamic-workflow --queue: one plan, one job; another output folder makes it another job.
      const single = await cli(['dynamic-workflow', PROBLEM, '--input-files', join('shared', 'small.csv'), '--outputs', 'enriched_data', '--output-dir', join(work, 'out', 'single'), '--queue', redis.url, '--queue-name', queueName, '--json', '--log-dir', join(work, 'logs')]);
      expect(single.code, single.stderr).toBe(0);
      const singleJob = (JSON.parse(single.stdout) as QueuedJson).jobs[0]?.job_id ?? '';
      expect(singleJob).toMatch(/^wf-[0-9a-f]{32}$/);
      expect(singleJob).not.toBe(small);
      const listed = await cli(['jobs', 'list', '--queue', redis.url, '--queue-name', queueName, '--state', 'waiting', '--json']);
      const waiting = (JSON.parse(listed.stdout) as { jobs: { job_id: string; state: string; line: number; id: string | null; output_dir: string }[] }).jobs;
      expect(waiting.sort((a, b) => a.output_dir.localeCompare(b.output_dir))).toEqual([
        expect.objectContaining({ job_id: small, state: 'waiting', line: 1, id: 'small', output_dir: join(work, 'out', 'idle.jsonl', 'small') }),
        expect.objectContaining({ job_id: singleJob, state: 'waiting', line: 1, id: null, output_dir: join(work, 'out', 'single') }),
      ]);
      const none = await cli(['jobs', 'list', '--queue', redis.url, '--queue-name', queueName, '--state', 'failed', '--json']);
      expect((JSON.parse(none.stdout) as { jobs: unknown[] }).jobs).toEqual([]);
      const removed = await cli(['jobs', 'cancel', small, '--queue', redis.url, '--queue-name', queueName]);
      expect(removed.code).toBe(0);
      expect(removed.stdout).toContain(`job ${small} was waiting: removed, it will not run`);
      expect(await queue.getJob(small)).toBeUndefined();
      const gone = await cli(['jobs', 'status', small, '--queue', redis.url, '--queue-name', queueName]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain(`error: no job ${small} in queue '${queueName}'`);
      expect(gone.stderr).toMatch(/^hint: list the jobs with/m);
    }, 60_000);

    it('aborts a running job through its worker, which fails it as cancelled without retrying', async () => {
      const queueName = uniqueQueueName('cancel');
      const queue = new Queue(queueName, { connection: { url: redis.url } });
      queues.push(queue);
      const queued = await enqueue(queueName, [{ id: 'big', problem: PROBLEM, input_files: ['big.csv'], outputs: ['enriched_data'] }], 'cancel.jsonl');
      const big = queued.jobs[0]?.job_id ?? '';
      const worker = startWorker(queueName);
      await until('the big job to run', 30_000, async () => ((await queue.getJobState(big)) === 'active' ? true : null));
      const marked = await cli(['jobs', 'cancel', big, '--queue', redis.url, '--queue-name', queueName, '--json']);
      expect(JSON.parse(marked.stdout)).toEqual({ job_id: big, previous_state: 'active', outcome: 'marked' });
      const ended = await until('the running job to end', 30_000, async () => {
        const state = await queue.getJobState(big);
        return state === 'failed' || state === 'completed' ? state : null;
      });
      expect(ended).toBe('failed');
      const view = JSON.parse((await cli(['jobs', 'status', big, '--queue', redis.url, '--queue-name', queueName, '--json'])).stdout) as StatusJson;
      expect(view.error?.code).toBe('cancelled');
      expect(view.error?.message).toBe('cancelled: cancelled with `cs-helper jobs cancel`');
      expect(view.attempts_started).toBe(1);
      expect(existsSync(join(work, 'out', 'cancel.jsonl', 'big', 'enriched_data.csv'))).toBe(false);
      expect(worker.stderr()).toContain(`■ job ${big} cancelled`);
      const again = await cli(['jobs', 'cancel', big, '--queue', redis.url, '--queue-name', queueName]);
      expect(again.code).toBe(1);
      expect(again.stdout).toContain(`job ${big} is already failed: nothing to cancel`);
      worker.child.kill('SIGTERM');
    }, 90_000);
  });
}
