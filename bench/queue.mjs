// Throughput of a distributed batch: N small workflows through Redis with 1, 2 and 4 worker processes (the built CLI,
// concurrency 1 each), against the in-process batch of the same workflows in the same run (`batch --concurrency`
// = the cores). Every run plans on the producer, uses no cache (each configuration its own queue, so no job is
// recognised as done), and must complete every workflow. Redis: $CS_HELPER_TEST_REDIS_URL, else a redis-server of
// our own on a free loopback port; skipped, with the reason, when neither is there.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const CLI = resolve(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const PROBLEM = 'Analyze this CSV for security threats and export enriched data';

function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

async function redisFor(work) {
  const fromEnv = process.env['CS_HELPER_TEST_REDIS_URL'];
  if (fromEnv) return { url: fromEnv, stop: async () => undefined };
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error !== undefined) return null;
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') break;
    await delay(50);
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    },
  };
}

function run(args, cwd, env) {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => res({ code, stdout, stderr }));
  });
}

function csv(rows, seed) {
  const lines = ['timestamp,src_ip,dst_ip,dst_port,bytes,action'];
  for (let r = 0; r < rows; r += 1) lines.push(`2024-01-0${1 + (r % 9)}T${String(r % 24).padStart(2, '0')}:${String(r % 60).padStart(2, '0')}:00Z,10.0.${(r >> 8) % 250}.${r % 250},203.0.113.${(r + seed) % 200},${[22, 80, 443, 3389][r % 4]},${(r * 7919 + seed) % 100_000},${r % 2 === 0 ? 'allow' : 'deny'}`);
  return `${lines.join('\n')}\n`;
}

function batchSeconds(result, what) {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.slice(-2000)}`);
  const report = JSON.parse(result.stdout);
  if (report.totals.completed !== report.totals.workflows) throw new Error(`${what}: ${report.totals.completed} of ${report.totals.workflows} completed`);
  return report.duration_ms / 1000;
}

export async function queueBench({ workflows = 24, rowsPerWorkflow = 2_000, workerCounts = [1, 2, 4] } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'cs-helper-bench-queue-'));
  const redis = await redisFor(work);
  if (redis === null) {
    rmSync(work, { recursive: true, force: true });
    const reason = 'skipped: no Redis (set CS_HELPER_TEST_REDIS_URL, or install redis-server)';
    return { name: 'queue', skipped: reason, print: () => `## queue\n${reason}` };
  }
  try {
    mkdirSync(join(work, 'shared'));
    const lines = [];
    for (let i = 0; i < workflows; i += 1) {
      writeFileSync(join(work, 'shared', `w${i}.csv`), csv(rowsPerWorkflow, i));
      lines.push(JSON.stringify({ id: `w${i}`, problem: PROBLEM, input_files: [`w${i}.csv`], outputs: ['enriched_data'] }));
    }
    const file = join(work, 'shared', 'problems.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { CS_HELPER_HOME: join(work, 'state') };
    const cores = cpus().length;

    // Two baselines: one workflow at a time (what one worker does, without the queue) and the cores at a time.
    const serial = batchSeconds(await run(['batch', file, '--concurrency', '1', '--no-cache', '--json', '--output-dir', join(work, 'out-serial'), '--log-dir', join(work, 'logs')], work, env), 'in-process batch, 1 at a time');
    const local = batchSeconds(await run(['batch', file, '--concurrency', String(cores), '--no-cache', '--json', '--output-dir', join(work, 'out-local'), '--log-dir', join(work, 'logs')], work, env), 'in-process batch');
    const rows = [
      { mode: 'in-process batch (--concurrency 1)', workers: 0, seconds: serial },
      { mode: `in-process batch (--concurrency ${cores})`, workers: 0, seconds: local },
    ];
    for (const count of workerCounts) {
      const queueName = `bench-${process.pid}-${count}-${Date.now().toString(36)}`;
      const workers = Array.from({ length: count }, (_, i) => {
        const child = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--queue-name', queueName, '--no-cache', '--log-dir', join(work, `logs-w${count}-${i}`)], { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env } });
        let stderr = '';
        child.stderr.on('data', (c) => (stderr += c));
        return { child, ready: () => stderr.includes('ready:') };
      });
      const deadline = Date.now() + 60_000;
      while (!workers.every((w) => w.ready())) {
        if (Date.now() > deadline) throw new Error('workers did not start within 60 s');
        await delay(100);
      }
      try {
        const seconds = batchSeconds(await run(['batch', file, '--queue', redis.url, '--queue-name', queueName, '--wait', '--no-cache', '--json', '--output-dir', join(work, `out-q${count}`), '--log-dir', join(work, 'logs')], work, env), `queue with ${count} workers`);
        rows.push({ mode: 'queue', workers: count, seconds });
      } finally {
        await Promise.all(workers.map((w) => new Promise((r) => {
          w.child.once('exit', r);
          w.child.kill('SIGTERM');
        })));
      }
    }
    const figures = rows.map((r) => ({ ...r, workflowsPerSecond: workflows / r.seconds, ratio: local / r.seconds, ratioSerial: serial / r.seconds }));
    return {
      name: 'queue',
      workflows,
      rowsPerWorkflow,
      cores,
      figures,
      print: () =>
        [
          `## queue: ${workflows} workflows of ${rowsPerWorkflow.toLocaleString('en-US')} rows, ${cores} cores, Redis ${redis.url.replace(/\/\/[^@]*@/, '//[REDACTED]@')}`,
          `| mode | workers | seconds | workflows/s | vs in-process, ${cores} at a time | vs in-process, 1 at a time |`,
          '|---|---|---|---|---|---|',
          ...figures.map((f) => `| ${f.mode} | ${f.workers || '-'} | ${f.seconds.toFixed(2)} | ${f.workflowsPerSecond.toFixed(2)} | ${f.ratio.toFixed(2)}x | ${f.ratioSerial.toFixed(2)}x |`),
        ].join('\n'),
    };
  } finally {
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
