// A Redis with a password (requirepass), as the README recommends: the commands connect with the password in the URL,
// a wrong one is one error line with a hint, and the password appears in no output and in no session log.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { firewallCsv, PROBLEM } from './queue-fixtures.js';
import { testRedis, uniqueQueueName, type TestRedis } from './test-redis.js';

const PASSWORD = 'pw-9f3kq2-secret';
const found = await testRedis({ password: PASSWORD });

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

if (!found.ok) {
  describe.skip(`a Redis with a password (skipped: ${found.reason})`, () => {
    it('needs redis-server', () => undefined);
  });
} else {
  const redis: TestRedis = found.redis;

  describe('a Redis with a password', () => {
    let work: string;
    const url = redis.url;
    const shown = url.replace(PASSWORD, '[REDACTED]');
    const queueName = uniqueQueueName('auth');

    beforeAll(async () => {
      if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
      work = await mkdtemp(join(tmpdir(), 'cs-helper-auth-'));
      await mkdir(join(work, 'shared'));
      await writeFile(join(work, 'shared', 'fw.csv'), firewallCsv(30));
      await writeFile(join(work, 'shared', 'problems.jsonl'), `${JSON.stringify({ id: 'fw', problem: PROBLEM, input_files: ['fw.csv'], outputs: ['enriched_data'] })}\n`);
    });

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
      await redis.stop();
    });

    it('refuses a wrong password with one error line, the URL redacted', async () => {
      const wrong = url.replace(PASSWORD, 'not-the-password');
      const result = await runCli(['jobs', 'list', '--queue', wrong], { cwd: work });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: Redis at redis:\/\/:\[REDACTED\]@127\.0\.0\.1:\d+ refused the credentials: WRONGPASS/m);
      expect(result.stderr).toMatch(/^hint: check the password in the URL/m);
      expect(result.stderr).not.toContain('not-the-password');
    });

    it('runs a workflow through a worker, and the password is in no output and no log file', async () => {
      const env = { ...process.env, NO_COLOR: '1', CS_HELPER_HOME: join(work, 'state') };
      const worker = spawn(process.execPath, [CLI_PATH, 'worker', '--queue', url, '--queue-name', queueName, '--log-dir', join(work, 'logs-worker')], { cwd: work, env });
      let workerErr = '';
      worker.stderr.on('data', (chunk: Buffer) => (workerErr += chunk.toString()));
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      try {
        const batch = await runCli(['batch', join('shared', 'problems.jsonl'), '--queue', url, '--queue-name', queueName, '--wait', '--output-dir', join(work, 'out'), '--log-dir', join(work, 'logs-producer')], { cwd: work, env: { CS_HELPER_HOME: join(work, 'state') } });
        expect(batch.code, batch.stderr).toBe(0);
        expect(batch.stdout).toContain('1 workflows in');
        expect(batch.stderr).toContain(`queued on '${queueName}' at ${shown}`);
        const list = await runCli(['jobs', 'list', '--queue', url, '--queue-name', queueName], { cwd: work });
        expect(list.code, list.stderr).toBe(0);
        expect(list.stdout).toContain(`on ${shown}: 0 waiting, 0 active, 1 completed`);
        for (const text of [batch.stdout, batch.stderr, list.stdout, list.stderr]) expect(text).not.toContain(PASSWORD);
      } finally {
        worker.kill('SIGTERM');
        await exited;
      }
      expect(workerErr).toContain(`on ${shown}`);
      expect(workerErr).not.toContain(PASSWORD);
      const logs = [...(await filesUnder(join(work, 'logs-worker'))), ...(await filesUnder(join(work, 'logs-producer')))];
      expect(logs.length).toBeGreaterThanOrEqual(2);
      for (const file of logs) {
        const text = await readFile(file, 'utf8');
        expect(text, file).toContain('[REDACTED]');
        expect(text, file).not.toContain(PASSWORD);
      }
    }, 90_000);
  });
}
