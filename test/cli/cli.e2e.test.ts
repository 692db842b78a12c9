// Runs the built cs-helper binary on the bundled examples, as a user would, and checks what it wrote.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function csHelper(args: readonly string[], cwd: string): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface Injected {
  injected: { row: number; column: string; type: string; value: string }[];
}

let work: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/cli/main.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-e2e-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper dynamic-workflow --execute (Example 1)', () => {
  let result: CliResult;
  let rows: Record<string, string>[];
  let outputDir: string;

  beforeAll(async () => {
    outputDir = join(work, 'example1');
    result = await csHelper(
      [
        'dynamic-workflow',
        'Analyze this CSV for security threats and export enriched data',
        '--input-files', join(root, 'examples', 'threat_data.csv'),
        '--outputs', 'enriched_data', 'threat_report',
        '--output-dir', outputDir,
        '--log-dir', join(work, 'logs'),
        '--execute',
        '--json',
      ],
      work,
    );
    const text = await readFile(join(outputDir, 'enriched_data.csv'), 'utf8');
    rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  });

  it('exits 0 and prints only the run summary as JSON on stdout', () => {
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; rows_in: number; rows_out: number; files: { path: string; rows: number | null }[]; steps: { node: string; status: string; duration_ms: number }[] };
    expect(summary.status).toBe('completed');
    expect(summary.rows_in).toBe(10_000);
    expect(summary.rows_out).toBe(10_000);
    expect(summary.files.map((f) => f.path).sort()).toEqual([join(outputDir, 'enriched_data.csv'), join(outputDir, 'threat_report.md')]);
    expect(summary.steps.map((s) => s.node)).toEqual(expect.arrayContaining(['import', 'quality', 'patterns', 'ioc-match', 'enrich', 'export-enriched_data', 'export-threat_report']));
    for (const step of summary.steps) {
      expect(step.status).toBe('completed');
      expect(step.duration_ms).toBeGreaterThan(0);
    }
    // Progress and the plan go to stderr in --json mode.
    expect(result.stderr).toContain('Stage 2 (parallel)');
  });

  it('keeps every input column and row order, and adds the contract columns', async () => {
    const input = Papa.parse<Record<string, string>>(await readFile(join(root, 'examples', 'threat_data.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    const inputColumns = input.meta.fields ?? [];
    const columns = Object.keys(rows[0] ?? {});
    expect(columns.slice(0, inputColumns.length)).toEqual(inputColumns);
    expect(columns).toEqual(expect.arrayContaining(['threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons', 'src_ip_class', 'dst_ip_class']));
    expect(rows).toHaveLength(input.data.length);
    input.data.forEach((original, i) => {
      expect(rows[i]?.['timestamp']).toBe(original['timestamp']);
      expect(rows[i]?.['src_ip']).toBe(original['src_ip']);
    });
  });

  it('flags every injected real indicator at medium or above, and nothing unexplained above low', async () => {
    const injected = JSON.parse(await readFile(join(root, 'examples', 'threat_data.injected.json'), 'utf8')) as Injected;
    expect(injected.injected.length).toBeGreaterThanOrEqual(40);
    for (const indicator of injected.injected) {
      const row = rows[indicator.row];
      expect((row?.['ioc_matches'] ?? '').split(';')).toContain(`${indicator.type}:${indicator.value.toLowerCase().replace(/\/+$/, '')}`);
      expect(['medium', 'high', 'critical']).toContain(row?.['threat_level']);
    }
    const unexplained = rows.filter((r) => r['ioc_matches'] === '' && r['anomaly_reasons'] === '' && r['threat_level'] !== 'none');
    expect(unexplained).toEqual([]);
    const injectedRows = new Set(injected.injected.map((i) => i.row));
    const otherHits = rows.filter((r, i) => r['ioc_matches'] !== '' && !injectedRows.has(i));
    expect(otherHits).toEqual([]);
  });

  it('writes a report with the summary, the top findings and the plan with real timings', async () => {
    const report = await readFile(join(outputDir, 'threat_report.md'), 'utf8');
    expect(report).toContain('## Summary');
    expect(report).toContain('## Top findings');
    expect(report).toContain('## Indicator hits');
    expect(report).toContain('abuse.ch/feodotracker');
    expect(report).toMatch(/\| import \| import\.csv \| completed \| \d+ ms \|/);
  });

  it('logs the session as JSON lines with the plan decision and every step', async () => {
    const files = await readdir(join(work, 'logs'));
    expect(files).toHaveLength(1);
    const events = (await readFile(join(work, 'logs', files[0] ?? ''), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: string; step_name?: string; status?: string });
    expect(events[0]?.event).toBe('session-start');
    expect(events.at(-1)?.event).toBe('session-end');
    expect(events.some((e) => e.event === 'decision')).toBe(true);
    const completed = events.filter((e) => e.event === 'workflow-execution' && e.status === 'completed').map((e) => e.step_name);
    expect(completed).toEqual(expect.arrayContaining(['import', 'enrich', 'export-enriched_data', 'workflow']));
  });
});

describe('cs-helper dynamic-workflow --export and cs-helper run', () => {
  it('writes the plan without running anything, then runs it unchanged', async () => {
    const outputDir = join(work, 'compliance');
    const planPath = join(work, 'compliance-plan.json');
    const exported = await csHelper(['dynamic-workflow', 'Process logs for compliance', '--input-files', join(root, 'examples', 'access_logs.csv'), '--outputs', 'compliance_report', '--output-dir', outputDir, '--export', planPath, '--log-dir', join(work, 'logs2')], work);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Plan written to`);
    expect(existsSync(outputDir)).toBe(false);
    const plan = JSON.parse(await readFile(planPath, 'utf8')) as { version: number; nodes: { component: string }[]; stages: { mode: string }[] };
    expect(plan.version).toBe(1);
    expect(plan.nodes.map((n) => n.component)).toEqual(['import.csv', 'validation.quality', 'analysis.statistics', 'export.report']);

    const ran = await csHelper(['run', planPath, '--json', '--log-dir', join(work, 'logs2')], work);
    expect(ran.code).toBe(0);
    const summary = JSON.parse(ran.stdout) as { status: string; files: { path: string }[] };
    expect(summary.status).toBe('completed');
    expect(summary.files.map((f) => f.path)).toEqual([join(outputDir, 'compliance_report.md')]);
    const report = await readFile(join(outputDir, 'compliance_report.md'), 'utf8');
    expect(report).toContain('# Compliance report');
    expect(report).toContain('## Data quality');
  });

  it('prints the plan as JSON with --json and no --execute', async () => {
    const result = await csHelper(['dynamic-workflow', 'Apply machine learning to classify this data', '--input-files', join(root, 'examples', 'threat_data.csv'), '--json', '--log-dir', join(work, 'logs3')], work);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { unavailable: { capability: string }[]; nodes: { component: string }[] };
    expect(plan.unavailable.map((u) => u.capability)).toContain('ml-classification');
    expect(plan.nodes.map((n) => n.component)).not.toContain('processing.classify');
  });
});

describe('cs-helper dynamic-workflow --feeds', () => {
  it('flags rows matching an indicator from a feed the user names, beside the bundled one', async () => {
    const feed = join(work, 'my-feed.txt');
    // 142.250.162.160 is ordinary traffic in the example (row 1), in no bundled feed.
    await writeFile(feed, '# our own blocklist\n142.250.162.160\nnot an indicator\n');
    const outputDir = join(work, 'feeds');
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV for security threats', '--input-files', join(root, 'examples', 'threat_data.csv'), '--outputs', 'enriched_data.json', '--feeds', feed, '--output-dir', outputDir, '--execute', '--json', '--log-dir', join(work, 'logs5')], work);
    expect(result.code).toBe(0);
    const rows = JSON.parse(await readFile(join(outputDir, 'enriched_data.json'), 'utf8')) as { dst_ip: string; ioc_matches: string[]; threat_level: string }[];
    const hits = rows.filter((r) => r.dst_ip === '142.250.162.160');
    expect(hits.length).toBeGreaterThan(0);
    for (const row of hits) {
      expect(row.ioc_matches).toContain('ip:142.250.162.160');
      expect(['high', 'critical']).toContain(row.threat_level);
    }
    expect(Array.isArray(rows[0]?.ioc_matches)).toBe(true);
  });
});

describe('cs-helper on user mistakes', () => {
  it('names a missing input file in one line, with a hint and no stack trace', async () => {
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV', '--input-files', 'nope.csv', '--execute', '--log-dir', join(work, 'logs4')], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: nope\.csv: no such file$/m);
    expect(result.stderr).toMatch(/^hint: /m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an output it cannot produce, saying so', async () => {
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV', '--input-files', join(root, 'examples', 'threat_data.csv'), '--outputs', 'navigator_layer', '--log-dir', join(work, 'logs4')], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("output 'navigator_layer' needs an ATT&CK Navigator layer");
  });

  it('names the file and the row of a ragged CSV', async () => {
    const outputDir = join(work, 'ragged');
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV for threats', '--input-files', join(root, 'test', 'fixtures', 'cli', 'ragged.csv'), '--output-dir', outputDir, '--execute', '--log-dir', join(work, 'logs4')], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ragged\.csv: row \d+: expected 4 fields, found 3/);
    expect(existsSync(join(outputDir, 'enriched_data.csv'))).toBe(false);
  });
});
