// A Redis for the queue tests: $CS_HELPER_TEST_REDIS_URL when set (.ci/run starts one), else a redis-server of our
// own on a free loopback port in a temporary folder (stopped after the file), else a reason to skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface TestRedis {
  readonly url: string;
  /** Extra redis-server arguments were honoured: a server of our own (a password test needs one). */
  readonly own: boolean;
  stop(): Promise<void>;
}

export type TestRedisOrSkip = { readonly ok: true; readonly redis: TestRedis } | { readonly ok: false; readonly reason: string };

export async function testRedis(options: { readonly password?: string; readonly own?: boolean } = {}): Promise<TestRedisOrSkip> {
  const fromEnv = process.env['CS_HELPER_TEST_REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '' && options.own !== true && options.password === undefined) {
    return { ok: true, redis: { url: fromEnv, own: false, stop: () => Promise.resolve() } };
  }
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error !== undefined) {
    return { ok: false, reason: 'no Redis for the queue tests: set CS_HELPER_TEST_REDIS_URL or install redis-server (.ci/run does both)' };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cs-helper-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(options.password === undefined ? [] : ['--requirepass', options.password])];
  const server: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const url = `redis://${auth}127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i += 1) {
    if (await answers(url)) return { ok: true, redis: { url, own: true, stop } };
    await delay(50);
  }
  await stop();
  return { ok: false, reason: `redis-server did not answer on port ${port} within 5 s` };
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A loopback port free right now (the server that binds it next may still race another process: tests only). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}

let counter = 0;
/** A queue name no other test run uses: tests share one Redis under .ci/run. */
export function uniqueQueueName(label: string): string {
  counter += 1;
  return `test-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
