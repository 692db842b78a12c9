// The state folder through the built binary: pattern and result caches across commands, --no-cache, `metrics`,
// a folder that cannot be written, and two commands running at once on one state folder.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/state/read-metrics.js';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const cli = CLI_PATH;
const PROBLEM = 'Analyze this CSV for security threats and export enriched data';


let work: string;
let home: string;

async function csHelper(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: work, env: { CS_HELPER_HOME: home, ...env } });
}

async function metrics(): Promise<Metrics> {
  const result = await csHelper(['metrics', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Metrics;
}

/** The printed plan's estimate and the run summary's "(estimated ...)", in ms: the same figure, before and after. */
function estimates(stdout: string): { plan: number; run: number } {
  const plan = /^Workflow plan: .*, estimated (\d+\.\d\d) s/m.exec(stdout);
  const run = /^Run \S+ completed in .* \(estimated (\d+(?:\.\d+)?) (ms|s)\)/m.exec(stdout);
  if (plan === null || run === null) throw new Error(`no estimate in:\n${stdout}`);
  return { plan: Math.round(Number(plan[1]) * 1000), run: Math.round(Number(run[1]) * (run[2] === 's' ? 1000 : 1)) };
}

const workflow = (file: string, out: string, ...extra: string[]): string[] => ['dynamic-workflow', PROBLEM, '-i', file, '-o', 'enriched_data', 'threat_report', '--output-dir', out, ...extra];

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-state-cli-'));
  home = join(work, 'state');
  await copyFile(join(root, 'test', 'fixtures', 'components', 'firewall.csv'), join(work, 'first.csv'));
  await mkdir(join(work, 'other'));
  await copyFile(join(root, 'test', 'fixtures', 'components', 'firewall.csv'), join(work, 'other', 'second.csv'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper with its state folder', () => {
  it('shows empty metrics before anything ran, creating nothing', async () => {
    const empty = await metrics();
    expect(empty.runs.total).toBe(0);
    expect(empty.pattern_cache.hit_rate).toBeNull();
    expect(existsSync(home)).toBe(false);
  });

  it('reuses the pattern of a successful run for a same-shaped file elsewhere, and counts it', async () => {
    const first = await csHelper(workflow('first.csv', 'out1', '--execute'));
    expect(first.code, first.stderr).toBe(0);
    const second = await csHelper([...workflow('other/second.csv', 'out2'), '--json']);
    expect(second.code, second.stderr).toBe(0);
    const plan = JSON.parse(second.stdout) as { from_cache: boolean; nodes: { id: string; params: Record<string, unknown> }[] };
    expect(plan.from_cache).toBe(true);
    expect(plan.nodes.find((n) => n.id === 'import')?.params['paths']).toEqual(['other/second.csv']);
    const m = await metrics();
    expect(m.pattern_cache).toEqual(expect.objectContaining({ hits: 1, misses: 1, entries: 1 }));
    expect(m.plan_generation.cached.count).toBe(1);
    expect(m.plan_generation.uncached.count).toBe(1);
  });

  it('serves unchanged steps from the result cache on the next run, shown in the progress and counted in the estimate', async () => {
    const cold = await csHelper(workflow('first.csv', 'out3', '--no-cache'));
    expect(cold.code, cold.stderr).toBe(0);
    const again = await csHelper(workflow('first.csv', 'out3', '--execute'));
    expect(again.code, again.stderr).toBe(0);
    // The plan said which steps would come back from the cache, and estimated them at a restore, as the run did.
    expect(again.stdout).toMatch(/estimated \d+\.\d\d s, 5 of 7 steps expected from the result cache/);
    expect(again.stdout).toMatch(/^ {2}import .*~\d+ ms from the result cache \(~\d+ ms to run\)/m);
    const estimate = estimates(again.stdout);
    expect(estimate.run).toBe(estimate.plan);
    const full = /estimated (\d+\.\d\d) s/.exec(cold.stdout);
    expect(estimate.plan).toBeLessThan(Number(full?.[1]) * 1000 * 0.75);
    expect(again.stderr).toMatch(/import .*\(from the result cache\)/);
    expect(again.stderr).toMatch(/enrich .*\(from the result cache\)/);
    const m = await metrics();
    expect(m.result_cache.hits).toBe(5);
    expect(m.runs).toEqual(expect.objectContaining({ total: 2, completed: 2, success_rate: 1 }));
    expect(m.component_usage.find((u) => u.component === 'import.csv')).toEqual(expect.objectContaining({ steps: 2, completed: 2, from_cache: 1 }));
    expect(m.estimates.map((e) => e.component)).toContain('analysis.patterns');
  });

  it('bypasses both caches with --no-cache', async () => {
    const before = await metrics();
    const result = await csHelper(workflow('first.csv', 'out4', '--execute', '--no-cache'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('from the result cache');
    // The full estimate: nothing is expected from a cache that is not used.
    expect(result.stdout).not.toContain('expected from the result cache');
    const estimate = estimates(result.stdout);
    expect(estimate.run).toBe(estimate.plan);
    const after = await metrics();
    expect(after.pattern_cache.hits + after.pattern_cache.misses).toBe(before.pattern_cache.hits + before.pattern_cache.misses);
    expect(after.result_cache.hits + after.result_cache.misses).toBe(before.result_cache.hits + before.result_cache.misses);
    expect(after.plan_generation.uncached.count).toBe(before.plan_generation.uncached.count + 1);
    expect(after.runs.total).toBe(before.runs.total + 1);
    // The plan made no lookup: it is set apart, so the hits and misses still add up to the plans that looked.
    expect(after.plan_generation.without_lookup.count).toBe(before.plan_generation.without_lookup.count + 1);
    expect(after.pattern_cache.hits + after.pattern_cache.misses).toBe(after.plan_generation.all.count - after.plan_generation.without_lookup.count);
  });

  it('refuses a state folder that cannot be written before any work starts', async () => {
    const blocker = join(work, 'not-a-folder');
    await writeFile(blocker, 'x');
    const result = await csHelper(workflow('first.csv', 'never', '--execute'), { CS_HELPER_HOME: join(blocker, 'state') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: cannot use the state folder ${join(blocker, 'state')}`);
    expect(result.stderr).toContain('hint: set CS_HELPER_HOME');
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  it('lets two commands plan and run at the same time on one state folder', async () => {
    const before = await metrics();
    const [a, b] = await Promise.all([csHelper(workflow('first.csv', 'par-a', '--execute')), csHelper(workflow('other/second.csv', 'par-b', '--execute'))]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const after = await metrics();
    expect(after.runs.total).toBe(before.runs.total + 2);
    expect(after.pattern_cache.hits + after.pattern_cache.misses).toBe(before.pattern_cache.hits + before.pattern_cache.misses + 2);
  });
});
