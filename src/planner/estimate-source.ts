// What the planner asks of learned estimates (engine/learned-estimates.ts implements it): a component's time for an
// input size, from measured runs when there are enough of them, else the component's own estimate.
import type { InputSize } from '../components/component.js';
import type { PlanNode } from '../model/workflow-plan.js';
import type { ComponentRegistry } from '../components/registry.js';

export interface EstimateSource {
  /** Milliseconds for `componentId` on an input of `size`; `fallback` (the component's own estimate) when unsure. */
  estimateFor(componentId: string, size: InputSize, fallback: number): number;
}

/**
 * Sets each node's estimate from the component's own estimate, adjusted by what runs have measured. Idempotent: the
 * fallback is always the component's own figure, so applying it twice (here and in assemble) changes nothing.
 */
export function applyEstimates(nodes: readonly PlanNode[], size: InputSize, registry: ComponentRegistry, estimates: EstimateSource | undefined): void {
  for (const node of nodes) {
    const own = registry.get(node.component).estimateMs(size);
    node.estimated_ms = Math.round(estimates === undefined ? own : estimates.estimateFor(node.component, size, own));
  }
}
