// `cs-helper run` on edited plan files, and output folders that are files, through the built binary: what a hostile or
// mistaken input gets is one `error:` line naming the file and the field, before anything runs or is written.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli, type CliResult } from '../helpers/run-cli.js';

interface PlanJson {
  base_dir: string;
  output_dir: string;
  nodes: { id: string; component: string; params: Record<string, unknown> }[];
}

let work: string;
let plan: PlanJson;

async function csHelper(args: readonly string[], cwd = join(work, 'case')): Promise<CliResult> {
  return runCli([...args, '--log-dir', join(work, 'logs')], { cwd });
}

/** The exported plan with one change, written to plans/<name>.json. */
async function editedPlan(name: string, edit: (p: PlanJson) => void): Promise<string> {
  const copy = structuredClone(plan);
  edit(copy);
  await writeFile(join(work, 'case', 'plans', `${name}.json`), JSON.stringify(copy, null, 2));
  return join('plans', `${name}.json`);
}

function errorLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('error:') || line.startsWith('hint:'));
}

beforeAll(async () => {
  if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-run-safety-'));
  await mkdir(join(work, 'case', 'plans'), { recursive: true });
  await copyFile(join(REPO_ROOT, 'examples', 'access_logs.csv'), join(work, 'case', 'access_logs.csv'));
  // An absolute --output-dir inside the planning folder: the plan stores it relative, so `run` finds it again.
  const exported = await csHelper(['dynamic-workflow', 'Process logs for compliance', '--input-files', 'access_logs.csv', '--outputs', 'compliance_report', '--output-dir', join(work, 'case', 'out'), '--export', 'plans/p.json']);
  expect(exported.code, exported.stderr).toBe(0);
  plan = JSON.parse(await readFile(join(work, 'case', 'plans', 'p.json'), 'utf8')) as PlanJson;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper run, where a plan writes', () => {
  it('exports the output folder relative to the planning folder, and runs the plan unchanged into it', async () => {
    expect(plan.output_dir).toBe('out');
    const ran = await csHelper(['run', 'plans/p.json', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    expect((JSON.parse(ran.stdout) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual([join(work, 'case', 'out', 'compliance_report.html')]);
  });

  it.each([
    { label: 'climbing out', name: 'escape-relative', target: (): string => '../escape', says: "output_dir '../escape' leaves the folder the plan is run from" },
    { label: 'absolute', name: 'escape-absolute', target: (): string => join(work, 'escape'), says: 'is an absolute path' },
  ])('refuses an output_dir $label before running, naming the plan file and the field, and writes nothing', async ({ name, target, says }) => {
    const file = await editedPlan(name, (p) => {
      p.output_dir = target();
    });
    const result = await csHelper(['run', file]);
    expect(result.code).toBe(1);
    const [error, hint] = errorLines(result);
    expect(error).toContain(`error: ${file}: output_dir '${target()}'`);
    expect(error).toContain(says);
    expect(hint).toContain(`cs-helper run ${file} --output-dir DIR`);
    expect(result.stdout).not.toContain('Stage 1');
    expect(existsSync(join(work, 'escape'))).toBe(false);
  });

  it('writes anywhere the command line says with --output-dir', async () => {
    const file = await editedPlan('escape-chosen', (p) => {
      p.output_dir = '../escape';
    });
    const ran = await csHelper(['run', file, '--output-dir', join(work, 'chosen'), '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(existsSync(join(work, 'chosen', 'compliance_report.html'))).toBe(true);
  });

  it('reads absolute input paths as exported, and refuses them outside --root', async () => {
    const file = await editedPlan('absolute-input', (p) => {
      const importer = p.nodes.find((n) => n.component === 'import.csv');
      if (importer !== undefined) importer.params['paths'] = [join(REPO_ROOT, 'examples', 'access_logs.csv')];
    });
    expect((await csHelper(['run', file, '--output-dir', 'abs-in'])).code).toBe(0);
    const confined = await csHelper(['run', file, '--output-dir', 'abs-in', '--root', '.']);
    expect(confined.code).toBe(1);
    expect(errorLines(confined)[0]).toContain(`error: ${file}: names ${join(REPO_ROOT, 'examples', 'access_logs.csv')}, outside --root`);
  });
});

describe('cs-helper run, plan validation', () => {
  it('refuses an unknown parameter, naming the plan file, the step and the key, with the parameters the component takes', async () => {
    const file = await editedPlan('topp', (p) => {
      const report = p.nodes.find((n) => n.component === 'export.report');
      if (report !== undefined) report.params['topp'] = 3;
    });
    const result = await csHelper(['run', file]);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      `error: ${file}: step 'export-compliance_report' (export.report): unknown parameter 'topp'`,
      'hint: export.report takes output, file, format, title, top; `cs-helper components list --json` describes each',
    ]);
  });

  it('names the plan file and the step of an unknown component', async () => {
    const file = await editedPlan('evil', (p) => {
      const step = p.nodes[1];
      if (step !== undefined) step.component = 'evil.rm-rf';
    });
    const result = await csHelper(['run', file]);
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toBe(`error: ${file}: step '${plan.nodes[1]?.id ?? ''}': no component 'evil.rm-rf' in the registry`);
  });
});

describe('an output folder that is a file', () => {
  beforeAll(async () => {
    await writeFile(join(work, 'case', 'afile'), 'a file, not a folder\n');
  });

  it.each([
    { command: 'dynamic-workflow --execute', args: ['dynamic-workflow', 'Analyze this CSV for security threats and export enriched data', '--input-files', 'access_logs.csv', '--execute', '--output-dir', 'afile'] },
    { command: 'dynamic-workflow --export', args: ['dynamic-workflow', 'Process logs for compliance', '--input-files', 'access_logs.csv', '--export', '--output-dir', 'afile'] },
    { command: 'run', args: ['run', 'plans/p.json', '--output-dir', 'afile'] },
  ])('is refused by $command before any work, naming it', async ({ args }) => {
    const result = await csHelper(args);
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toBe(`error: --output-dir afile: ${join(work, 'case', 'afile')} is a file, not a folder`);
    expect(result.stderr).not.toContain('EEXIST');
    expect(`${result.stdout}${result.stderr}`).not.toContain('stage 1');
  });

  it('fails that batch line only, by name, and the batch with it', async () => {
    await writeFile(join(work, 'case', 'batch.jsonl'), `${JSON.stringify({ id: 'one', problem: 'Process logs for compliance', input_files: ['access_logs.csv'], outputs: ['compliance_report'], output_dir: 'afile' })}\n`);
    const result = await csHelper(['batch', 'batch.jsonl', '--output-dir', '.', '--json']);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as { results: { status: string; error: { code: string; message: string } | null }[] };
    expect(summary.results[0]?.status).toBe('failed');
    expect(summary.results[0]?.error).toMatchObject({ code: 'output-folder-not-a-folder', message: `output_dir 'afile': ${join(work, 'case', 'afile')} is a file, not a folder` });
    const root = await csHelper(['batch', 'batch.jsonl', '--output-dir', 'afile']);
    expect(errorLines(root)[0]).toBe(`error: --output-dir afile: ${join(work, 'case', 'afile')} is a file, not a folder`);
  });
});
