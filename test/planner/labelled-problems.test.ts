// Runs the real planner over the labelled problem statements of test/fixtures/planner/problems.jsonl: per-intent
// precision and recall, plan accuracy (fails under 95%), the exclusions and explicit requests each line expects, and how
// well the top intent's score matches how often the top intent is right.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { isCsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { intentSchema, type Intent } from '../../src/model/problem-profile.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { calibrated, INTENT_THRESHOLD, readIntents } from '../../src/planner/classify-intents.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { parseProblem } from '../../src/planner/parse-problem.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { fitPlatt, reliability, type LabelledScore } from '../helpers/calibration.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const registry = createBuiltInRegistry();

/** Catalogue components this version does not have yet, and the capability each would provide. */
const PLANNED_COMPONENTS: Readonly<Record<string, string>> = {
  'integration.attack': 'attack-mapping',
  'processing.classify': 'ml-classification',
  'analysis.sigma': 'sigma-detection',
  'export.navigator': 'navigator-layer',
};

const lineSchema = z.strictObject({
  problem: z.string().min(1),
  /** The intents the author meant; empty when the statement names none. */
  intents: z.array(intentSchema),
  must_include: z.array(z.string()),
  /** For a planned component: also that the plan did not want its capability (it is not reported unavailable). */
  must_exclude: z.array(z.string()),
  outputs: z.array(z.string()).optional(),
  input_files: z.array(z.string()).optional(),
  /** Capabilities the plan must want but this version lacks: reported in plan.unavailable (or served, once a component exists). */
  unavailable: z.array(z.string()).optional(),
  /** `what` of each exclusion the profile must record; [] means none at all. */
  excluded: z.array(z.string()).optional(),
  requests: z.array(z.object({ kind: z.string(), value: z.string() })).optional(),
  /** The planner must refuse with this error code. */
  error: z.string().optional(),
});
type Line = z.infer<typeof lineSchema>;

const lines: Line[] = readFileSync(new URL('problems.jsonl', `file://${FIXTURES}`), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l, i) => {
    const parsed = lineSchema.safeParse(JSON.parse(l));
    if (!parsed.success) throw new Error(`problems.jsonl line ${i + 1}: ${parsed.error.message}`);
    return parsed.data;
  });

interface Outcome {
  readonly line: Line;
  readonly plan?: WorkflowPlan;
  readonly errorCode?: string;
  /** The intents acted on. */
  readonly predicted: readonly Intent[];
  readonly failures: readonly string[];
}

function judge(line: Line, plan: WorkflowPlan | undefined, errorCode: string | undefined): string[] {
  const failures: string[] = [];
  if (line.error !== undefined) {
    if (errorCode !== line.error) failures.push(`expected error ${line.error}, got ${errorCode ?? 'a plan'}`);
    return failures;
  }
  if (plan === undefined) return [`planner refused: ${errorCode ?? 'unknown error'}`];
  const components = new Set(plan.nodes.map((n) => n.component));
  const unavailable = new Set<string>(plan.unavailable.map((u) => u.capability));
  const served = new Set<string>(plan.nodes.flatMap((n) => (registry.has(n.component) ? registry.get(n.component).capabilities : [])));
  for (const id of line.must_include) {
    if (!registry.has(id)) failures.push(`fixture: must_include names ${id}, which is not in the registry (use "unavailable")`);
    else if (!components.has(id)) failures.push(`missing ${id}`);
  }
  for (const id of line.must_exclude) {
    if (components.has(id)) failures.push(`has ${id}`);
    const capability = PLANNED_COMPONENTS[id];
    if (!registry.has(id) && capability !== undefined && unavailable.has(capability)) failures.push(`wants ${capability} (${id})`);
  }
  for (const capability of line.unavailable ?? []) {
    if (!unavailable.has(capability) && !served.has(capability)) failures.push(`does not report ${capability} as unavailable`);
  }
  return failures;
}

const outcomes: Outcome[] = [];

beforeAll(async () => {
  for (const line of lines) {
    let plan: WorkflowPlan | undefined;
    let errorCode: string | undefined;
    try {
      plan = await planWorkflow({ problem: line.problem, inputFiles: line.input_files ?? ['firewall.csv'], baseDir: FIXTURES, ...(line.outputs === undefined ? {} : { outputs: line.outputs }) }, registry);
    } catch (error) {
      if (!isCsHelperError(error)) throw error;
      errorCode = error.code;
    }
    const intents = plan?.profile.intents ?? parseProblem(line.problem).intents;
    const predicted = intents.filter((i) => i.score >= INTENT_THRESHOLD).map((i) => i.intent);
    outcomes.push({ line, ...(plan === undefined ? {} : { plan }), ...(errorCode === undefined ? {} : { errorCode }), predicted, failures: judge(line, plan, errorCode) });
  }
});

const pct = (n: number): string => `${(100 * n).toFixed(1)}%`;

describe('the labelled problem statements', () => {
  it('each give a plan that passes the full plan validation unchanged (the planner does not re-check its own output)', () => {
    const plans = outcomes.flatMap((o) => (o.plan === undefined ? [] : [o.plan]));
    expect(plans.length).toBeGreaterThan(100);
    for (const plan of plans) expect(validatePlan(JSON.parse(JSON.stringify(plan)), registry)).toEqual(plan);
  });

  it('are at least 60, varied, and cover every intent', () => {
    expect(lines.length).toBeGreaterThanOrEqual(60);
    expect(new Set(lines.map((l) => l.problem.toLowerCase())).size).toBe(lines.length);
    for (const intent of intentSchema.options) expect(lines.some((l) => l.intents.includes(intent)), intent).toBe(true);
  });

  it('give accurate plans for at least 95% of them, with per-intent precision and recall', () => {
    const rows = intentSchema.options.map((intent) => {
      const tp = outcomes.filter((o) => o.predicted.includes(intent) && o.line.intents.includes(intent)).length;
      const fp = outcomes.filter((o) => o.predicted.includes(intent) && !o.line.intents.includes(intent)).length;
      const fn = outcomes.filter((o) => !o.predicted.includes(intent) && o.line.intents.includes(intent)).length;
      return { intent, support: tp + fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
    });
    const accurate = outcomes.filter((o) => o.failures.length === 0).length;
    const exact = outcomes.filter((o) => [...o.predicted].sort().join() === [...o.line.intents].sort().join()).length;
    const table = [
      `${'intent'.padEnd(18)} ${'support'.padStart(7)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`,
      ...rows.map((r) => `${r.intent.padEnd(18)} ${String(r.support).padStart(7)} ${pct(r.precision).padStart(9)} ${pct(r.recall).padStart(7)}`),
      `intent sets exactly right: ${exact}/${outcomes.length} (${pct(exact / outcomes.length)})`,
      `plan accuracy: ${accurate}/${outcomes.length} (${pct(accurate / outcomes.length)})`,
      ...outcomes.filter((o) => o.failures.length > 0).map((o) => `  inaccurate: "${o.line.problem}": ${o.failures.join('; ')}`),
      ...outcomes
        .filter((o) => [...o.predicted].sort().join() !== [...o.line.intents].sort().join())
        .map((o) => `  intents differ: "${o.line.problem}": expected [${o.line.intents.join(', ')}], acted on [${o.predicted.join(', ')}]`),
    ];
    console.log(table.join('\n'));
    expect(outcomes.filter((o) => o.failures.some((f) => f.startsWith('fixture:')))).toEqual([]);
    expect(accurate / outcomes.length).toBeGreaterThanOrEqual(0.95);
  });

  it('record the exclusions and explicit requests each statement expects', () => {
    const misses: string[] = [];
    for (const { line, plan } of outcomes) {
      const analysis = plan?.profile ?? parseProblem(line.problem);
      const whats = analysis.excluded.map((e) => e.what);
      if (line.excluded !== undefined) {
        if (line.excluded.length === 0 && whats.length > 0) misses.push(`"${line.problem}": expected no exclusions, got ${whats.join(', ')}`);
        for (const what of line.excluded) if (!whats.includes(what)) misses.push(`"${line.problem}": ${what} not excluded (got ${whats.join(', ') || 'none'})`);
      }
      for (const request of line.requests ?? []) {
        if (!analysis.requests.some((r) => r.kind === request.kind && r.value === request.value)) {
          misses.push(`"${line.problem}": request ${request.kind} ${request.value} not found (got ${analysis.requests.map((r) => `${r.kind} ${r.value}`).join(', ') || 'none'})`);
        }
      }
    }
    expect(misses).toEqual([]);
  });

  it('give the top intent a score close to how often the top intent is right', () => {
    // The calibration is fitted on every (problem, intent with evidence) pair; refitting here shows whether the constants
    // in classify-intents.ts still match the set after the lexicon or the set changed.
    const pairs: LabelledScore[] = [];
    const tops: LabelledScore[] = [];
    for (const { line } of outcomes) {
      const reading = readIntents(line.problem);
      for (const [intent, evidence] of reading.evidence) pairs.push({ x: evidence, correct: line.intents.includes(intent) });
      const top = reading.intents[0];
      if (top !== undefined) tops.push({ x: top.score, correct: line.intents.includes(top.intent) });
    }
    const fit = fitPlatt(pairs);
    const { bins, expectedCalibrationError } = reliability(tops, [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1]);
    const meanTop = tops.reduce((sum, t) => sum + t.x, 0) / tops.length;
    const topRight = tops.filter((t) => t.correct).length / tops.length;
    console.log(
      [
        `calibration refit on ${pairs.length} (problem, intent) pairs: slope ${fit.slope.toFixed(2)}, intercept ${fit.intercept.toFixed(2)}`,
        `top intent: mean score ${meanTop.toFixed(3)}, right ${pct(topRight)} of ${tops.length}; expected calibration error ${expectedCalibrationError.toFixed(3)}`,
        ...bins.map((b) => `  scores ${b.from.toFixed(2)}-${b.to.toFixed(2)}: ${String(b.count).padStart(3)} problems, mean score ${b.meanScore.toFixed(2)}, top intent right ${pct(b.hitRate)}`),
      ].join('\n'),
    );
    expect(Math.abs(meanTop - topRight)).toBeLessThan(0.05);
    expect(expectedCalibrationError).toBeLessThan(0.1);
    // The constants in use still agree with a fit on today's set (refit and copy them when this fails).
    for (const evidence of [0.6, 0.9, 1.2, 1.5, 2]) {
      const refit = 1 / (1 + Math.exp(-(fit.slope * evidence + fit.intercept)));
      expect(Math.abs(calibrated(evidence) - refit), `evidence ${evidence}`).toBeLessThan(0.05);
    }
  });
});
