// Fills each step's parameters from its component's schema (defaults included), refusing what the schema refuses.
import type { ComponentRegistry } from '../components/registry.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

export function withParameterDefaults(plan: WorkflowPlan, registry: ComponentRegistry): WorkflowPlan {
  for (const node of plan.nodes) {
    const parsed = registry.get(node.component).params.safeParse(node.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PlanError('invalid-plan', `step '${node.id}' (${node.component}): parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    node.params = parsed.data as Record<string, unknown>;
  }
  return plan;
}
