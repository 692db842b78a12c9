// `cs-helper batch` on the built binary: four workflows (one naming a missing file) two at a time, then the same with
// broken lines; the statuses, the files in each folder, the exit code, and the batch's one session with a trace per run.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledSessionSchema, type CompiledSession } from '../../src/session/compiled-session.js';
import { CLI, ROOT } from '../helpers/cli-conversation.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';



/** Each batch gets its own state folder: a result cached by another test must not change what this one measures. */
async function csHelper(args: readonly string[], cwd: string, stateHome: string): Promise<CliResult> {
  return runCli(args, { cwd, env: { CS_HELPER_HOME: stateHome } });
}

interface BatchJson {
  status: string;
  concurrency: number;
  totals: { workflows: number; completed: number; failed: number; cancelled: number; rows_in: number; rows_out: number; files: number };
  results: { line: number; id: string | null; status: string; output_dir: string | null; run_id: string | null; rows_in: number; rows_out: number; duration_ms: number; files: { path: string; rows: number | null }[]; error: { code: string; message: string; hint?: string } | null }[];
  session_log: string;
}

const THREAT_DATA = join(ROOT, 'examples', 'threat_data.csv');
const ACCESS_LOGS = join(ROOT, 'examples', 'access_logs.csv');

/** Line 1 reads a file relative to the batch file's folder; line 2 has no id (its folder is its line number). */
const LINES = [
  { id: 'fw', problem: 'Analyze this CSV for security threats and export enriched data', input_files: ['data/firewall.csv'], outputs: ['enriched_data', 'threat_report'] },
  { problem: 'Analyze this CSV for security threats', input_files: [THREAT_DATA], outputs: ['findings.json'] },
  { id: 'missing', problem: 'Process logs for compliance', input_files: ['data/nope.csv'], outputs: ['compliance_report'] },
  { id: 'access', problem: 'Process logs for compliance', input_files: [ACCESS_LOGS], outputs: ['compliance_report'], output_dir: 'compliance' },
];

let work: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-batch-'));
  await mkdir(join(work, 'jobs', 'data'), { recursive: true });
  await copyFile(join(ROOT, 'test', 'fixtures', 'components', 'firewall.csv'), join(work, 'jobs', 'data', 'firewall.csv'));
  await writeFile(join(work, 'jobs', 'problems.jsonl'), `${LINES.map((l) => JSON.stringify(l)).join('\n')}\n`);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function sessionDocument(logDir: string): Promise<CompiledSession> {
  const files = (await readdir(logDir)).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return compiledSessionSchema.parse(JSON.parse(await readFile(join(logDir, files[0] ?? ''), 'utf8')));
}

describe('cs-helper batch --json, four workflows, two at a time', () => {
  const out = (): string => join(work, 'out');
  const logs = (): string => join(work, 'logs');
  let result: CliResult;
  let report: BatchJson;

  beforeAll(async () => {
    // Run from another folder than the batch file's: relative inputs must still be found beside the file.
    result = await csHelper(['batch', join('jobs', 'problems.jsonl'), '--concurrency', '2', '--output-dir', out(), '--log-dir', logs(), '--json'], work, join(work, 'state'));
    report = JSON.parse(result.stdout) as BatchJson;
  });

  it('exits 1 because one workflow failed, with only JSON on stdout', () => {
    expect(result.code).toBe(1);
    expect(report.status).toBe('failed');
    expect(report.concurrency).toBe(2);
    expect(report.totals).toEqual({ workflows: 4, completed: 3, failed: 1, cancelled: 0, rows_in: 24 + 10_000 + 3_000, rows_out: 24 + 10_000 + 3_000, files: 4 });
  });

  it('reports every line in order with its status, rows and measured time', () => {
    expect(report.results.map((r) => [r.line, r.id, r.status])).toEqual([
      [1, 'fw', 'completed'],
      [2, null, 'completed'],
      [3, 'missing', 'failed'],
      [4, 'access', 'completed'],
    ]);
    expect(report.results.map((r) => r.rows_in)).toEqual([24, 10_000, 0, 3_000]);
    for (const r of report.results.filter((x) => x.status === 'completed')) {
      expect(r.duration_ms).toBeGreaterThan(0);
      expect(r.run_id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('names the missing file, relative to the batch file, with a hint', () => {
    const failed = report.results[2];
    expect(failed?.error).toEqual({ code: 'input-file-not-found', message: 'data/nope.csv: no such file', hint: `check the path; relative paths are read from the batch file's folder, ${join(work, 'jobs')}` });
    expect(failed?.run_id).toBeNull();
  });

  it('writes each workflow into its own folder: the id, the line number, or output_dir', async () => {
    expect((await readdir(out())).sort()).toEqual(['2', 'compliance', 'fw']);
    expect((await readdir(join(out(), 'fw'))).sort()).toEqual(['enriched_data.csv', 'threat_report.html']);
    expect(await readdir(join(out(), '2'))).toEqual(['findings.json']);
    expect(await readdir(join(out(), 'compliance'))).toEqual(['compliance_report.html']);
    const enriched = await readFile(join(out(), 'fw', 'enriched_data.csv'), 'utf8');
    expect(enriched.trimEnd().split('\n')).toHaveLength(25);
    expect(report.results[0]?.files.map((f) => f.path).sort()).toEqual([join(out(), 'fw', 'enriched_data.csv'), join(out(), 'fw', 'threat_report.html')]);
  });

  it('keeps one session for the batch, each workflow a run (trace) in it, never more than two at once', async () => {
    const document = await sessionDocument(logs());
    expect(report.session_log).toBe(join(logs(), (await readdir(logs()))[0] ?? ''));
    expect(document.session_metadata.status).toBe('failed');
    expect(document.performance_metrics.runs).toEqual({ started: 3, completed: 3, failed: 0, cancelled: 0 });
    const runs = document.workflow_executions.filter((e) => e.step_name === 'workflow');
    const traces = new Set(runs.map((e) => e.trace_id));
    expect(traces.size).toBe(3);
    expect(new Set(report.results.flatMap((r) => (r.run_id === null ? [] : [r.run_id])))).toEqual(traces);
    // Runs in flight, event by event (the log is in write order): the limit holds.
    let inFlight = 0;
    let most = 0;
    for (const e of runs) {
      inFlight += e.status === 'in_progress' ? 1 : -1;
      most = Math.max(most, inFlight);
    }
    expect(most).toBeLessThanOrEqual(2);
    const batchQuestions = document.agent_interactions.filter((i) => i.type === 'question' && i.context === 'batch');
    expect(batchQuestions.map((q) => q.metadata['line'])).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(document.errors.map((e) => [e.type, e.code])).toEqual([['batch-workflow-failed', 'input-file-not-found']]);
    // The workflows plan with the state folder's memory, as dynamic-workflow does: one pattern-cache decision per plan.
    expect(document.decision_points.filter((d) => d.decision === 'pattern-cache')).toHaveLength(3);
  });
});

describe('cs-helper batch with broken lines, as a table', () => {
  let result: CliResult;

  beforeAll(async () => {
    const lines = [
      JSON.stringify(LINES[0]),
      'not json',
      '',
      JSON.stringify({ id: 'typo', problem: 'Analyze', input_file: ['x.csv'] }),
      JSON.stringify({ id: 'escape', problem: 'Analyze', input_files: ['data/firewall.csv'], output_dir: '../../elsewhere' }),
      JSON.stringify({ ...LINES[0], problem: 'Analyze this CSV again' }),
    ];
    await writeFile(join(work, 'jobs', 'broken.jsonl'), `${lines.join('\r\n')}\r\n`);
    result = await csHelper(['batch', join('jobs', 'broken.jsonl'), '--output-dir', join(work, 'out-broken'), '--log-dir', join(work, 'logs-broken')], work, join(work, 'state-broken'));
  });

  it('runs the good line, reports each bad one as failed with its line number and reason, and exits 1', async () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/│ line │ id\s+│ status\s+│ rows in │ rows out │ time\s+│ files\s+│ error/);
    expect(result.stdout).toMatch(/│ 1\s+│ fw\s+│ completed │ 24\s+│ 24\s+│ [\d.]+ m?s\s+│ (enriched_data\.csv, threat_report\.html|threat_report\.html, enriched_data\.csv)/);
    expect(result.stdout).toContain('line 2: not JSON:');
    expect(result.stdout).toContain('line 4 (typo): input_files: Invalid input: expected array, received undefined; Unrecognized key: "input_file"');
    expect(result.stdout).toContain(`line 5 (escape): output_dir '../../elsewhere' is outside the batch's output folder ${join(work, 'out-broken')}`);
    expect(result.stdout).toContain("line 6 (fw): id 'fw' is already used by line 1");
    expect(result.stdout).toMatch(/5 workflows in [\d.]+ m?s \(concurrency \d\): 1 completed, 4 failed, 0 cancelled/);
    expect(await readdir(join(work, 'out-broken'))).toEqual(['fw']);
  });

  it('refuses a bad --concurrency before doing anything', async () => {
    const bad = await csHelper(['batch', join('jobs', 'problems.jsonl'), '--concurrency', '0', '--log-dir', join(work, 'logs-none')], work, join(work, 'state-none'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("error: --concurrency must be a whole number from 1 to 32, not '0'\nhint: e.g. --concurrency 2\n");
    expect(existsSync(join(work, 'logs-none'))).toBe(false);
  });
});

describe('cs-helper batch, a line naming worksheets', () => {
  it('analyses only the worksheets the line names, as --sheets does', async () => {
    await copyFile(join(ROOT, 'test', 'fixtures', 'planner', 'workbooks', 'soc-handover.xlsx'), join(work, 'jobs', 'data', 'soc-handover.xlsx'));
    const line = { id: 'assets', problem: 'Enrich this asset list', input_files: ['data/soc-handover.xlsx'], outputs: ['enriched_data'], sheets: ['Assets'] };
    await writeFile(join(work, 'jobs', 'sheets.jsonl'), `${JSON.stringify(line)}\n`);
    const run = await csHelper(['batch', join('jobs', 'sheets.jsonl'), '--output-dir', join(work, 'out-sheets'), '--log-dir', join(work, 'logs-sheets'), '--json'], work, join(work, 'state-sheets'));
    expect(run.code).toBe(0);
    const batch = JSON.parse(run.stdout) as BatchJson;
    expect(batch.results[0]?.rows_in).toBe(4);
    const csv = (await readFile(join(work, 'out-sheets', 'assets', 'enriched_data.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]?.split(',').slice(0, 4)).toEqual(['hostname', 'ip', 'owner', 'os']);
    expect(csv).toHaveLength(5);
  });
});
