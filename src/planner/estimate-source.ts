// What the planner asks of learned estimates (engine/learned-estimates.ts implements it): a component's time for an
// input size, from measured runs when there are enough of them, else the component's own estimate.
import type { InputSize } from '../components/component.js';
import type { PlanNode } from '../model/workflow-plan.js';
import type { ComponentRegistry } from '../components/registry.js';

export interface EstimateSource {
  /**
   * Milliseconds for `componentId` on an input of `size`; `own(size)` (the component's own estimate) when unsure. `own`
   * is also asked for the sizes of past runs, so that they are compared with the component's current formula.
   */
  estimateFor(componentId: string, size: InputSize, own: (size: InputSize) => number): number;
}

/**
 * Sets each node's estimate from the component's own estimate, adjusted by what runs have measured. Idempotent: the
 * fallback is always the component's own figure, so applying it twice (here and in assemble) changes nothing.
 */
export function applyEstimates(nodes: readonly PlanNode[], size: InputSize, registry: ComponentRegistry, estimates: EstimateSource | undefined): void {
  for (const node of nodes) {
    const component = registry.get(node.component);
    node.estimated_ms = Math.round(estimates === undefined ? component.estimateMs(size) : estimates.estimateFor(node.component, size, (s) => component.estimateMs(s)));
  }
}
