import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { statisticsAnalysis } from '../../../src/components/analysis/statistics.js';
import { csvImport } from '../../../src/components/import/csv.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

/** transfers.csv by hand: 12 transfers; duration_ms is empty on row 8. */
const BYTES = [1200, 3400, 560, 88000, 1500, 2750, 410, 9900, 1320, 640, 15000, 4300];
const DURATIONS = [120, 45, 300, 15, 80, 2200, 60, 95, 410, 30, 75];

type ColumnStats = Record<string, unknown> & { column: string };

function statsOf(output: ComponentOutput, column: string): ColumnStats {
  const columns = (output.summary?.['columns'] ?? []) as unknown as ColumnStats[];
  const found = columns.find((c) => c.column === column);
  if (found === undefined) throw new Error(`no statistics for ${column}`);
  return found;
}

function topOf(output: ComponentOutput, column: string): { value: string; count: number }[] | undefined {
  const top = output.summary?.['top_values'] as unknown as Record<string, { value: string; count: number }[]>;
  return top[column];
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('analysis.statistics', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['transfers.csv'] }));
  });
  afterEach(async () => {
    await harness.close();
  });

  it('gives count, min, max and mean of numeric columns as computed by hand', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {});

    const bytes = statsOf(output, 'bytes');
    expect(bytes['count']).toBe(12);
    expect(Number(bytes['min'])).toBe(410);
    expect(Number(bytes['max'])).toBe(88000);
    expect(bytes['mean']).toBeCloseTo(sum(BYTES) / 12, 3); // 10748.333
    expect(bytes['null_percentage']).toBe(0);
    expect(bytes['role']).toBe('measure');

    const duration = statsOf(output, 'duration_ms');
    expect(Number(duration['min'])).toBe(15);
    expect(Number(duration['max'])).toBe(2200);
    // The mean is over the 11 present values; the empty one is a null, not a zero.
    expect(duration['mean']).toBeCloseTo(sum(DURATIONS) / 11, 3); // 311.818
    expect(duration['null_percentage']).toBeCloseTo(100 / 12, 1);

    expect(output.summary?.['rows']).toBe(12);
    expect(output.rowsIn).toBe(12);
  });

  it('lists top values most frequent first, ties by value, with their counts', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {});

    expect(topOf(output, 'protocol')).toEqual([
      { value: 'TCP', count: 7 },
      { value: 'UDP', count: 4 },
      { value: 'ICMP', count: 1 },
    ]);
    expect(topOf(output, 'host')).toEqual([
      { value: 'WS-0142', count: 5 },
      { value: 'SRV-DC02', count: 3 },
      { value: 'WS-1270', count: 3 },
      { value: 'WS-0007', count: 1 },
    ]);
    // Measures have no top values.
    expect(topOf(output, 'bytes')).toBeUndefined();
  });

  it('keeps only as many top values as asked', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [dataset] }, { top: 2 });
    expect(topOf(output, 'host')).toEqual([
      { value: 'WS-0142', count: 5 },
      { value: 'SRV-DC02', count: 3 },
    ]);
  });

  it('logs an analyse data operation over the rows and columns', async () => {
    await harness.run(statisticsAnalysis, { datasets: [dataset] }, {});
    expect(harness.log.dataOperations).toContainEqual(expect.objectContaining({ operation: 'analyse', rows: 12, columns: ['timestamp', 'host', 'protocol', 'bytes', 'duration_ms'] }));
  });
});
