import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { NoSuchComponentError } from '../../src/model/errors/no-such-component-error.js';
import { PlanError } from '../../src/model/errors/plan-error.js';
import type { PlanNode, WorkflowPlan } from '../../src/model/workflow-plan.js';
import { readPlanFile, validatePlan } from '../../src/planner/load-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const registry = createBuiltInRegistry();

let temp: string;
let plan: WorkflowPlan;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-load-plan-'));
  plan = await planWorkflow(
    { problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['firewall.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: FIXTURES },
    registry,
  );
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

/** A deep copy of the planner's plan, to break one thing in. */
function copy(): WorkflowPlan {
  return structuredClone(plan);
}

function nodeOf(p: WorkflowPlan, id: string): PlanNode {
  const found = p.nodes.find((n) => n.id === id);
  if (found === undefined) throw new Error(`no node ${id} in the plan`);
  return found;
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function planErrorOf(action: () => unknown): PlanError {
  const error = errorOf(action);
  if (error instanceof PlanError) return error;
  throw error;
}

async function inputFileErrorOf(path: string): Promise<InputFileError> {
  const error: unknown = await readPlanFile(path, registry).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof InputFileError) return error;
  throw new Error(`expected an InputFileError, got ${String(error)}`);
}

describe('readPlanFile', () => {
  it('reads back a plan the planner wrote, unchanged', async () => {
    const path = join(temp, 'plan.json');
    await writeFile(path, JSON.stringify(plan, null, 2));
    const loaded = await readPlanFile(path, registry);
    expect(loaded).toEqual(plan);
    expect(loaded.nodes.map((n) => n.component)).toEqual(['import.csv', 'validation.quality', 'analysis.patterns', 'intel.ioc-match', 'processing.enrich', 'export.csv', 'export.report']);
  });

  it('reports malformed JSON as an InputFileError', async () => {
    const path = join(temp, 'broken.json');
    await writeFile(path, JSON.stringify(plan).slice(0, 200));
    const error = await inputFileErrorOf(path);
    expect(error.problem).toBe('malformed');
    expect(error.message).toContain('not valid JSON');
    expect(error.hint).toContain('--export');
  });

  it('reports a missing plan file', async () => {
    expect((await inputFileErrorOf(join(temp, 'no-plan.json'))).problem).toBe('not-found');
  });

  it('refuses a plan file over the size limit without reading it', async () => {
    // Sparse: 9 MiB on paper, no blocks on disk.
    const path = join(temp, 'huge.json');
    await writeFile(path, '');
    await truncate(path, 9 * 1024 * 1024);
    const error = await inputFileErrorOf(path);
    expect(error.problem).toBe('too-large');
    expect(error.message).toContain(String(9 * 1024 * 1024));
  });
});

describe('validatePlan', () => {
  it('accepts the planner\'s plan after a JSON round trip', () => {
    const json: unknown = JSON.parse(JSON.stringify(plan));
    expect(validatePlan(json, registry)).toEqual(plan);
  });

  it('fills in parameter defaults from the component schema', () => {
    const edited = copy();
    const report = nodeOf(edited, 'export-threat_report');
    report.params = { output: 'threat_report', file: 'threat_report.md' };
    const params = nodeOf(validatePlan(edited, registry), 'export-threat_report').params;
    expect(params).toMatchObject({ title: 'Threat report', top: 25 });
    // No format default: export.report writes the format the file name says (reportFormat), Markdown here.
    expect(params['format']).toBeUndefined();
  });

  it('refuses another plan version', () => {
    const error = planErrorOf(() => validatePlan({ ...copy(), version: 2 }, registry, 'old-plan.json'));
    expect(error.code).toBe('plan-version');
    expect(error.message).toContain('old-plan.json: plan version 2 is not supported');
  });

  it('refuses JSON that is not a plan, naming the field', () => {
    const error = planErrorOf(() => validatePlan({ ...copy(), nodes: [] }, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain('nodes');
    expect(planErrorOf(() => validatePlan('not a plan', registry)).code).toBe('invalid-plan');
  });

  it('refuses an unknown component with the list of those available', () => {
    const edited = copy();
    nodeOf(edited, 'patterns').component = 'analysis.no-such-thing';
    const error = errorOf(() => validatePlan(edited, registry));
    expect(error).toBeInstanceOf(NoSuchComponentError);
    if (!(error instanceof NoSuchComponentError)) return;
    expect(error.componentId).toBe('analysis.no-such-thing');
    expect(error.availableComponents).toContain('analysis.patterns');
  });

  it('names the plan file and the step of an unknown component', () => {
    const edited = copy();
    nodeOf(edited, 'patterns').component = 'evil.rm-rf';
    const error = errorOf(() => validatePlan(edited, registry, 'plans/p.json'));
    expect(error).toBeInstanceOf(NoSuchComponentError);
    if (!(error instanceof NoSuchComponentError)) return;
    expect(error.message).toBe("plans/p.json: step 'patterns': no component 'evil.rm-rf' in the registry");
    expect(error.hint).toContain('analysis.patterns');
  });

  it('refuses an unknown parameter, naming the plan file, the step and the key, with the parameters it takes', () => {
    const edited = copy();
    nodeOf(edited, 'export-threat_report').params['topp'] = 3;
    const error = planErrorOf(() => validatePlan(edited, registry, 'plans/p.json'));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toBe("plans/p.json: step 'export-threat_report' (export.report): unknown parameter 'topp'");
    expect(error.hint).toContain('export.report takes output, file, format, title, top');
    expect(error.hint).toContain('cs-helper components list --json');
  });

  it('refuses a parameter named like an inherited property, which zod would also drop', () => {
    const edited: unknown = JSON.parse(JSON.stringify(copy()).replace('"top":25', '"top":25,"__proto__":{"polluted":true}'));
    const error = planErrorOf(() => validatePlan(edited, registry, 'plans/p.json'));
    expect(error.message).toContain("unknown parameter '__proto__'");
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts the plans the planner makes for every kind of problem, with no parameter it does not know', async () => {
    const problems = [
      { problem: 'Process logs for compliance', outputs: ['compliance_report'] },
      { problem: 'Hunt for C2 beaconing and map to ATT&CK', outputs: ['findings', 'attack_layer', 'threat_report.md'] },
      { problem: 'Apply machine learning to classify this data', outputs: [] },
      { problem: 'Drop duplicates, keep only rows where bytes > 1000 and export JSON', outputs: ['enriched_data.json'] },
    ];
    for (const { problem, outputs } of problems) {
      const made = await planWorkflow({ problem, inputFiles: ['firewall.csv'], outputs, baseDir: FIXTURES }, registry);
      expect(validatePlan(JSON.parse(JSON.stringify(made)), registry, problem)).toEqual(made);
    }
  });

  it('refuses an export file name that leaves the output folder, naming the step', () => {
    const edited = copy();
    nodeOf(edited, 'export-enriched_data').params['file'] = '../../etc/passwd';
    const error = planErrorOf(() => validatePlan(edited, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("step 'export-enriched_data' (export.csv)");
    expect(error.message).toContain('parameter file');
  });

  it('refuses a step id used twice', () => {
    const edited = copy();
    nodeOf(edited, 'quality').id = 'patterns';
    expect(planErrorOf(() => validatePlan(edited, registry)).message).toContain("step id 'patterns' is used twice");
  });

  it('refuses a dependency on a step that does not exist', () => {
    const edited = copy();
    nodeOf(edited, 'enrich').depends_on.push('sigma');
    const error = planErrorOf(() => validatePlan(edited, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("step 'enrich' depends on unknown step 'sigma'");
  });

  it('refuses a step in no stage', () => {
    const edited = copy();
    const analyses = edited.stages[1];
    if (analyses === undefined) throw new Error('the plan has no second stage');
    analyses.nodes = analyses.nodes.filter((id) => id !== 'quality');
    const error = planErrorOf(() => validatePlan(edited, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("step 'quality' is in no stage");
  });

  it('refuses a step in two stages', () => {
    const edited = copy();
    edited.stages.at(-1)?.nodes.push('quality');
    const error = planErrorOf(() => validatePlan(edited, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("step 'quality' is in two stages");
  });

  it('refuses a stage naming a step that is not in the plan', () => {
    const edited = copy();
    edited.stages[0]?.nodes.push('sigma');
    expect(planErrorOf(() => validatePlan(edited, registry)).message).toContain("stage 1 names unknown step 'sigma'");
  });

  it('refuses a step that runs no later than a step it depends on', () => {
    const edited = copy();
    // enrich moved into the analyses' stage: it would run beside the patterns it needs.
    edited.stages = [
      { index: 0, mode: 'sequential', nodes: ['import'] },
      { index: 1, mode: 'parallel', nodes: ['quality', 'patterns', 'ioc-match', 'enrich'] },
      { index: 2, mode: 'parallel', nodes: ['export-enriched_data', 'export-threat_report'] },
    ];
    const error = planErrorOf(() => validatePlan(edited, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("step 'enrich' runs in stage 2 but depends on 'patterns'");
  });

  it('refuses a step whose inputs come from a step that does not run before it', () => {
    const edited = copy();
    // The report reads enrich's dataset but no longer lists it as a dependency, and shares its stage.
    const report = nodeOf(edited, 'export-threat_report');
    report.depends_on = report.depends_on.filter((id) => id !== 'enrich');
    edited.stages = [
      { index: 0, mode: 'sequential', nodes: ['import'] },
      { index: 1, mode: 'parallel', nodes: ['quality', 'patterns', 'ioc-match'] },
      { index: 2, mode: 'parallel', nodes: ['enrich', 'export-threat_report'] },
      { index: 3, mode: 'sequential', nodes: ['export-enriched_data'] },
    ];
    const error = planErrorOf(() => validatePlan(edited, registry));
    expect(error.code).toBe('invalid-plan');
    expect(error.message).toContain("step 'export-threat_report' runs in stage 3 but depends on 'enrich'");
  });
});
