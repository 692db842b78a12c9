// Shared set-up for the validation tests: the firewall export with known problems, imported as the CLI would, and the
// violations a validation step listed, in row order, as an analyst would read them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentOutput } from '../../src/components/component.js';
import { csvImport } from '../../src/components/import/csv.js';
import { violationsRelation } from '../../src/components/violations.js';
import type { DatasetHandle } from '../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from './component-harness.js';

export const VALIDATION_FIXTURES = fileURLToPath(new URL('../fixtures/validation/', import.meta.url));

export interface Violation {
  row: number | null;
  rule: string;
  column: string | null;
  severity: string;
  value: string | null;
  message: string;
}

export async function openFirewall(): Promise<{ harness: ComponentHarness; dataset: DatasetHandle }> {
  const harness = await ComponentHarness.open({ baseDir: VALIDATION_FIXTURES });
  const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['firewall-events.csv'] }));
  return { harness, dataset };
}

/** The violations a step listed, in row order then rule. */
export async function violationsOf(harness: ComponentHarness, output: ComponentOutput): Promise<Violation[]> {
  const rows = await harness.sql.all(`SELECT "row", rule, "column", severity, value, message FROM ${violationsRelation([findingsOf(output).table])} ORDER BY "row" NULLS FIRST, rule, "column"`);
  return rows as unknown as Violation[];
}

/** Rows (1-based) listed for one rule. */
export function rowsFor(violations: readonly Violation[], rule: string): (number | null)[] {
  return violations.filter((v) => v.rule === rule).map((v) => v.row);
}

/** Writes a spec file into the harness's output folder (its base for relative paths is the fixtures folder). */
export async function writeSpec(harness: ComponentHarness, name: string, text: string): Promise<string> {
  const path = join(harness.outputDir, name);
  await writeFile(path, text, 'utf8');
  return path;
}
