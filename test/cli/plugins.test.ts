// Plugins through the built CLI: listed with the built-ins, planned for their capability, run; broken ones refused.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const plugins = join(root, 'test', 'fixtures', 'plugins');
let work: string;

async function csHelper(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, { cwd: work, env: { CS_HELPER_HOME: join(work, 'state') } });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-plugins-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('--plugins', () => {
  it('lists a plugin with the built-ins, with its source', async () => {
    const result = await csHelper(['--plugins', join(plugins, 'valid'), 'components', 'list', '--json']);
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as { id: string; source: string }[];
    expect(list.find((c) => c.id === 'processing.port-labeller')?.source).toMatch(/^plugin .*port-labeller\.mjs$/);
    expect(list.find((c) => c.id === 'import.csv')?.source).toBe('built-in');
  });

  it('plans a plugin for the capability it provides, and runs it', async () => {
    const outputDir = join(work, 'out');
    const result = await csHelper(['--plugins', join(plugins, 'valid'), 'dynamic-workflow', 'Apply machine learning to classify this data', '--input-files', join(root, 'examples', 'threat_data.csv'), '--outputs', 'enriched_data', '--output-dir', outputDir, '--execute', '--json', '--log-dir', join(work, 'logs')]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; steps: { component: string }[] };
    expect(summary.status).toBe('completed');
    expect(summary.steps.map((s) => s.component)).toContain('processing.port-labeller');
    const header = (await readFile(join(outputDir, 'enriched_data.csv'), 'utf8')).split('\n')[0] ?? '';
    expect(header.split(',')).toContain('predicted_label');
  });

  it('refuses a plugin that breaks the contract, naming the file and the problem', async () => {
    const result = await csHelper(['--plugins', join(plugins, 'invalid'), 'components', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: plugin no-run\.mjs: export 'broken': run must be a function$/m);
    expect(result.stderr).toMatch(/^hint: /m);
  });

  it('says which package a plugin in a folder of its own lacks, and where to install it', async () => {
    // The work folder is outside the repository: no node_modules above it holds zod, as for a user's own plugin folder.
    const own = join(work, 'my-components');
    await mkdir(own, { recursive: true });
    await copyFile(join(plugins, 'valid', 'port-labeller.mjs'), join(own, 'port-labeller.mjs'));
    const result = await csHelper(['--plugins', own, 'components', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: plugin port-labeller\.mjs: cannot be loaded: it imports packages from its folder .*my-components, and zod is not installed there/m);
    expect(result.stderr).toContain(`hint: install zod 4 beside your plugin: cd ${own} && npm i zod@4`);
  });

  it('refuses a folder that does not exist', async () => {
    const result = await csHelper(['--plugins', join(work, 'nope'), 'components', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no such folder');
  });
});
