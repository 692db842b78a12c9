// Commands that never touch data start without DuckDB's native library (the largest single cost of starting), and a
// command that runs a workflow loads it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../helpers/run-cli.js';

const exec = promisify(execFile);
const HOOK = resolve(import.meta.dirname, '..', 'fixtures', 'cli', 'report-duckdb-load.mjs');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-lazy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, ['--import', HOOK, CLI_PATH, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CS_HELPER_HOME: join(dir, 'home') } });
}

describe('the engine is loaded only when needed', () => {
  it('--version, --help and `attack show` start without DuckDB', async () => {
    for (const args of [['--version'], ['--help'], ['attack', 'show', 'T1059.001']]) {
      const { stdout, stderr } = await run(args);
      expect(stdout.length).toBeGreaterThan(0);
      expect(stderr).not.toContain('duckdb-loaded');
    }
  });

  it('a workflow run loads it', async () => {
    const { stderr } = await run(['dynamic-workflow', 'Show statistics for this CSV', '--input-files', join(REPO_ROOT, 'examples', 'threat_data.csv'), '--outputs', 'findings', '--output-dir', join(dir, 'out'), '--log-dir', join(dir, 'logs'), '--execute', '--no-cache']);
    expect(stderr).toContain('duckdb-loaded: @duckdb/node-api');
  });
});
