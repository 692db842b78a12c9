// Runs the built cs-helper binary on the bundled examples, as a user would, and checks what it wrote.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const cli = CLI_PATH;


async function csHelper(args: readonly string[], cwd: string): Promise<CliResult> {
  return runCli(args, { cwd });
}

interface Injected {
  injected: { row: number; column: string; type: string; value: string }[];
}

let work: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
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
    expect(summary.files.map((f) => f.path).sort()).toEqual([join(outputDir, 'enriched_data.csv'), join(outputDir, 'threat_report.html')]);
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
    // The features of processing.enrich, one set per column of each role (port, hash, domain); the URL group's
    // lexical counts are for phishing and URL classification problems, which this one is not.
    expect(columns).toEqual(expect.arrayContaining(['dst_port_service', 'file_hash_hash_type', 'domain_registered_domain', 'domain_dga_score']));
    expect(columns.filter((c) => c.startsWith('url_'))).toEqual([]);
    expect([rows[0]?.['dst_port_service'], rows[0]?.['domain_registered_domain']]).toEqual(['https', 'gstatic.com']);
    const hashed = rows.filter((r) => /^[0-9a-f]{64}$/i.test(r['file_hash'] ?? ''));
    expect(hashed.length).toBeGreaterThan(0);
    expect(new Set(hashed.map((r) => r['file_hash_hash_type']))).toEqual(new Set(['sha256']));
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
    const report = await readFile(join(outputDir, 'threat_report.html'), 'utf8');
    expect(report).toContain('<section id="summary"><h2>Summary</h2>');
    expect(report).toContain('<section id="top-findings"><h2>Top findings</h2>');
    expect(report).toContain('<section id="indicators"><h2>Indicator hits</h2>');
    expect(report).toContain('<td>abuse.ch/feodotracker</td>');
    expect(report).toMatch(/<td>import<\/td><td>import\.csv<\/td><td>completed<\/td><td><span class="nowrap">\d+ ms<\/span><\/td>/);
  });

  it('leaves one compiled session document with the question, the decisions and every step as a tree', async () => {
    const files = await readdir(join(work, 'logs'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^session_\d{8}_\d{6}_[0-9a-f-]{36}\.json$/);
    interface Doc {
      session_metadata: { status: string; user_agent: string; duration_ms: number };
      performance_metrics: { total_tool_calls: number; total_workflow_steps: number; total_errors: number };
      agent_interactions: { type: string; question?: string }[];
      decision_points: { decision: string; chosen: string }[];
      workflow_executions: { step_name: string; status: string; trace_id?: string; span_id?: string; parent_span_id?: string; operation?: string }[];
      tool_calls: { tool: string; duration_ms: number; operation?: string }[];
      data_operations: { operation_type: string; target: string }[];
    }
    const doc = JSON.parse(await readFile(join(work, 'logs', files[0] ?? ''), 'utf8')) as Doc;
    expect(doc.session_metadata.status).toBe('completed');
    expect(doc.session_metadata.user_agent).toMatch(/^cs-helper\/\d+\.\d+\.\d+/);
    expect(doc.agent_interactions[0]).toMatchObject({ type: 'question', question: 'Analyze this CSV for security threats and export enriched data' });
    expect(doc.decision_points.map((d) => d.decision)).toEqual(expect.arrayContaining(['problem-type', 'component for ioc-matching', 'workflow-plan']));
    expect(doc.performance_metrics).toMatchObject({ total_tool_calls: 7, total_workflow_steps: 7, total_errors: 0 });
    expect(doc.tool_calls.map((t) => t.tool).sort()).toEqual(['analysis.patterns', 'export.csv', 'export.report', 'import.csv', 'intel.ioc-match', 'processing.enrich', 'validation.quality']);
    const run = doc.workflow_executions.find((e) => e.step_name === 'workflow' && e.status === 'completed');
    expect(run?.operation).toBe('invoke_workflow');
    const steps = doc.workflow_executions.filter((e) => e.step_name !== 'workflow' && e.step_name !== 'plan' && e.status === 'completed');
    expect(steps).toHaveLength(7);
    for (const step of steps) {
      expect(step).toMatchObject({ trace_id: run?.trace_id, parent_span_id: run?.span_id, operation: 'execute_tool' });
    }
    expect(doc.data_operations.some((d) => d.operation_type === 'write' && d.target.endsWith('enriched_data.csv'))).toBe(true);
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
    expect(summary.files.map((f) => f.path)).toEqual([join(outputDir, 'compliance_report.html')]);
    const report = await readFile(join(outputDir, 'compliance_report.html'), 'utf8');
    expect(report).toContain('<h1>Compliance report</h1>');
    expect(report).toContain('<section id="quality"><h2>Data quality</h2>');
  });

  it('prints the plan as JSON with --json and no --execute', async () => {
    const result = await csHelper(['dynamic-workflow', 'Apply machine learning to classify this data', '--input-files', join(root, 'examples', 'threat_data.csv'), '--json', '--log-dir', join(work, 'logs3')], work);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { unavailable: { capability: string }[]; nodes: { component: string }[] };
    expect(plan.unavailable.map((u) => u.capability)).not.toContain('ml-classification');
    expect(plan.nodes.map((n) => n.component)).toContain('processing.classify');
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

  it('says which option took the problem when it is written after a list of files or outputs', async () => {
    const data = join(root, 'examples', 'threat_data.csv');
    const afterFiles = await csHelper(['dynamic-workflow', '--input-files', data, 'Analyze this CSV for threats'], work);
    expect(afterFiles.code).toBe(1);
    expect(afterFiles.stderr).toBe(
      "error: missing required argument 'problem'\n(add --help for usage)\n" +
        'hint: --input-files takes every value up to the next option, so it took "Analyze this CSV for threats" too: write the problem right after dynamic-workflow, or end the --input-files list with --\n',
    );
    const afterOutputs = await csHelper(['explain', '-i', data, '-o', 'enriched_data', 'Find threats'], work);
    expect(afterOutputs.stderr).toMatch(/^hint: --outputs takes every value up to the next option, so it took "Find threats" too: write the problem right after explain/m);
    // One file and no problem: nothing was taken, so no hint.
    const noProblem = await csHelper(['dynamic-workflow', '--input-files', data], work);
    expect(noProblem.stderr).toBe("error: missing required argument 'problem'\n(add --help for usage)\n");
    // The list ended with --, as the hint says: the problem is read.
    const ended = await csHelper(['dynamic-workflow', '--input-files', data, '--json', '--log-dir', join(work, 'logs6'), '--', 'Analyze this CSV for threats'], work);
    expect(ended.code, ended.stderr).toBe(0);
    expect((JSON.parse(ended.stdout) as { profile: { problem: string } }).profile.problem).toBe('Analyze this CSV for threats');
  });

  it('refuses a log folder it cannot write before doing any work', async () => {
    const outputDir = join(work, 'nolog');
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV for threats', '--input-files', join(root, 'examples', 'threat_data.csv'), '--output-dir', outputDir, '--execute', '--log-dir', '/dev/null/logs'], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot write the session log in \/dev\/null\/logs/m);
    expect(result.stderr).toMatch(/^hint: choose another folder with --log-dir or CS_HELPER_LOG_DIR$/m);
    expect(existsSync(outputDir)).toBe(false);
  });

  it('refuses an output it cannot produce, saying so', async () => {
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV', '--input-files', join(root, 'examples', 'threat_data.csv'), '--outputs', 'model', '--log-dir', join(work, 'logs4')], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("output 'model' needs a saved ML model (processing.classify)");
  });

  it('sets a ragged CSV row aside and names its line, keeping the rest', async () => {
    const outputDir = join(work, 'ragged');
    const result = await csHelper(['dynamic-workflow', 'Analyze this CSV for threats', '--input-files', join(root, 'test', 'fixtures', 'cli', 'ragged.csv'), '--output-dir', outputDir, '--execute', '--log-dir', join(work, 'logs4')], work);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 ragged rows set aside (line 3)');
    const enriched = readFileSync(join(outputDir, 'enriched_data.csv'), 'utf8').trim().split('\n');
    expect(enriched).toHaveLength(3);
    expect(enriched.slice(1).map((line) => line.split(',')[1])).toEqual(['10.0.0.1', '10.0.0.3']);
  });
});
