// Plans of several datasets: a workbook's worksheets of other shapes, files of other shapes or kinds, each analysed in
// a branch of its own; one dataset keeps the plan it always had.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import type { RunEvent } from '../../src/engine/run-event.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { UsageError } from '../../src/model/errors/usage-error.js';
import { workflowPlanSchema, type PlanNode, type WorkflowPlan } from '../../src/model/workflow-plan.js';
import { profileFile } from '../../src/planner/profile-file.js';
import { planWorkflow, type WorkflowRequest } from '../../src/planner/plan-workflow.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { rejectionOf } from '../helpers/rejection.js';

const PLANNER = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const IMPORT = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const registry = createBuiltInRegistry();
const PROBLEM = 'Analyze this data for security threats and export enriched data';
const HANDOVER = 'workbooks/soc-handover.xlsx';
const MONTHS = 'workbooks/alerts-by-month.xlsx';

function plan(inputFiles: readonly string[], options: Partial<WorkflowRequest> = {}): Promise<WorkflowPlan> {
  return planWorkflow({ problem: PROBLEM, inputFiles, outputs: ['enriched_data', 'threat_report'], baseDir: PLANNER, ...options }, registry);
}

function nodeOf(p: WorkflowPlan, id: string): PlanNode {
  const found = p.nodes.find((n) => n.id === id);
  if (found === undefined) throw new Error(`no node ${id} in the plan (${p.nodes.map((n) => n.id).join(', ')})`);
  return found;
}

/** Every step a node waits for, directly or through others. */
function upstream(p: WorkflowPlan, id: string): string[] {
  const seen = new Set<string>();
  const visit = (current: string): void => {
    for (const dependency of nodeOf(p, current).depends_on) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(id);
  return [...seen].sort();
}

describe('profile of a workbook', () => {
  it('lists each visible worksheet with data: columns, rows and a shape fingerprint', async () => {
    const profile = await profileFile(`${PLANNER}${HANDOVER}`, HANDOVER);
    expect(profile.kind).toBe('xlsx');
    // The file's own columns stay its first sheet's: what the import reads by default, and what stored plans hold.
    expect(profile.columns.map((c) => c.name)).toEqual(['time', 'src_ip', 'dst_ip', 'dst_port', 'signature']);
    expect(profile.estimated_rows).toBe(6);
    expect(profile.sheets?.map((s) => [s.name, s.columns.map((c) => c.name), s.estimated_rows])).toEqual([
      ['Alerts', ['time', 'src_ip', 'dst_ip', 'dst_port', 'signature'], 6],
      ['Assets', ['hostname', 'ip', 'owner', 'os'], 4],
      ['Notes', ['Handover from the night shift, 2026-03-02'], 0],
    ]);
    expect(profile.sheets?.[0]?.schema_fingerprint).toBe(profile.schema_fingerprint);
    expect(profile.sheets?.[1]?.columns.find((c) => c.name === 'ip')?.role).toBe('ip');
    const months = await profileFile(`${PLANNER}${MONTHS}`, MONTHS);
    expect(months.sheets?.map((s) => [s.name, s.estimated_rows])).toEqual([['March', 6], ['April', 2]]);
    expect(months.sheets?.[0]?.schema_fingerprint).toBe(months.sheets?.[1]?.schema_fingerprint);
  });
});

describe('a workbook with worksheets of two shapes', () => {
  it('gives one branch per worksheet, each its own import, analyses and exports', async () => {
    const p = await plan([HANDOVER]);
    expect(workflowPlanSchema.safeParse(p).success).toBe(true);
    // The cover sheet holds no rows below its title: it is no dataset.
    expect(nodeOf(p, 'import-alerts')).toMatchObject({ component: 'import.excel', params: { paths: [HANDOVER], sheets: ['Alerts'] }, depends_on: [] });
    expect(nodeOf(p, 'import-assets')).toMatchObject({ component: 'import.excel', params: { paths: [HANDOVER], sheets: ['Assets'] }, depends_on: [] });
    expect(p.nodes.filter((n) => n.type === 'DATA_IMPORT')).toHaveLength(2);
    const ids = p.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const slug of ['alerts', 'assets']) {
      const other = slug === 'alerts' ? 'assets' : 'alerts';
      expect(ids).toEqual(expect.arrayContaining([`quality-${slug}`, `patterns-${slug}`, `ioc-match-${slug}`, `enrich-${slug}`, `export-enriched_data-${slug}`, `export-threat_report-${slug}`]));
      // Wiring stays within the branch.
      for (const id of ids.filter((i) => i.endsWith(`-${slug}`))) expect(upstream(p, id).filter((u) => u.endsWith(`-${other}`))).toEqual([]);
      expect(nodeOf(p, `export-enriched_data-${slug}`)).toMatchObject({ params: { output: 'enriched_data', file: `enriched_data_${slug}.csv` }, inputs: { dataset: [`enrich-${slug}`] } });
      expect(nodeOf(p, `export-threat_report-${slug}`).params).toMatchObject({ file: `threat_report_${slug}.html`, format: 'html' });
      expect(upstream(p, `export-threat_report-${slug}`)).toContain(`import-${slug}`);
      // Conditions and loops read their own branch's facts.
      expect(JSON.stringify(nodeOf(p, `ioc-match-${slug}`).condition)).toContain(`"import-${slug}.dataset.roles"`);
      expect(nodeOf(p, `patterns-${slug}`).loop?.until).toEqual({
        any: [
          { op: 'gt', left: { ref: 'self.summary.flagged_rows' }, right: { value: 0 } },
          { op: 'eq', left: { ref: 'self.summary.outlier_columns_judged' }, right: { value: 0 } },
        ],
      });
    }
    expect(nodeOf(p, 'export-threat_report-assets').params['title']).toBe('Threat report: Assets (soc-handover.xlsx)');
    // The two imports run side by side, then the two branches' analyses, and so on: as many stages as one branch.
    expect(p.stages[0]).toEqual({ index: 0, mode: 'parallel', nodes: ['import-alerts', 'import-assets'] });
    const single = await plan(['firewall.csv']);
    expect(p.stages).toHaveLength(single.stages.length);
    for (const stage of p.stages) expect(stage.nodes.every((id) => single.stages[stage.index]?.nodes.includes(id.slice(0, id.lastIndexOf('-'))))).toBe(true);
    // Each branch's estimates are for its own rows; adaptation points for every branch's steps.
    expect(p.adaptation_points.filter((a) => a.action === 'retry').map((a) => a.node)).toEqual(expect.arrayContaining(['import-alerts', 'import-assets', 'ioc-match-alerts', 'export-enriched_data-assets']));
    expect(validatePlan(JSON.parse(JSON.stringify(p)) as unknown, registry).nodes).toHaveLength(p.nodes.length);
  });

  it('gives one branch when one worksheet is named, with the import limited to it', async () => {
    const p = await plan([HANDOVER], { sheets: ['assets'] });
    expect(p.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => [n.id, n.params['sheets']])).toEqual([['import', ['Assets']]]);
    expect(nodeOf(p, 'export-enriched_data').params['file']).toBe('enriched_data.csv');
  });

  it('refuses a worksheet name the workbooks do not have, listing theirs', async () => {
    const error = await rejectionOf(plan([HANDOVER], { sheets: ['Incidents'] }), InputFileError);
    expect(error).toMatchObject({ code: 'input-file-not-found', file: HANDOVER });
    expect(error.message).toBe('workbooks/soc-handover.xlsx: has none of the worksheets named by --sheets (Incidents); its worksheets with data: Alerts, Assets, Notes');
    // Among several workbooks, a name none of them has is named.
    const some = await rejectionOf(plan([HANDOVER, MONTHS], { sheets: ['Assets', 'March', 'May'] }), InputFileError);
    expect(some.message).toBe("workbooks/soc-handover.xlsx, workbooks/alerts-by-month.xlsx: no worksheet with data named 'May' (soc-handover.xlsx: Alerts, Assets, Notes; alerts-by-month.xlsx: March, April)");
    const notABook = await rejectionOf(plan(['firewall.csv'], { sheets: ['Alerts'] }), UsageError);
    expect(notABook.message).toContain('none of the input files is a workbook');
  });
});

describe('one dataset: the plan it always was', () => {
  it('stacks worksheets of one shape in one import, with no sheets parameter and no suffixes', async () => {
    const p = await plan([MONTHS]);
    expect(p.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => [n.id, n.params])).toEqual([['import', expect.objectContaining({ paths: [MONTHS], sheets: null })]]);
    expect(p.nodes.map((n) => n.id)).toEqual(['import', 'quality', 'patterns', 'ioc-match', 'enrich', 'export-enriched_data', 'export-threat_report']);
  });

  it('keeps a single CSV plan unchanged: ids, parameters, file names, fingerprint parts', async () => {
    const p = await plan(['firewall.csv']);
    expect(p.nodes.map((n) => [n.id, n.depends_on])).toEqual([
      ['import', []],
      ['quality', ['import']],
      ['patterns', ['import']],
      ['ioc-match', ['import']],
      ['enrich', ['import', 'patterns', 'ioc-match']],
      ['export-enriched_data', ['enrich', 'patterns', 'ioc-match']],
      ['export-threat_report', ['enrich', 'patterns', 'ioc-match', 'quality']],
    ]);
    expect(nodeOf(p, 'import').params).toMatchObject({ paths: ['firewall.csv'], delimiter: ',', header: true });
    expect(nodeOf(p, 'import').reason).toBe('import-csv for file:firewall.csv');
    expect(nodeOf(p, 'export-enriched_data').params).toEqual({ output: 'enriched_data', file: 'enriched_data.csv', source: 'dataset', formula_safe: true });
    expect(nodeOf(p, 'export-threat_report').params).toMatchObject({ file: 'threat_report.html', title: 'Threat report' });
  });

  it('stacks two CSV files of the same columns', async () => {
    const p = await plan(['firewall.csv', 'firewall-day2.csv']);
    expect(nodeOf(p, 'import').params['paths']).toEqual(['firewall.csv', 'firewall-day2.csv']);
    expect(p.nodes.filter((n) => n.type === 'DATA_IMPORT')).toHaveLength(1);
  });
});

describe('files of different shapes or kinds', () => {
  it('gives two CSV files with other columns a branch each, named after the files', async () => {
    const p = await plan(['firewall.csv', 'assets-bom.csv']);
    expect(p.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => [n.id, n.params['paths'], n.reason])).toEqual([
      ['import-firewall', ['firewall.csv'], "import-csv for file:firewall.csv; dataset 'firewall'"],
      ['import-assets_bom', ['assets-bom.csv'], "import-csv for file:assets-bom.csv; dataset 'assets_bom'"],
    ]);
    expect(p.nodes.filter((n) => n.type === 'EXPORT').map((n) => n.params['file']).sort()).toEqual(['enriched_data_assets_bom.csv', 'enriched_data_firewall.csv', 'threat_report_assets_bom.html', 'threat_report_firewall.html']);
    // Each branch's estimates are for its own file: the 3-row asset list is not estimated as the whole input.
    expect(nodeOf(p, 'import-assets_bom').estimated_ms).toBeLessThanOrEqual(nodeOf(p, 'import-firewall').estimated_ms);
  });

  it('reads a CSV and a Zeek log with their own importers, once refused as mixed kinds', async () => {
    const p = await planWorkflow({ problem: PROBLEM, inputFiles: [`${PLANNER}firewall.csv`, `${IMPORT}zeek/conn-trickbot.log`], outputs: ['enriched_data'] }, registry);
    expect(p.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => [n.id, n.component])).toEqual([
      ['import-firewall', 'import.csv'],
      ['import-conn_trickbot', 'import.log'],
    ]);
    expect(nodeOf(p, 'import-conn_trickbot').params).toMatchObject({ format: 'zeek' });
  });

  it('keeps Zeek logs of one log type together and gives other log types their own branch', async () => {
    const zeek = (name: string): string => `${IMPORT}zeek/${name}`;
    const conn = await planWorkflow({ problem: PROBLEM, inputFiles: [zeek('conn-2010.log'), zeek('conn-trickbot.log')], outputs: ['enriched_data'] }, registry);
    expect(conn.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => n.id)).toEqual(['import']);
    const mixed = await planWorkflow({ problem: PROBLEM, inputFiles: [zeek('conn-trickbot.log'), zeek('http-trickbot.log')], outputs: ['enriched_data'] }, registry);
    expect(mixed.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => n.id)).toEqual(['import-conn_trickbot', 'import-http_trickbot']);
  });

  it('does not re-bind a stored pattern to several datasets: re-binding works file by file', async () => {
    const stored = await plan([MONTHS]);
    let lookups = 0;
    const patterns = { lookup: () => ((lookups += 1), { nodes: structuredClone(stored.nodes), unavailable: [], files: [MONTHS] }) };
    const branched = await planWorkflow({ problem: PROBLEM, inputFiles: [HANDOVER], outputs: ['enriched_data', 'threat_report'], baseDir: PLANNER }, registry, { patterns });
    expect(branched.from_cache).toBe(false);
    expect(branched.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => n.id)).toEqual(['import-alerts', 'import-assets']);
    expect(lookups).toBe(0);
    const single = await planWorkflow({ problem: PROBLEM, inputFiles: [MONTHS], outputs: ['enriched_data', 'threat_report'], baseDir: PLANNER }, registry, { patterns });
    expect([single.from_cache, lookups]).toEqual([true, 1]);
  });

  it('filters only the datasets that have the columns the problem\'s filter names', async () => {
    const p = await planWorkflow({ problem: 'Analyze rows where bytes_sent > 1000 for security threats', inputFiles: ['firewall.csv', 'assets-bom.csv'], outputs: ['enriched_data'], baseDir: PLANNER }, registry);
    expect(nodeOf(p, 'transform-firewall').params['filter']).toBe('bytes_sent > 1000');
    expect(p.nodes.some((n) => n.id === 'transform-assets_bom')).toBe(false);
    expect(nodeOf(p, 'import-assets_bom').reason).toMatch(/; filter 'bytes_sent > 1000' left out for dataset 'assets_bom': .*bytes_sent/);
    expect(nodeOf(p, 'quality-assets_bom').inputs.dataset).toEqual(['import-assets_bom']);
    expect(nodeOf(p, 'quality-firewall').inputs.dataset).toEqual(['transform-firewall']);
  });

  it('refuses --model for several datasets: one model is trained on one shape', async () => {
    const error = await rejectionOf(plan(['firewall.csv', 'assets-bom.csv'], { model: 'fw' }), UsageError);
    expect(error.message).toBe('--model names one model, but the input makes 2 datasets of different shapes (firewall, assets_bom)');
  });

  it('fingerprints a plan of several datasets apart from a plan of its first one', async () => {
    const one = await plan([MONTHS]);
    const two = await plan([HANDOVER]);
    const assets = await plan([HANDOVER], { sheets: ['Assets'] });
    expect(new Set([one.fingerprint, two.fingerprint, assets.fingerprint]).size).toBe(3);
  });
});

describe('running a plan of two branches', () => {
  it('runs the branches side by side, each on its own dataset, and writes each branch\'s files', async () => {
    const p = await plan([HANDOVER], { outputs: ['enriched_data'] });
    const out = await mkdtemp(join(tmpdir(), 'cs-helper-branches-'));
    try {
      const events: RunEvent[] = [];
      const result = await executePlan(p, { registry, outputDir: out, onEvent: (e) => events.push(e), workspace: { threads: 1 } });
      expect(result.status).toBe('completed');
      // Both imports start before either ends: one parallel stage, not one branch after the other.
      const order = events.flatMap((e) => (e.type === 'step-start' ? [`start ${e.node}`] : e.type === 'step-end' ? [`end ${e.step.node}`] : []));
      expect(order.slice(0, 2).sort()).toEqual(['start import-alerts', 'start import-assets']);
      const step = (node: string) => result.steps.find((s) => s.node === node);
      expect([step('import-alerts')?.rowsOut, step('import-assets')?.rowsOut]).toEqual([6, 4]);
      expect([step('enrich-alerts')?.rowsIn, step('enrich-assets')?.rowsIn]).toEqual([6, 4]);
      expect(result.rowsIn).toBe(10);
      expect(result.files.map((f) => [f.path.slice(out.length + 1), f.rows]).sort()).toEqual([['enriched_data_alerts.csv', 6], ['enriched_data_assets.csv', 4]]);
      expect((await readFile(join(out, 'enriched_data_assets.csv'), 'utf8')).split('\n')[0]).toBe('hostname,ip,owner,os,ip_class,threat_score,threat_level,ioc_matches,anomaly_reasons');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
