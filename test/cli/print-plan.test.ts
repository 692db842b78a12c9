// The printed plan says how many steps are expected from the result cache, and what each of them is expected to take.
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import type { Printer } from '../../src/cli/output-stream.js';
import { printPlan } from '../../src/cli/print-plan.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { withCachedSteps } from '../../src/planner/plan-estimate.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();

// picocolors colours the lines when CI is set, as on the CI machine: the assertions read the plain text.
function printed(plan: WorkflowPlan): string[] {
  const lines: string[] = [];
  const out: Printer = { text: (line = '') => lines.push(stripVTControlCharacters(line)), note: () => undefined, json: () => undefined };
  printPlan(plan, out);
  return lines;
}

describe('printPlan', () => {
  it('shows the estimate with the steps expected from the result cache, and nothing of the cache otherwise', async () => {
    const plan = await planWorkflow({ problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['firewall.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: FIXTURES_DIR }, registry);
    const cold = printed(plan);
    expect(cold[0]).toMatch(new RegExp(`estimated ${plan.estimated_seconds.toFixed(2)} s$`));
    expect(cold.join('\n')).not.toContain('result cache');

    const warm = withCachedSteps(plan, new Map([['import', 8], ['enrich', 9]]));
    const lines = printed(warm);
    expect(lines[0]).toContain(`estimated ${warm.estimated_seconds.toFixed(2)} s, 2 of ${plan.nodes.length} steps expected from the result cache`);
    const importLine = lines.find((l) => l.trimStart().startsWith('import '));
    expect(importLine).toContain(`~8 ms from the result cache (~${plan.nodes.find((n) => n.id === 'import')?.estimated_ms} ms to run)`);
    expect(lines.find((l) => l.trimStart().startsWith('quality '))).not.toContain('result cache');
  });
});
