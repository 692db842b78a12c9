import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { defineComponent } from '../../src/components/component.js';
import { Capability } from '../../src/model/capability.js';
import { ComponentType, Complexity } from '../../src/model/component-kind.js';
import { INTENT_THRESHOLD } from '../../src/planner/classify-intents.js';
import { explainPlan } from '../../src/planner/explain-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'components');

describe('explainPlan', () => {
  it('says why each step is there, with the alternatives the registry offered and their scores', async () => {
    const registry = createBuiltInRegistry();
    // A second, more complex provider of anomaly detection: the planner keeps the simpler one and explain shows both.
    registry.register(
      defineComponent({
        id: 'analysis.deep-anomalies',
        version: '1',
        type: ComponentType.ANALYSIS,
        complexity: Complexity.COMPLEX,
        title: 'Deep anomalies',
        description: 'A heavier anomaly detector used to test explanations.',
        capabilities: [Capability.anomalyDetection],
        consumes: ['dataset'],
        produces: ['findings'],
        order: 10,
        params: z.object({}),
        estimateMs: () => 1,
        run: () => Promise.reject(new Error('not run in this test')),
      }),
    );
    const plan = await planWorkflow({ problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['firewall.csv'], outputs: ['enriched_data'], baseDir: FIXTURES }, registry);
    const explanation = explainPlan(plan, registry, INTENT_THRESHOLD);

    expect(explanation.intents[0]).toMatchObject({ intent: 'threat_hunting', acted_on: true });
    const patterns = explanation.steps.find((s) => s.node === 'patterns');
    expect(patterns?.alternatives['anomaly-detection']).toEqual([
      { component: 'analysis.patterns', complexity: 'MODERATE', score: 1, chosen: true },
      { component: 'analysis.deep-anomalies', complexity: 'COMPLEX', score: 0.85, chosen: false },
    ]);
    expect(patterns?.loop).toMatch(/^outlier_threshold adjusted \(x0\.8\) until \(self\.summary\.flagged_rows > 0\) or \(self\.summary\.outlier_columns_judged = 0\), at most 3 runs$/);
    expect(explanation.steps.find((s) => s.node === 'ioc-match')?.condition).toContain('import.dataset.roles contains "ip"');
    expect(explanation.steps.find((s) => s.node === 'enrich')).toMatchObject({ stage: 3, mode: 'sequential', depends_on: ['import', 'patterns', 'ioc-match'] });
    expect(explanation.steps.find((s) => s.node === 'import')?.adaptations[0]).toMatch(/^on failure: retry/);
    expect(explanation.confidence.reasons.length).toBeGreaterThan(0);
  });
});
