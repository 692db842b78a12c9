// Shared by the pattern tests: loads a fixture of test/fixtures/analysis/ as a table (DuckDB's own CSV reader, so
// these tests do not depend on the CSV importer) and reads a run's findings back with the rows they point at.
import { fileURLToPath } from 'node:url';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import { quoteLiteral } from '../../../src/data/sql-text.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { findingsOf, type ComponentHarness } from '../../helpers/component-harness.js';

export const ANALYSIS_FIXTURES = fileURLToPath(new URL('../../fixtures/analysis/', import.meta.url));

export function fixturePath(name: string): string {
  return `${ANALYSIS_FIXTURES}${name}`;
}

export async function loadFixture(harness: ComponentHarness, table: string, file: string, where = 'true'): Promise<DatasetHandle> {
  return harness.table(table, `SELECT * FROM read_csv(${quoteLiteral(fixturePath(file))}) WHERE ${where}`);
}

export async function runPatterns(harness: ComponentHarness, dataset: DatasetHandle, params: Parameters<typeof harness.run<typeof patternAnalysis.params>>[2] = {}): Promise<ComponentOutput> {
  return harness.run(patternAnalysis, { datasets: [dataset] }, params);
}

export interface FindingRow {
  readonly row_id: number | null;
  readonly label: string;
  readonly entity: string | null;
  readonly score: number;
  readonly evidence: Record<string, unknown>;
}

/** The findings with a label, evidence parsed: rows first (by row), then the findings about the data. */
export async function findingsWith(harness: ComponentHarness, output: ComponentOutput, label: string): Promise<FindingRow[]> {
  const rows: PlainRow[] = await harness.sql.all(`SELECT * FROM "${findingsOf(output).table}" WHERE label = $1 ORDER BY row_id NULLS LAST, entity`, [label]);
  return rows.map((r) => ({
    row_id: r['row_id'] === null ? null : Number(r['row_id']),
    label: plainText(r['label']),
    entity: r['entity'] === null ? null : plainText(r['entity']),
    score: Number(r['score']),
    evidence: JSON.parse(plainText(r['detail'])) as Record<string, unknown>,
  }));
}

export async function labelsOf(harness: ComponentHarness, output: ComponentOutput): Promise<string[]> {
  const rows = await harness.sql.all(`SELECT DISTINCT label FROM "${findingsOf(output).table}" ORDER BY label`);
  return rows.map((r) => plainText(r['label']));
}
