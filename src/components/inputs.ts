// Small guards over a step's inputs: the planner wires them, but a hand-edited plan may not.
import type { DatasetHandle } from '../model/dataset.js';
import { PlanError } from '../model/errors/plan-error.js';
import { quoteIdent } from '../data/sql-text.js';
import type { ComponentContext, ComponentInputs } from './component.js';
import { unionFindings } from './findings-table.js';

export function requireDataset(inputs: ComponentInputs, componentId: string): DatasetHandle {
  const dataset = inputs.datasets.at(-1);
  if (dataset === undefined) {
    throw new PlanError('missing-input', `${componentId} needs a dataset from an earlier step, and none is wired to it`, 'let the planner build the plan, or add an import step before it');
  }
  return dataset;
}

/** What an export writes: the latest dataset, or every finding of the run in one table (findings tables share one shape). */
export async function exportSource(context: ComponentContext, inputs: ComponentInputs, source: 'dataset' | 'findings', componentId: string): Promise<DatasetHandle> {
  if (source === 'dataset') return requireDataset(inputs, componentId);
  if (inputs.findings.length === 0) {
    throw new PlanError('missing-input', `${componentId} was asked for findings, and no analysis step produces them in this plan`, 'ask for an analysis (threats, anomalies, indicators) in the problem');
  }
  const first = inputs.findings[0];
  if (inputs.findings.length === 1 && first !== undefined) return first;
  const table = context.tableName('all_findings');
  await context.sql.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM ${unionFindings(inputs.findings.map((f) => f.table))} AS f ORDER BY row_id NULLS LAST, kind, label`, [], context.signal);
  return context.describe(table, inputs.findings.flatMap((f) => f.sources));
}
