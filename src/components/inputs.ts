// Small guards over a step's inputs: the planner wires them, but a hand-edited plan may not.
import type { DatasetHandle } from '../model/dataset.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { ComponentInputs } from './component.js';

export function requireDataset(inputs: ComponentInputs, componentId: string): DatasetHandle {
  const dataset = inputs.datasets.at(-1);
  if (dataset === undefined) {
    throw new PlanError('missing-input', `${componentId} needs a dataset from an earlier step, and none is wired to it`, 'let the planner build the plan, or add an import step before it');
  }
  return dataset;
}
