// Benchmark answers are not anomaly evidence (QA: on NSL-KDD, `outlier:difficulty` flagged 788 rows and `rare:label`
// 40: the benchmark's difficulty annotation and the ground-truth label read back as findings). Pattern analysis
// leaves out the columns processing.classify leaves out of its features: labels, difficulty, earlier predictions.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { csvImport } from '../../../src/components/import/csv.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { labelsOf, runPatterns } from './pattern-fixtures.js';

const KDD = fileURLToPath(new URL('../../fixtures/ml/nsl-kdd-2500.csv', import.meta.url));

let harness: ComponentHarness;
let dataset: DatasetHandle;
let output: ComponentOutput;
let labels: string[];
beforeAll(async () => {
  harness = await ComponentHarness.open();
  dataset = datasetOf(await harness.run(csvImport, {}, { paths: [KDD] }));
  output = await runPatterns(harness, dataset, {});
  labels = await labelsOf(harness, output);
});
afterAll(async () => {
  await harness.close();
});

describe('analysis.patterns on NSL-KDD with its header', () => {
  it('imports label as a label and difficulty as a number', () => {
    expect(dataset.rowCount).toBe(2500);
    expect(dataset.columns.find((c) => c.name === 'label')?.role).toBe('label');
    expect(dataset.columns.find((c) => c.name === 'difficulty')?.sqlType).toMatch(/INT/);
  });

  it('reads neither the ground-truth label nor the difficulty annotation', () => {
    expect(output.summary?.['measure_columns']).not.toContain('difficulty');
    expect(output.summary?.['category_columns']).not.toContain('label');
    expect(labels.filter((l) => /:(label|difficulty)$/.test(l))).toEqual([]);
  });

  it('still judges the traffic columns', () => {
    expect(output.summary?.['measure_columns']).toEqual(expect.arrayContaining(['src_bytes', 'dst_bytes']));
    expect(labels.length).toBeGreaterThan(0);
  });

  it('leaves out an earlier classification\'s output columns too', async () => {
    const classified = await harness.table(
      'kdd_classified',
      `SELECT *, CASE WHEN rowid % 97 = 0 THEN 'normal' ELSE 'neptune' END AS predicted_label, (rowid % 1000) / 1000.0 + CASE WHEN rowid = 7 THEN 500 ELSE 0 END AS anomaly_score FROM "${dataset.table}"`,
    );
    const again = await runPatterns(harness, classified, { detectors: ['outliers', 'rare_values'] });
    const used = [...(again.summary?.['measure_columns'] as string[]), ...(again.summary?.['category_columns'] as string[])];
    expect(used.filter((c) => ['predicted_label', 'anomaly_score', 'label', 'difficulty'].includes(c))).toEqual([]);
  });
});
