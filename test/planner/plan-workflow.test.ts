import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { UsageError } from '../../src/model/errors/usage-error.js';
import { workflowPlanSchema, type PlanNode, type WorkflowPlan } from '../../src/model/workflow-plan.js';
import { planWorkflow, type WorkflowRequest } from '../../src/planner/plan-workflow.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const registry = createBuiltInRegistry();

const EXAMPLE_1 = 'Analyze this CSV for security threats and export enriched data';
const EXAMPLE_2 = 'Check this data for compliance and map to MITRE ATT&CK';
const EXAMPLE_3 = 'Apply machine learning to classify this data';

function plan(problem: string, options: Partial<WorkflowRequest> = {}): Promise<WorkflowPlan> {
  return planWorkflow({ problem, inputFiles: ['firewall.csv'], baseDir: FIXTURES, ...options }, registry);
}

function nodeOf(p: WorkflowPlan, id: string): PlanNode {
  const found = p.nodes.find((n) => n.id === id);
  if (found === undefined) throw new Error(`no node ${id} in the plan`);
  return found;
}

/** Every step a node waits for, directly or through other steps. */
function upstream(p: WorkflowPlan, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (current: string): void => {
    for (const dependency of nodeOf(p, current).depends_on) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(id);
  return seen;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the planner to refuse');
    },
    (error: unknown) => error,
  );
}

let temp: string;
let example1: WorkflowPlan;
let example2: WorkflowPlan;
let example3: WorkflowPlan;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-plan-'));
  example1 = await plan(EXAMPLE_1, { outputs: ['enriched_data', 'threat_report'] });
  example2 = await plan(EXAMPLE_2);
  example3 = await plan(EXAMPLE_3);
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('planWorkflow, the guide\'s first example', () => {
  it('chooses import, quality, patterns, indicator matching, enrichment and both exports', () => {
    expect(example1.nodes.map((n) => n.component)).toEqual(['import.csv', 'validation.quality', 'analysis.patterns', 'intel.ioc-match', 'processing.enrich', 'export.csv', 'export.report']);
    expect(example1.profile.problem_type).toBe('threat_hunting');
    expect(example1.unavailable).toEqual([]);
  });

  it('runs the analyses in parallel in stage 2, after the import', () => {
    expect(example1.stages[0]).toEqual({ index: 0, mode: 'sequential', nodes: ['import'] });
    expect(example1.stages[1]?.mode).toBe('parallel');
    expect(example1.stages[1]?.nodes).toEqual(expect.arrayContaining(['quality', 'patterns', 'ioc-match']));
  });

  it('enriches after the pattern analysis and the indicator matching', () => {
    const enrich = nodeOf(example1, 'enrich');
    expect(enrich.depends_on).toEqual(expect.arrayContaining(['patterns', 'ioc-match']));
    expect(enrich.inputs.findings).toEqual(['patterns', 'ioc-match']);
    expect(enrich.inputs.dataset).toEqual(['import']);
  });

  it('writes the report after every other step but the data export', () => {
    const report = nodeOf(example1, 'export-threat_report');
    const others = example1.nodes.map((n) => n.id).filter((id) => !id.startsWith('export-'));
    expect([...upstream(example1, report.id)].sort()).toEqual(others.sort());
    expect(report.inputs.dataset).toEqual(['enrich']);
    // The report defaults to HTML now that export.report writes it; `threat_report.md` still asks for Markdown.
    expect(report.params).toMatchObject({ output: 'threat_report', file: 'threat_report.html', format: 'html' });
    expect(nodeOf(example1, 'export-enriched_data').params).toMatchObject({ output: 'enriched_data', file: 'enriched_data.csv', source: 'dataset' });
  });

  it('reads the CSV with the dialect the profile found', () => {
    expect(nodeOf(example1, 'import').params).toMatchObject({ paths: ['firewall.csv'], delimiter: ',', header: true, encoding: 'utf-8', comment: null });
    expect(example1.base_dir).toBe(FIXTURES.replace(/\/$/, ''));
  });

  it('gives every node its component, type and complexity from the registry', () => {
    for (const node of example1.nodes) {
      const component = registry.get(node.component);
      expect(node.type).toBe(component.type);
      expect(node.complexity).toBe(component.complexity);
      expect(node.estimated_ms).toBeGreaterThanOrEqual(0);
    }
    expect(nodeOf(example1, 'ioc-match')).toMatchObject({ type: 'ANALYSIS', complexity: 'COMPLEX' });
  });

  it('produces a plan that passes the plan schema', () => {
    const parsed = workflowPlanSchema.safeParse(JSON.parse(JSON.stringify(example1)));
    expect(parsed.success).toBe(true);
  });

  it('is confident, with reasons naming the intent, the file and the coverage', () => {
    expect(example1.confidence.score).toBeGreaterThan(0.8);
    expect(example1.confidence.reasons[0]).toContain('threat_hunting');
    expect(example1.confidence.reasons.some((r) => r.includes('firewall.csv') && r.includes('src_ip=ip'))).toBe(true);
    expect(example1.confidence.reasons).toContain('all 7 required capabilities are available');
  });
});

describe('planWorkflow, the guide\'s other examples', () => {
  it('plans the ATT&CK mapping for the compliance-and-ATT&CK example, after enrichment', () => {
    expect(example2.unavailable.map((u) => u.capability)).not.toContain('attack-mapping');
    const attack = nodeOf(example2, 'attack');
    expect(attack).toMatchObject({ component: 'integration.attack', type: 'INTEGRATION', complexity: 'MODERATE' });
    expect(attack.reason).toContain('attack-mapping for intent:attack_mapping');
    expect(attack.depends_on).toContain('enrich');
    // What it can do for compliance it still plans.
    expect(example2.nodes.map((n) => n.component)).toEqual(expect.arrayContaining(['import.csv', 'validation.quality', 'analysis.statistics']));
  });

  it('plans ML classification with processing.classify, before enrichment so its anomaly findings reach the threat score', () => {
    expect(example3.profile.problem_type).toBe('ml_classification');
    expect(example3.unavailable.map((u) => u.capability)).not.toContain('ml-classification');
    const classify = example3.nodes.find((n) => n.component === 'processing.classify');
    expect(classify).toMatchObject({ type: 'PROCESSING', complexity: 'COMPLEX' });
    const enrich = example3.nodes.find((n) => n.component === 'processing.enrich');
    expect(enrich?.inputs.findings ?? []).toContain(classify?.id);
    expect(workflowPlanSchema.safeParse(example3).success).toBe(true);
  });

  it('chooses default outputs for the intent when none are named', () => {
    expect(example2.outputs).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'json', requested: false }]);
    expect(nodeOf(example2, 'export-enriched_data').component).toBe('export.json');
  });

  it('reads an abuse.ch dump with its comment banner', async () => {
    const feodo = await plan('Look for malicious C2 servers', { inputFiles: ['feodo-ipblocklist.csv'] });
    expect(nodeOf(feodo, 'import').params).toMatchObject({ comment: '#', header: true, delimiter: ',' });
  });

  it('imports JSON and JSON Lines of different shapes as two datasets, each with import.json', async () => {
    const events = await plan(EXAMPLE_1, { inputFiles: ['windows-events.json', 'alerts.jsonl'] });
    expect(nodeOf(events, 'import-windows_events')).toMatchObject({ component: 'import.json', params: { paths: ['windows-events.json'], format: 'auto' } });
    expect(nodeOf(events, 'import-alerts')).toMatchObject({ component: 'import.json', params: { paths: ['alerts.jsonl'], format: 'newline_delimited' } });
  });

  it('writes one output in two formats as two export steps', async () => {
    const twin = await plan(EXAMPLE_1, { outputs: ['enriched_data', 'enriched_data.json'] });
    const exports = twin.nodes.filter((n) => n.type === 'EXPORT');
    expect(exports.map((n) => [n.component, n.params['file']])).toEqual([
      ['export.csv', 'enriched_data.csv'],
      ['export.json', 'enriched_data.json'],
    ]);
    expect(new Set(exports.map((n) => n.id)).size).toBe(2);
  });

  it('hands extra feed files to the indicator matcher', async () => {
    const withFeed = await plan(EXAMPLE_1, { feeds: ['blocklist.txt'] });
    expect(nodeOf(withFeed, 'ioc-match').params).toMatchObject({ feeds: ['blocklist.txt'] });
  });
});

describe('planWorkflow fingerprint', () => {
  it('is equal for the same problem on files of the same shape at different paths', async () => {
    const elsewhere = join(temp, 'fw-export-0303.csv');
    await copyFile(join(FIXTURES, 'firewall.csv'), elsewhere);
    const other = await planWorkflow({ problem: EXAMPLE_1, inputFiles: [elsewhere], outputs: ['enriched_data', 'threat_report'] }, registry);
    expect(other.id).not.toBe(example1.id);
    expect(other.fingerprint).toBe(example1.fingerprint);
  });

  it('differs for different outputs', async () => {
    const other = await plan(EXAMPLE_1, { outputs: ['enriched_data.json', 'threat_report'] });
    expect(other.fingerprint).not.toBe(example1.fingerprint);
  });
});

describe('planWorkflow refusals', () => {
  it('reads CSV and JSON inputs as two datasets, each with its own importer (once refused as mixed kinds)', async () => {
    const mixed = await plan(EXAMPLE_1, { inputFiles: ['firewall.csv', 'alerts.jsonl'] });
    expect(mixed.nodes.filter((n) => n.type === 'DATA_IMPORT').map((n) => [n.id, n.component, n.params['paths']])).toEqual([
      ['import-firewall', 'import.csv', ['firewall.csv']],
      ['import-alerts', 'import.json', ['alerts.jsonl']],
    ]);
  });

  it('refuses an empty problem', async () => {
    for (const problem of ['', '   ']) {
      const error = await rejectionOf(plan(problem));
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ code: 'usage', message: 'the problem statement is empty' });
    }
  });

  it('refuses a request with no input files', async () => {
    const error = await rejectionOf(plan(EXAMPLE_1, { inputFiles: [] }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'usage', message: 'no input files named' });
  });

  it('passes on an unknown output as a PlanError', async () => {
    const error = await rejectionOf(plan(EXAMPLE_1, { outputs: ['pivot_table'] }));
    expect(error).toMatchObject({ code: 'unknown-output' });
  });
});
