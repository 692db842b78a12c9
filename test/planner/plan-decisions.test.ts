// The component choices in the session log carry what `cs-helper explain` shows for them: the chosen component's score
// as the decision's confidence, and the other candidates with their scores.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { defineComponent } from '../../src/components/component.js';
import { Capability } from '../../src/model/capability.js';
import { ComponentType, Complexity } from '../../src/model/component-kind.js';
import { INTENT_THRESHOLD } from '../../src/planner/classify-intents.js';
import { explainPlan } from '../../src/planner/explain-plan.js';
import { logPlanDecisions, type PlanChoices } from '../../src/planner/log-plan-decisions.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { compiledSessionSchema, type CompiledSession } from '../../src/session/compiled-session.js';
import { SessionLogger } from '../../src/session/session-logger.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'components');

/** The built-in registry and a second, more complex provider of anomaly detection, so that a choice has an alternative. */
function registryWithAlternative(): ReturnType<typeof createBuiltInRegistry> {
  const registry = createBuiltInRegistry();
  registry.register(
    defineComponent({
      id: 'analysis.deep-anomalies',
      version: '1',
      type: ComponentType.ANALYSIS,
      complexity: Complexity.COMPLEX,
      title: 'Deep anomalies',
      description: 'A heavier anomaly detector used to test the logged alternatives.',
      capabilities: [Capability.anomalyDetection],
      consumes: ['dataset'],
      produces: ['findings'],
      order: 10,
      params: z.object({}),
      estimateMs: () => 1,
      run: () => Promise.reject(new Error('not run in this test')),
    }),
  );
  return registry;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-decisions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('logPlanDecisions with the registry', () => {
  it('logs each component choice with the confidence and the scored alternatives explain shows', async () => {
    const registry = registryWithAlternative();
    const plan = await planWorkflow({ problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['firewall.csv'], outputs: ['enriched_data'], baseDir: FIXTURES }, registry);
    const explanation = explainPlan(plan, registry, INTENT_THRESHOLD);
    // The capabilities each step was chosen for, as the planner's assembly gives them (an export step: its format's).
    const choices: PlanChoices = {
      alternatives: { 'anomaly-detection': ['analysis.deep-anomalies'] },
      capabilitiesByNode: Object.fromEntries(plan.nodes.map((n) => [n.id, n.type === 'EXPORT' ? ['export-csv'] : Object.keys(explanation.steps.find((s) => s.node === n.id)?.alternatives ?? {})])),
    };

    const session = SessionLogger.start({ logDir: dir });
    logPlanDecisions(session, plan, choices, 1, { registry });
    const { path } = await session.close();
    const document: CompiledSession = compiledSessionSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    const components = document.decision_points.filter((d) => d.decision.startsWith('component for '));

    expect(components.find((d) => d.decision === 'component for anomaly-detection')).toMatchObject({
      chosen: 'analysis.patterns (step patterns)',
      confidence: 1,
      alternatives: [{ option: 'analysis.deep-anomalies', score: 0.85 }],
    });
    // Every choice explain scores is logged with explain's numbers, none with a null confidence.
    let scored = 0;
    for (const step of explanation.steps) {
      for (const [capability, candidates] of Object.entries(step.alternatives)) {
        const logged = components.find((d) => d.decision === `component for ${capability}` && d.chosen === `${step.component} (step ${step.node})`);
        expect(logged, `${step.node} ${capability}`).toMatchObject({
          confidence: candidates.find((c) => c.chosen)?.score,
          alternatives: candidates.filter((c) => !c.chosen).map((c) => ({ option: c.component, score: c.score })),
        });
        scored += 1;
      }
    }
    expect(scored).toBeGreaterThanOrEqual(3);
    // An export step, which explain does not score, keeps its decision as before.
    expect(components.find((d) => d.decision === 'component for export-csv')).toMatchObject({ confidence: null, alternatives: [] });
  });
});
