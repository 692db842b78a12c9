// Small guards over a step's inputs: the planner wires them, but a hand-edited plan may not.
import { z } from 'zod';
import type { DatasetHandle } from '../model/dataset.js';
import { PlanError } from '../model/errors/plan-error.js';
import { quoteIdent, quoteLiteral } from '../data/sql-text.js';
import type { ComponentContext, ComponentInputs } from './component.js';
import { FINDING_KINDS, type FindingKind, unionFindings } from './findings-table.js';
import { violationsRelation } from './violations.js';

export function requireDataset(inputs: ComponentInputs, componentId: string): DatasetHandle {
  const dataset = inputs.datasets.at(-1);
  if (dataset === undefined) {
    throw new PlanError('missing-input', `${componentId} needs a dataset from an earlier step, and none is wired to it`, 'let the planner build the plan, or add an import step before it');
  }
  return dataset;
}

/** The parameters of an export that writes rows: which rows (`exportSource` reads them). */
export const rowSourceParams = {
  source: z.enum(['dataset', 'findings', 'violations']).default('dataset').describe('Write the data rows, the findings table, or the validation violations (row, check, rule, column, severity, value, message)'),
  kinds: z.array(z.enum(FINDING_KINDS)).min(1).optional().describe('With source findings: only findings of these kinds (ioc, anomaly, detection); all when left out'),
};

/**
 * What an export writes: the latest dataset, or the run's findings in one table (findings tables share one shape), only
 * those of `kinds` when given (an `ioc_matches` file holds indicator matches, not the rare values pattern analysis saw).
 */
export async function exportSource(context: ComponentContext, inputs: ComponentInputs, source: 'dataset' | 'findings' | 'violations', componentId: string, kinds?: readonly FindingKind[]): Promise<DatasetHandle> {
  if (source === 'dataset') return requireDataset(inputs, componentId);
  if (source === 'violations') return violationsTable(context, inputs, componentId);
  if (inputs.findings.length === 0) {
    throw new PlanError('missing-input', `${componentId} was asked for findings, and no analysis step produces them in this plan`, 'ask for an analysis (threats, anomalies, indicators) in the problem');
  }
  const first = inputs.findings[0];
  if (inputs.findings.length === 1 && first !== undefined && kinds === undefined) return first;
  const table = context.tableName('all_findings');
  const only = kinds === undefined ? '' : `WHERE kind IN (${kinds.map((k) => quoteLiteral(k)).join(', ')})`;
  await context.sql.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM ${unionFindings(inputs.findings.map((f) => f.table))} AS f ${only} ORDER BY row_id NULLS LAST, kind, label`, [], context.signal);
  return context.describe(table, inputs.findings.flatMap((f) => f.sources));
}

/** The validation steps' violations as rows an analyst reads (row from 1, check, rule, column, severity, value, message). */
async function violationsTable(context: ComponentContext, inputs: ComponentInputs, componentId: string): Promise<DatasetHandle> {
  if (inputs.findings.length === 0) {
    throw new PlanError('missing-input', `${componentId} was asked for violations, and no validation step produces them in this plan`, 'add --schema FILE or --validation-rules FILE, or ask to validate the data');
  }
  const table = context.tableName('violations');
  await context.sql.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM ${violationsRelation(inputs.findings.map((f) => f.table))} AS v ORDER BY "row" NULLS FIRST, "check", rule, "column"`, [], context.signal);
  return context.describe(table, inputs.findings.flatMap((f) => f.sources));
}
