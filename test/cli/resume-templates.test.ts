// resume and templates through the built CLI: a run that failed continues from its first unfinished step with its
// finished steps reused; a saved template runs on another file.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const example = join(root, 'examples', 'threat_data.csv');
let work: string;

interface Summary {
  run_id: string;
  status: string;
  steps: { node: string; status: string; summary: string }[];
  files: { path: string }[];
}

async function csHelper(args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--log-dir', join(work, 'logs')], { cwd: work, env: { CS_HELPER_HOME: join(work, 'state') } });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-resume-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper resume', () => {
  it('continues a failed run from its first unfinished step, reusing the finished ones', async () => {
    // The export's file name is taken by a folder: every step but the export succeeds, the export fails. (An output
    // folder that is a file is refused before the run starts.)
    const outputDir = join(work, 'blocked');
    await mkdir(join(outputDir, 'enriched_data.csv'), { recursive: true });
    const first = await csHelper(['dynamic-workflow', 'Analyze this CSV for security threats', '--input-files', example, '--outputs', 'enriched_data', '--output-dir', outputDir, '--execute', '--json']);
    expect(first.code).toBe(1);
    const failed = JSON.parse(first.stdout) as Summary;
    expect(failed.status).toBe('failed');
    expect(failed.steps.find((s) => s.node === 'enrich')?.status).toBe('completed');
    expect(failed.steps.find((s) => s.node === 'export-enriched_data')?.status).toBe('failed');

    const listed = await csHelper(['resume', 'list']);
    expect(listed.stdout).toContain(`${failed.run_id}  failed`);

    await rm(join(outputDir, 'enriched_data.csv'), { recursive: true });
    const resumed = await csHelper(['resume', failed.run_id.slice(0, 13), '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as Summary;
    expect(summary.status).toBe('completed');
    const reused = summary.steps.filter((s) => s.summary.endsWith('(from the result cache)')).map((s) => s.node).sort();
    expect(reused).toEqual(['enrich', 'import', 'ioc-match', 'patterns', 'quality']);
    expect(summary.steps.find((s) => s.node === 'export-enriched_data')?.summary).not.toContain('result cache');
    const rows = (await readFile(join(outputDir, 'enriched_data.csv'), 'utf8')).trim().split('\n');
    expect(rows).toHaveLength(10_001);

    const again = await csHelper(['resume', summary.run_id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: run .* completed; there is nothing to resume$/m);

    // The failed run is done now: listed as resumed by the run that completed it, and not run a second time.
    const after = await csHelper(['resume', 'list']);
    expect(after.stdout).toContain(`${failed.run_id}  resumed  `);
    expect(after.stdout).toContain(`(failed, completed by run ${summary.run_id})`);
    expect(after.stdout).toContain(`${summary.run_id}  completed`);
    const original = await csHelper(['resume', failed.run_id.slice(0, 13)]);
    expect(original.code).toBe(1);
    expect(original.stderr).toContain(`error: run ${failed.run_id} was completed by run ${summary.run_id}, which resumed it; there is nothing to resume`);
    expect(original.stdout).not.toContain('Resuming');

    // Every run id starts with the time: a short prefix names both runs, and the error says so.
    const ambiguous = await csHelper(['resume', failed.run_id.slice(0, 2)]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(new RegExp(`^error: '${failed.run_id.slice(0, 2)}' matches 2 runs in the run journal$`, 'm'));
    expect(ambiguous.stderr).toMatch(/^hint: give more of the id: .+, .+$/m);
  });

  it('says clearly when a run id is unknown', async () => {
    const result = await csHelper(['resume', 'abcdef12']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: no run 'abcdef12' in the run journal$/m);
    expect(result.stderr).not.toContain('--no-cache or before this version');
  });
});

describe('cs-helper templates', () => {
  it('saves a plan by name and runs it on another file of the same kind', async () => {
    const saved = await csHelper(['dynamic-workflow', 'Analyze this CSV for security threats', '--input-files', example, '--outputs', 'enriched_data.json', '--save-template', 'firewall-triage']);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain("Saved as template 'firewall-triage'");
    const list = JSON.parse((await csHelper(['templates', 'list', '--json'])).stdout) as { name: string; problem: string }[];
    expect(list).toEqual([expect.objectContaining({ name: 'firewall-triage', problem: 'Analyze this CSV for security threats' })]);

    const other = join(work, 'monday.csv');
    await copyFile(example, other);
    const outputDir = join(work, 'monday-out');
    const ran = await csHelper(['templates', 'run', 'firewall-triage', '--input-files', other, '--output-dir', outputDir, '--execute', '--json']);
    expect(ran.code).toBe(0);
    const summary = JSON.parse(ran.stdout) as Summary;
    expect(summary.status).toBe('completed');
    expect(summary.files.map((f) => f.path)).toEqual([join(outputDir, 'enriched_data.json')]);
    expect(existsSync(join(outputDir, 'enriched_data.json'))).toBe(true);

    const missing = await csHelper(['templates', 'run', 'nope', '--input-files', other]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: no template named 'nope'$/m);
    expect(missing.stderr).toMatch(/^hint: templates: firewall-triage$/m);

    // Saving over the name says which template it replaced, and the replaced one can be deleted.
    const again = await csHelper(['dynamic-workflow', 'Process logs for compliance', '--input-files', example, '--outputs', 'compliance_report', '--save-template', 'firewall-triage']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Replaced template 'firewall-triage' (was: Analyze this CSV for security threats)");
    expect((await csHelper(['templates', 'delete', 'firewall-triage'])).code).toBe(0);
    expect(JSON.parse((await csHelper(['templates', 'list', '--json'])).stdout)).toEqual([]);
  });
});
