// The problem analysis as the plan shows it: exclusions, explicit requests and constraints in the profile, and what they
// change in the nodes, the outputs, the confidence and the fingerprint.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { PlanError } from '../../src/model/errors/plan-error.js';
import { UsageError } from '../../src/model/errors/usage-error.js';
import type { Constraints } from '../../src/model/problem-profile.js';
import { workflowPlanSchema, type WorkflowPlan } from '../../src/model/workflow-plan.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { planWorkflow, type WorkflowRequest } from '../../src/planner/plan-workflow.js';
import { rejectionOf } from '../helpers/rejection.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const registry = createBuiltInRegistry();

function plan(problem: string, options: Partial<WorkflowRequest> = {}): Promise<WorkflowPlan> {
  return planWorkflow({ problem, inputFiles: ['firewall.csv'], baseDir: FIXTURES, ...options }, registry);
}

const components = (p: WorkflowPlan): string[] => p.nodes.map((n) => n.component);

describe('negation in plans', () => {
  it('leaves a negated intent and its capability out of the plan, and says so', async () => {
    const p = await plan('Classify the alerts and hunt for threats, but no ML');
    expect(p.profile.intents.map((i) => i.intent)).not.toContain('ml_classification');
    expect(p.profile.requirements).not.toContain('ml-classification');
    expect(p.unavailable.map((u) => u.capability)).not.toContain('ml-classification');
    expect(p.profile.excluded).toEqual([
      { kind: 'intent', what: 'ml_classification', because: 'negated: "no ML"' },
      { kind: 'capability', what: 'ml-classification', because: 'negated: "no ML"' },
    ]);
    expect(p.confidence.reasons.some((r) => r.startsWith('excluded as asked: ml_classification (negated: "no ML")'))).toBe(true);
  });

  it('drops a capability every intent wanted when the user rules it out', async () => {
    const p = await plan('Investigate the incident; not interested in statistics');
    expect(components(p)).not.toContain('analysis.statistics');
    expect(components(p)).toEqual(expect.arrayContaining(['analysis.patterns', 'intel.ioc-match']));
  });

  it('writes a default output in another format when its format is ruled out', async () => {
    const p = await plan("Map these alerts to ATT&CK but don't export JSON");
    expect(p.outputs).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'csv', requested: false }]);
    expect(components(p)).not.toContain('export.json');
  });

  it('does not write a default output whose kind is ruled out', async () => {
    const p = await plan('Analyze this CSV for threats, skip the report');
    expect(p.outputs.map((o) => o.name)).toEqual(['enriched_data']);
    expect(components(p)).not.toContain('export.report');
  });

  it('refuses a request that asks for an output it rules out', async () => {
    const error = await rejectionOf(plan('Hunt for threats but skip the report', { outputs: ['enriched_data', 'threat_report'] }), PlanError);
    expect(error.code).toBe('contradictory-request');
    expect(error.message).toBe(`the request contradicts itself: it asks for output 'threat_report' but the problem rules it out (negated: "skip the report")`);
    expect(error.hint).toContain("drop 'threat_report' from --outputs");
    const json = await rejectionOf(plan("Convert it, don't export JSON", { outputs: ['data.jsonl'] }), PlanError);
    expect(json.code).toBe('contradictory-request');
  });

  it('refuses a plan that would write nothing, saying how to name an output', async () => {
    const error = await rejectionOf(plan('Audit the admin logins, no report'), PlanError);
    expect(error.code).toBe('nothing-to-write');
    expect(error.message).toContain('negated: "no report"');
    expect(error.hint).toContain('--outputs');
  });

  it('gives problems that differ only by an exclusion different fingerprints', async () => {
    const [plain, without] = await Promise.all([plan('Investigate the incident'), plan('Investigate the incident, no statistics')]);
    expect(without.fingerprint).not.toBe(plain.fingerprint);
  });
});

describe('explicit requests in plans', () => {
  it('records rules and hands them to the Sigma detection step', async () => {
    const p = await plan('Use the Sigma rules in ./rules to hunt through these events');
    expect(p.profile.requests).toEqual([{ kind: 'rules', value: './rules', text: 'rules in ./rules' }]);
    expect(p.unavailable.filter((u) => u.capability === 'sigma-detection')).toEqual([]);
    expect(p.nodes.find((n) => n.component === 'analysis.sigma')?.params).toEqual({ rules: ['./rules'], min_level: 'informational' });
    expect(p.confidence.reasons.some((r) => r.includes('rules ./rules (applied by the rule detection step)'))).toBe(true);
  });

  it('hands a feed named in the problem to the indicator matcher, after those given with --feeds', async () => {
    const p = await plan('Match the firewall log against feed.txt', { feeds: ['other.csv', 'feed.txt'] });
    expect(p.nodes.find((n) => n.component === 'intel.ioc-match')?.params).toMatchObject({ feeds: ['other.csv', 'feed.txt'] });
    const alone = await plan('Check these connections against bad-ips.txt');
    expect(alone.nodes.find((n) => n.component === 'intel.ioc-match')?.params).toMatchObject({ feeds: ['bad-ips.txt'] });
  });

  it('records a scope, saying no step acts on it yet', async () => {
    const p = await plan('Only the proxy logs: look for malware downloads');
    expect(p.profile.requests.map((r) => [r.kind, r.value])).toEqual([['scope', 'proxy logs']]);
    expect(p.confidence.reasons.some((r) => r.includes('scope "proxy logs" (recorded; no step narrows the data by it yet)'))).toBe(true);
  });

  it('writes default data outputs in a format asked for in passing', async () => {
    const p = await plan('Find the connections to known C2 servers and export them as JSON');
    expect(p.outputs.find((o) => o.name === 'enriched_data')?.format).toBe('json');
    expect(components(p)).toContain('export.json');
    // An output named with --outputs keeps the format it was given.
    const named = await plan('Find the C2 connections and export them as JSON', { outputs: ['enriched_data.csv'] });
    expect(named.outputs).toEqual([{ name: 'enriched_data', kind: 'dataset', format: 'csv', requested: true }]);
  });

  it('adds a capability named in the problem beyond its intents', async () => {
    const p = await plan('Check PCI compliance and build a Navigator layer');
    expect(p.unavailable).toEqual([]);
    const navigator = p.nodes.find((n) => n.component === 'export.navigator');
    expect(navigator?.params).toMatchObject({ output: 'navigator_layer', file: 'navigator_layer.json' });
    expect(navigator?.depends_on).toContain('attack');
    expect(components(p)).toContain('integration.attack');
  });
});

describe('constraints in plans', () => {
  it('records them in the profile and weighs the time budget', async () => {
    const roomy = await plan('Hunt for threats', { constraints: { time_budget_seconds: 600, no_network: true, max_rows: 1000 } });
    expect(roomy.profile.constraints).toEqual({ time_budget_seconds: 600, no_network: true, max_rows: 1000 });
    expect(roomy.confidence.reasons.some((r) => r.includes('within the time budget of 600 s'))).toBe(true);
    expect(roomy.confidence.reasons.some((r) => r.startsWith('no_network recorded'))).toBe(true);
    expect(roomy.confidence.reasons.some((r) => r.startsWith('max_rows 1000 recorded'))).toBe(true);

    const tight = await plan('Hunt for threats', { constraints: { time_budget_seconds: 0.001 } });
    expect(tight.confidence.reasons.some((r) => r.includes('overruns the time budget of 0.001 s'))).toBe(true);
    expect(tight.confidence.score).toBeLessThan(roomy.confidence.score);
    expect(tight.fingerprint).not.toBe(roomy.fingerprint);
  });

  it('refuses invalid constraints from a library caller as a UsageError', async () => {
    // What a JavaScript caller without types could pass.
    const constraints = JSON.parse('{"max_rows": -5}') as Constraints;
    const error = await rejectionOf(plan('Hunt for threats', { constraints }), UsageError);
    expect(error.message).toContain('max_rows');
  });
});

describe('the profile in saved plans', () => {
  it('passes the plan schema with the new fields, and a plan saved before they existed still loads', async () => {
    const p = await plan('Hunt for threats, no ML, in the last 24 hours', { constraints: { max_rows: 5 } });
    expect(workflowPlanSchema.safeParse(JSON.parse(JSON.stringify(p))).success).toBe(true);
    const { excluded: _e, requests: _r, constraints: _c, corrections: _k, ...before } = p.profile;
    const loaded = validatePlan(JSON.parse(JSON.stringify({ ...p, profile: before })), registry);
    expect(loaded.profile).toMatchObject({ excluded: [], requests: [], constraints: {}, corrections: [] });
  });

  it('records the misspelt words it read as others', async () => {
    const p = await plan('Anaylze the firewall export for threts');
    expect(p.profile.corrections).toEqual([
      { from: 'anaylze', to: 'analyze' },
      { from: 'threts', to: 'threats' },
    ]);
    expect(p.confidence.reasons).toContain('read misspelt words as: "anaylze" as "analyze", "threts" as "threats"');
  });
});
