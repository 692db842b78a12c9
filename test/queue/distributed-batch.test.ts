// The distributed batch for real: Redis, two worker processes of the built CLI and a producer (`batch --queue --wait`)
// run 21 workflows (20 small ones and one of 200,000 rows); the worker that takes the big one is killed with SIGKILL
// once it has finished and cached its import. Every workflow must finish exactly once with the right outputs, and the
// killed job must be taken over by the other worker, which restores the finished steps from the shared result cache.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledSessionSchema } from '../../src/session/compiled-session.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { firewallCsv, PROBLEM, until } from './queue-fixtures.js';
import { testRedis, uniqueQueueName, type TestRedis } from './test-redis.js';

const found = await testRedis();
const SMALL = 20;
const BIG_ROWS = 200_000;
const smallRows = (i: number): number => 40 + i * 3;

interface Spawned {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function start(args: readonly string[], cwd: string, env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  const spawned: Spawned = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => {
      child.once('exit', (code) => {
        resolve(code);
      });
    }),
  };
  child.stdout.on('data', (chunk: Buffer) => (spawned.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (spawned.stderr += chunk.toString()));
  return spawned;
}

async function dataLines(path: string): Promise<number> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((line) => line !== '').length - 1;
}

if (!found.ok) {
  describe.skip(`distributed batch (skipped: ${found.reason})`, () => {
    it('needs Redis', () => undefined);
  });
} else {
  const redis: TestRedis = found.redis;

  describe('batch --queue with two workers, one killed mid-job', () => {
    const queueName = uniqueQueueName('batch');
    let work: string;
    let queue: Queue;
    const workers: Spawned[] = [];
    let producer: Spawned;
    let producerCode: number | null;
    let report: { status: string; totals: Record<string, number>; results: { line: number; id: string; status: string; output_dir: string; files: { path: string; rows: number | null }[] }[]; jobs: { line: number; id: string; job_id: string; session_id: string }[]; workers: string[] };
    let victim: { jobId: string; killedPid: number };

    const workerArgs = (logDir: string): string[] => ['worker', '--queue', redis.url, '--queue-name', queueName, '--concurrency', '1', '--lock-duration', '6000', '--stalled-interval', '1000', '--max-stalled', '1', '--log-dir', logDir];

    beforeAll(async () => {
      if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
      work = await mkdtemp(join(tmpdir(), 'cs-helper-queue-'));
      await mkdir(join(work, 'shared'), { recursive: true });
      const lines = [{ id: 'big', problem: PROBLEM, input_files: ['big.csv'], outputs: ['enriched_data'] }];
      await writeFile(join(work, 'shared', 'big.csv'), firewallCsv(BIG_ROWS, 7));
      for (let i = 0; i < SMALL; i += 1) {
        await writeFile(join(work, 'shared', `small-${i}.csv`), firewallCsv(smallRows(i), i));
        lines.push({ id: `small-${i}`, problem: PROBLEM, input_files: [`small-${i}.csv`], outputs: ['enriched_data'] });
      }
      await writeFile(join(work, 'shared', 'problems.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const env = { CS_HELPER_HOME: join(work, 'state') };
      queue = new Queue(queueName, { connection: { url: redis.url } });

      for (const name of ['a', 'b']) workers.push(start(workerArgs(join(work, `logs-${name}`)), work, env));
      await until('both workers ready', 30_000, () => (workers.every((w) => w.stderr.includes('ready:')) ? true : null));

      producer = start(['batch', join('shared', 'problems.jsonl'), '--queue', redis.url, '--queue-name', queueName, '--wait', '--json', '--output-dir', join(work, 'out'), '--log-dir', join(work, 'logs-producer')], work, env);

      // The big job, once a worker holds it and its import is in the shared result cache: kill that worker.
      const held = await until('a worker to take the big job', 30_000, async () => {
        const active = await queue.getJobs(['active']);
        const job = active.find((j) => (j.data as { id?: string }).id === 'big');
        return job?.processedBy === undefined || job.id === undefined ? null : { jobId: job.id, pid: Number(job.processedBy.split(':').pop()) };
      });
      const state = new Database(join(work, 'state', 'state.db'), { readonly: true, fileMustExist: true });
      try {
        await until('the big import in the result cache', 30_000, () => {
          const row = state.prepare("SELECT count(*) AS n FROM results WHERE component = 'import.csv' AND json_extract(entry_json, '$.rowsOut') = ?").get(BIG_ROWS) as { n: number };
          return row.n > 0 ? true : null;
        });
      } finally {
        state.close();
      }
      expect(await (await queue.getJob(held.jobId))?.getState()).toBe('active');
      const killed = workers.find((w) => w.child.pid === held.pid);
      if (killed === undefined) throw new Error(`the big job is held by ${held.pid}, which is none of our workers`);
      killed.child.kill('SIGKILL');
      victim = { jobId: held.jobId, killedPid: held.pid };

      producerCode = await producer.exited;
      report = JSON.parse(producer.stdout) as typeof report;
    }, 120_000);

    afterAll(async () => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await rm(work, { recursive: true, force: true });
      await redis.stop();
    });

    it('completes all 21 workflows, and the producer exits 0 with the summary', () => {
      expect(producerCode, producer.stderr).toBe(0);
      expect(report.status).toBe('completed');
      expect(report.totals).toMatchObject({ workflows: SMALL + 1, completed: SMALL + 1, failed: 0, cancelled: 0, rows_in: BIG_ROWS + Array.from({ length: SMALL }, (_, i) => smallRows(i)).reduce((a, b) => a + b, 0) });
      expect(new Set(report.jobs.map((j) => j.job_id)).size).toBe(SMALL + 1);
    });

    it('writes each workflow its own enriched CSV with every input row', async () => {
      for (const result of report.results) {
        const expected = result.id === 'big' ? BIG_ROWS : smallRows(Number(result.id.replace('small-', '')));
        expect(result.output_dir).toBe(join(work, 'out', result.id));
        const file = join(work, 'out', result.id, 'enriched_data.csv');
        expect(result.files.map((f) => f.path)).toEqual([file]);
        expect(await dataLines(file)).toBe(expected);
      }
    });

    it('has the killed job taken over by the other worker, which restores the finished steps from the cache', async () => {
      const job = await queue.getJob(victim.jobId);
      expect(await job?.getState()).toBe('completed');
      const value = job?.returnvalue as { attempt: number; cached_steps: number; steps: number; worker: string };
      expect(value.attempt).toBe(2);
      expect(value.cached_steps).toBeGreaterThanOrEqual(1);
      expect(value.steps).toBe(6);
      expect(value.worker.endsWith(`:${victim.killedPid}`)).toBe(false);
      expect(report.workers).toHaveLength(2);
    });

    it('logs one completed session per job, under the id the job carries, and only the killed attempt is left open', async () => {
      const completions = new Map<string, number>();
      const streams: string[] = [];
      for (const name of ['a', 'b']) {
        const dir = join(work, `logs-${name}`);
        for (const file of await readdir(dir)) {
          if (file.endsWith('.jsonl')) streams.push(file);
          if (!file.endsWith('.json')) continue;
          const doc = compiledSessionSchema.parse(JSON.parse(await readFile(join(dir, file), 'utf8')));
          const jobId = /^job_(wf-[0-9a-f]{32})_\d+$/.exec(doc.session_metadata.session_name)?.[1];
          expect(jobId).toBeDefined();
          if (doc.session_metadata.status !== 'completed' || jobId === undefined) continue;
          completions.set(jobId, (completions.get(jobId) ?? 0) + 1);
          expect(doc.session_metadata.session_id).toBe(report.jobs.find((j) => j.job_id === jobId)?.session_id);
        }
      }
      expect([...completions.keys()].sort()).toEqual(report.jobs.map((j) => j.job_id).sort());
      expect([...completions.values()].every((n) => n === 1)).toBe(true);
      expect(streams).toEqual([expect.stringMatching(new RegExp(`^job_${victim.jobId}_1_.*\\.jsonl$`))]);
    });

    it('does not run a workflow again when the same batch is submitted again', async () => {
      const again = start(['batch', join('shared', 'problems.jsonl'), '--queue', redis.url, '--queue-name', queueName, '--json', '--output-dir', join(work, 'out'), '--log-dir', join(work, 'logs-producer')], work, { CS_HELPER_HOME: join(work, 'state') });
      expect(await again.exited).toBe(0);
      const queued = JSON.parse(again.stdout) as { status: string; jobs: { job_id: string; submitted: string }[] };
      expect(queued.status).toBe('queued');
      expect(queued.jobs.map((j) => j.job_id).sort()).toEqual(report.jobs.map((j) => j.job_id).sort());
      expect(new Set(queued.jobs.map((j) => j.submitted))).toEqual(new Set(['existing']));
      expect(await queue.getJobCounts('waiting', 'active', 'completed', 'failed')).toEqual({ waiting: 0, active: 0, completed: SMALL + 1, failed: 0 });
    });

    it('stops the surviving worker gracefully on SIGTERM', async () => {
      const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null);
      expect(survivor).toBeDefined();
      survivor?.child.kill('SIGTERM');
      expect(await survivor?.exited).toBe(0);
      expect(survivor?.stderr).toMatch(/stopping: no new jobs[\s\S]*stopped/);
    });
  });
}
