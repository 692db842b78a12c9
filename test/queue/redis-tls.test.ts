// A Redis that speaks only TLS, as the README describes (tls-port, a certificate from the analysts' own CA): a worker
// and a producer reach it with rediss:// and NODE_EXTRA_CA_CERTS and run a workflow through it; without the CA, the
// command says the certificate was not accepted, in one error line with a hint. Certificates are made by openssl.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { firewallCsv, PROBLEM } from './queue-fixtures.js';
import { freePort, uniqueQueueName } from './test-redis.js';

const missing = [
  ['redis-server', '--version'],
  ['openssl', 'version'],
].flatMap(([tool = '', flag = '']) => (spawnSync(tool, [flag], { stdio: 'ignore' }).error === undefined ? [] : [tool]));

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${result.stderr}`);
}

if (missing.length > 0) {
  describe.skip(`a Redis over TLS (skipped: ${missing.join(' and ')} not installed)`, () => {
    it('needs redis-server and openssl', () => undefined);
  });
} else {
  describe('a Redis over TLS', () => {
    let work: string;
    let server: ChildProcess;
    let url: string;
    const queueName = uniqueQueueName('tls');

    beforeAll(async () => {
      if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
      work = await mkdtemp(join(tmpdir(), 'cs-helper-tls-'));
      const certs = join(work, 'certs');
      await mkdir(certs);
      openssl(certs, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=cs-helper test CA']);
      openssl(certs, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
      await writeFile(join(certs, 'san.cnf'), 'subjectAltName=DNS:localhost\n');
      openssl(certs, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf']);
      const port = await freePort();
      server = spawn(
        'redis-server',
        ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', join(certs, 'server.crt'), '--tls-key-file', join(certs, 'server.key'), '--tls-ca-cert-file', join(certs, 'ca.crt'), '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', work],
        { stdio: 'ignore' },
      );
      url = `rediss://localhost:${port}`;
      await mkdir(join(work, 'shared'));
      await writeFile(join(work, 'shared', 'fw.csv'), firewallCsv(40));
      await writeFile(join(work, 'shared', 'problems.jsonl'), `${JSON.stringify({ id: 'fw', problem: PROBLEM, input_files: ['fw.csv'], outputs: ['enriched_data'] })}\n`);
      // The server is up when a TLS client gets an answer.
      for (let i = 0; i < 100; i += 1) {
        const probe = await runCli(['jobs', 'list', '--queue', url, '--queue-name', queueName], { cwd: work, env: { NODE_EXTRA_CA_CERTS: join(certs, 'ca.crt') } });
        if (probe.code === 0) return;
        await delay(100);
      }
      throw new Error('the TLS redis-server did not answer within 10 s');
    }, 60_000);

    afterAll(async () => {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      await rm(work, { recursive: true, force: true });
    });

    it('says the certificate was not accepted, and how to trust the CA, when the CA is not given', async () => {
      const result = await runCli(['jobs', 'list', '--queue', url, '--queue-name', queueName], { cwd: work });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: cannot reach Redis at rediss:\/\/localhost:\d+: self[- ]signed certificate/m);
      expect(result.stderr).toMatch(/^hint: the server's TLS certificate was not accepted \(SELF_SIGNED_CERT_IN_CHAIN\): .*NODE_EXTRA_CA_CERTS/m);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it('runs a workflow through a worker over rediss://, with the CA given by NODE_EXTRA_CA_CERTS', async () => {
      const env = { NO_COLOR: '1', CS_HELPER_HOME: join(work, 'state'), NODE_EXTRA_CA_CERTS: join(work, 'certs', 'ca.crt') };
      const worker = spawn(process.execPath, [CLI_PATH, 'worker', '--queue', url, '--queue-name', queueName, '--log-dir', join(work, 'logs-worker')], { cwd: work, env: { ...process.env, ...env } });
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      try {
        const batch = await runCli(['batch', join('shared', 'problems.jsonl'), '--queue', url, '--queue-name', queueName, '--wait', '--output-dir', join(work, 'out'), '--log-dir', join(work, 'logs-producer')], { cwd: work, env });
        expect(batch.code, batch.stderr).toBe(0);
        expect(batch.stdout).toContain('1 workflows in');
        const list = await runCli(['jobs', 'list', '--queue', url, '--queue-name', queueName], { cwd: work, env });
        expect(list.code, list.stderr).toBe(0);
        expect(list.stdout).toContain(`on ${url}: 0 waiting, 0 active, 1 completed`);
      } finally {
        worker.kill('SIGTERM');
        await exited;
      }
      expect(existsSync(join(work, 'out', 'fw', 'enriched_data.csv'))).toBe(true);
    }, 90_000);
  });
}
