// analysis.patterns on real Windows events (OTRF's Empire recording, its system fields): a record number is a sequence
// and a Task code a kind of event, so neither is a measure whose large values are outliers. Before, the workflow on the
// whole recording flagged 337 of its 884 events as outliers for their Task and 248 for their RecordNumber.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonImport } from '../../../src/components/import/json.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';
import { runPatterns } from './pattern-fixtures.js';

const EVENTS = fileURLToPath(new URL('../../fixtures/analysis/otrf-empire-system-fields.jsonl', import.meta.url));

let harness: ComponentHarness;
let dataset: DatasetHandle;
let labels: string[];

beforeAll(async () => {
  harness = await ComponentHarness.open();
  dataset = datasetOf(await harness.run(jsonImport, {}, { paths: [EVENTS] }));
  const output = await runPatterns(harness, dataset);
  labels = (await harness.sql.all(`SELECT DISTINCT label FROM "${findingsOf(output).table}" ORDER BY label`)).map((r) => plainText(r['label']));
}, 60_000);

afterAll(async () => {
  await harness.close();
});

describe('analysis.patterns on Windows events', () => {
  it('reads RecordNumber as an identifier and Task as a category', () => {
    const role = (name: string): string | null | undefined => dataset.columns.find((c) => c.name === name)?.role;
    expect(dataset.rowCount).toBe(442);
    expect([role('RecordNumber'), role('Task'), role('EventID')]).toEqual(['identifier', 'category', 'identifier']);
  });

  it('flags no event as an outlier for its record number or task code', () => {
    expect(labels.filter((l) => /^outlier:(RecordNumber|Task|EventRecordID|Opcode|Level|Version)$/.test(l))).toEqual([]);
  });
});
