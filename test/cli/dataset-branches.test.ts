// Several datasets through the built CLI: a workbook whose worksheets have other columns, and two CSV exports of other
// shapes, are each analysed in a branch of their own and written once per dataset; --sheets picks worksheets.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const PLANNER = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const PROBLEM = 'Analyze this workbook for security threats and export enriched data';
let work: string;

interface Summary {
  status: string;
  rows_in: number;
  rows_out: number;
  steps: { node: string; status: string; summary: string }[];
  files: { output: string; path: string; rows: number | null }[];
}

function csHelper(args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--log-dir', join(work, 'logs')], { cwd: work, env: { CS_HELPER_HOME: join(work, 'state') } });
}

async function csvRows(path: string): Promise<{ columns: string[]; rows: Record<string, string>[] }> {
  const parsed = Papa.parse<Record<string, string>>(await readFile(path, 'utf8'), { header: true, skipEmptyLines: true });
  return { columns: parsed.meta.fields ?? [], rows: parsed.data };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-branches-'));
  await mkdir(join(work, 'in'));
  for (const file of ['workbooks/soc-handover.xlsx', 'firewall.csv', 'assets-bom.csv']) await copyFile(join(PLANNER, file), join(work, 'in', file.split('/').pop() ?? file));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('dynamic-workflow on a workbook with worksheets of two shapes', () => {
  it('shows each dataset and its output files before it runs', async () => {
    const result = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--outputs', 'enriched_data', 'threat_report', '--output-dir', 'shown']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      ["Datasets: 2, each analysed in its own branch (steps named <step>-<dataset>)", "  alerts  soc-handover.xlsx, worksheet 'Alerts': ~6 rows, 5 columns", "  assets  soc-handover.xlsx, worksheet 'Assets': ~4 rows, 4 columns"].join('\n'),
    );
    expect(result.stdout).toContain(['Outputs, per dataset:', `  alerts: ${join('shown', 'enriched_data_alerts.csv')}, ${join('shown', 'threat_report_alerts.html')}`, `  assets: ${join('shown', 'enriched_data_assets.csv')}, ${join('shown', 'threat_report_assets.html')}`].join('\n'));
    expect(result.stdout).toMatch(/Stage 1 \(parallel\)\n {2}import-alerts +import\.excel .*\n {2}import-assets +import\.excel /);
  });

  it('runs both branches and writes one file per dataset and output, with that dataset\'s rows and columns', async () => {
    const result = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--outputs', 'enriched_data', 'threat_report', '--output-dir', 'out', '--execute', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.status).toBe('completed');
    expect(summary.rows_in).toBe(10);
    // Rows out are the sum of each branch's final dataset (6 alerts and 4 assets), not the last branch's alone.
    expect(summary.rows_out).toBe(10);
    expect(summary.steps.find((s) => s.node === 'import-alerts')?.summary).toBe("6 rows, 5 columns from 'Alerts'");
    expect(summary.steps.find((s) => s.node === 'import-assets')?.summary).toBe("4 rows, 4 columns from 'Assets'");
    expect(summary.files.map((f) => f.path.slice(work.length + 1)).sort()).toEqual([join('out', 'enriched_data_alerts.csv'), join('out', 'enriched_data_assets.csv'), join('out', 'threat_report_alerts.html'), join('out', 'threat_report_assets.html')]);

    const alerts = await csvRows(join(work, 'out', 'enriched_data_alerts.csv'));
    expect(alerts.columns.slice(0, 5)).toEqual(['time', 'src_ip', 'dst_ip', 'dst_port', 'signature']);
    expect(alerts.columns).toEqual(expect.arrayContaining(['threat_score', 'threat_level', 'ioc_matches']));
    expect(alerts.columns).not.toContain('hostname');
    expect(alerts.rows).toHaveLength(6);
    // 103.82.243.5 is a Feodo Tracker C2 address in the bundled feed: both rows that reach it are hits.
    expect(alerts.rows.filter((r) => r['ioc_matches'] === 'ip:103.82.243.5').map((r) => r['time'])).toEqual(['2026-03-02T08:14:00', '2026-03-02T09:02:00']);

    const assets = await csvRows(join(work, 'out', 'enriched_data_assets.csv'));
    expect(assets.columns.slice(0, 4)).toEqual(['hostname', 'ip', 'owner', 'os']);
    expect(assets.columns).not.toContain('signature');
    expect(assets.rows.map((r) => [r['hostname'], r['ip'], r['owner']])).toEqual([
      ['WS-0142', '10.20.10.24', 'kira.rossi'],
      ['WS-1270', '10.20.12.214', 'paul.meyer'],
      ['WS-0511', '10.20.11.87', 'li.wei'],
      ['SRV-DC01', '10.20.0.25', 'it-ops'],
    ]);
    const report = await readFile(join(work, 'out', 'threat_report_assets.html'), 'utf8');
    expect(report).toContain('<title>Threat report: Assets (soc-handover.xlsx)</title>');
    // Each report tells of its own dataset: its steps and its files, not the other branch's.
    expect(report).toContain('enriched_data_assets.csv');
    expect(report).toContain('quality-assets');
    expect(report).not.toContain('enriched_data_alerts.csv');
    expect(report).not.toContain('quality-alerts');
    const alertsReport = await readFile(join(work, 'out', 'threat_report_alerts.html'), 'utf8');
    expect(alertsReport).toContain('ioc-match-alerts');
    expect(alertsReport).not.toContain('ioc-match-assets');
  });

  it('exports a branched plan that `run` executes unchanged', async () => {
    const exported = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--outputs', 'enriched_data', '--output-dir', 'planned', '--export', 'plan.json']);
    expect(exported.code).toBe(0);
    const plan = JSON.parse(await readFile(join(work, 'plan.json'), 'utf8')) as WorkflowPlan;
    expect(plan.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => n.id)).toEqual(['import-alerts', 'import-assets']);
    expect(plan.profile.files[0]?.sheets?.map((s) => s.name)).toEqual(['Alerts', 'Assets', 'Notes']);
    const ran = await csHelper(['run', 'plan.json', '--output-dir', 'planned', '--json']);
    expect(ran.code).toBe(0);
    expect((JSON.parse(ran.stdout) as Summary).files.map((f) => [f.path.slice(work.length + 1), f.rows]).sort()).toEqual([
      [join('planned', 'enriched_data_alerts.csv'), 6],
      [join('planned', 'enriched_data_assets.csv'), 4],
    ]);
  });

  it('prints a branched plan as JSON, and explains each branch\'s steps', async () => {
    const json = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--outputs', 'enriched_data', '--json']);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as WorkflowPlan;
    expect(plan.stages.map((s) => [s.mode, s.nodes])).toEqual([
      ['parallel', ['import-alerts', 'import-assets']],
      ['parallel', ['quality-alerts', 'patterns-alerts', 'ioc-match-alerts', 'quality-assets', 'patterns-assets', 'ioc-match-assets']],
      ['parallel', ['enrich-alerts', 'enrich-assets']],
      ['parallel', ['export-enriched_data-alerts', 'export-enriched_data-assets']],
    ]);
    const explained = await csHelper(['explain', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--outputs', 'enriched_data']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("  assets: soc-handover.xlsx, worksheet 'Assets': ~4 rows, 4 columns\n");
    expect(explained.stdout).toContain('1. import-assets  import.excel (parallel)');
    expect(explained.stdout).toContain(`   why: import-excel for file:${join('in', 'soc-handover.xlsx')}; dataset 'assets' (worksheet 'Assets')\n`);
  });

  it('refuses to save a branched plan\'s steps as a template for other files', async () => {
    const saved = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--outputs', 'enriched_data', '--save-template', 'handover']);
    expect(saved.code).toBe(0);
    const reused = await csHelper(['templates', 'run', 'handover', '--input-files', join('in', 'firewall.csv')]);
    expect(reused.code).toBe(1);
    expect(reused.stderr).toContain('error: the template was made for 2 datasets (one branch each); a template re-binds the steps of one dataset\nhint: ');
  });

  it('analyses only the worksheet named with --sheets, as one dataset with the usual file names', async () => {
    const result = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--sheets', 'Assets', '--outputs', 'enriched_data', '--output-dir', 'named', '--execute']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Dataset: soc-handover.xlsx, worksheet 'Assets': ~4 rows, 4 columns");
    expect(result.stdout).toContain(`Outputs: ${join('named', 'enriched_data.csv')}\n`);
    const assets = await csvRows(join(work, 'named', 'enriched_data.csv'));
    expect(assets.rows.map((r) => r['hostname'])).toEqual(['WS-0142', 'WS-1270', 'WS-0511', 'SRV-DC01']);
    expect(existsSync(join(work, 'named', 'enriched_data_alerts.csv'))).toBe(false);
  });

  it('refuses a worksheet the workbook does not have in one error line and a hint', async () => {
    const result = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'soc-handover.xlsx'), '--sheets', 'Incidents']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${join('in', 'soc-handover.xlsx')}: has none of the worksheets named by --sheets (Incidents); its worksheets with data: Alerts, Assets, Notes\nhint: name worksheets as their tabs show them, or leave --sheets out to analyse every worksheet\n`);
  });
});

describe('dynamic-workflow on two CSV files of different shapes', () => {
  it('analyses each file in its own branch, named after it', async () => {
    const result = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join('in', 'firewall.csv'), join('in', 'assets-bom.csv'), '--outputs', 'enriched_data', '--output-dir', 'csv', '--execute', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.files.map((f) => [f.path.slice(work.length + 1), f.rows]).sort()).toEqual([
      [join('csv', 'enriched_data_assets_bom.csv'), 3],
      [join('csv', 'enriched_data_firewall.csv'), 20],
    ]);
    const assets = await csvRows(join(work, 'csv', 'enriched_data_assets_bom.csv'));
    expect(assets.columns.slice(0, 3)).toEqual(['hostname', 'ip', 'last_logon']);
    expect(assets.columns).not.toContain('source_file');
  });
});
