import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { statisticsAnalysis } from '../../../src/components/analysis/statistics.js';
import { csvImport } from '../../../src/components/import/csv.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { chooseBucket } from '../../../src/components/analysis/statistics/time-histogram.js';
import { quoteLiteral } from '../../../src/data/sql-text.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { fixturePath } from './pattern-fixtures.js';

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
const mean = (values: readonly number[]): number => sum(values) / values.length;

/** Sample standard deviation, as by hand. */
function stddev(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(sum(values.map((v) => (v - m) ** 2)) / (values.length - 1));
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const [mx, my] = [mean(x), mean(y)];
  const cov = sum(x.map((v, i) => (v - mx) * ((y[i] ?? 0) - my)));
  return cov / Math.sqrt(sum(x.map((v) => (v - mx) ** 2)) * sum(y.map((v) => (v - my) ** 2)));
}

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

  it('gives the standard deviation, the quartiles and the null count of a measure', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {});
    const bytes = statsOf(output, 'bytes');
    expect(bytes['stddev']).toBeCloseTo(stddev(BYTES), 1); // 24689.7
    // Quartiles (exact below exact_max_rows, interpolated): between the neighbouring values of the sorted column.
    expect(Number(bytes['q50'])).toBeGreaterThanOrEqual(1500);
    expect(Number(bytes['q50'])).toBeLessThanOrEqual(2750);
    expect(Number(bytes['q25'])).toBeLessThanOrEqual(Number(bytes['q50']));
    expect(Number(bytes['q75'])).toBeGreaterThanOrEqual(Number(bytes['q50']));
    expect(statsOf(output, 'duration_ms')).toMatchObject({ count: 11, nulls: 1 });
    expect(statsOf(output, 'host')).toMatchObject({ count: 12, nulls: 0, distinct: 4, min: 'SRV-DC02', max: 'WS-1270', mean: null });
  });

  it('correlates the measure columns over the rows where both are present', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {});
    const correlation = output.summary?.['correlation'] as { columns: string[]; matrix: (number | null)[][]; strongest: { a: string; b: string; r: number }[] };
    expect(correlation.columns).toEqual(['bytes', 'duration_ms']);
    const both = BYTES.map((b, i) => [b, i < 7 ? DURATIONS[i] : i === 7 ? null : DURATIONS[i - 1]] as const).filter((p): p is readonly [number, number] => p[1] !== null && p[1] !== undefined);
    const r = pearson(both.map((p) => p[0]), both.map((p) => p[1]));
    expect(correlation.matrix[0]?.[0]).toBe(1);
    expect(correlation.matrix[0]?.[1]).toBeCloseTo(r, 3);
    expect(correlation.matrix[1]?.[0]).toBe(correlation.matrix[0]?.[1]);
    expect(correlation.strongest).toEqual([{ a: 'bytes', b: 'duration_ms', r: correlation.matrix[0]?.[1] }]);
  });

  it('counts events per minute over the hour of transfers.csv, empty minutes as 0', async () => {
    const output = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {});
    const histogram = output.summary?.['time_histogram'] as { column: string; bucket: string; from: string; to: string; counts: { start: string; count: number }[] };
    expect(histogram).toMatchObject({ column: 'timestamp', bucket: 'minute', from: '2026-03-02T08:00:12Z', to: '2026-03-02T08:59:59Z' });
    expect(histogram.counts).toHaveLength(60);
    expect(histogram.counts[0]).toEqual({ start: '2026-03-02T08:00:00Z', count: 1 });
    expect(histogram.counts[1]).toEqual({ start: '2026-03-02T08:01:00Z', count: 0 });
    expect(sum(histogram.counts.map((c) => c.count))).toBe(12);
  });

  it('chooses 5-minute buckets for the 6 hours of beaconing.csv: 73 of them, 1,681 events', async () => {
    const beacons = await harness.table('beacons', `SELECT * FROM read_csv(${quoteLiteral(fixturePath('beaconing.csv'))})`);
    const output = await harness.run(statisticsAnalysis, { datasets: [beacons] }, {});
    const histogram = output.summary?.['time_histogram'] as { bucket: string; counts: { count: number }[] };
    expect(histogram.bucket).toBe('5 minutes');
    expect(histogram.counts.length).toBeLessThanOrEqual(73);
    expect(sum(histogram.counts.map((c) => c.count))).toBe(1681);
  });

  it('keeps the histogram within 200 buckets whatever the span', () => {
    expect(chooseBucket(2 * 3600, 200)).toEqual({ name: 'minute', seconds: 60 });
    expect(chooseBucket(5 * 3600, 200)).toEqual({ name: '5 minutes', seconds: 300 });
    expect(chooseBucket(3 * 86_400, 200)).toEqual({ name: 'hour', seconds: 3600 });
    expect(chooseBucket(30 * 86_400, 200)).toEqual({ name: '6 hours', seconds: 21_600 });
    expect(chooseBucket(100 * 86_400, 200)).toEqual({ name: 'day', seconds: 86_400 });
    expect(chooseBucket(3 * 365 * 86_400, 200)).toEqual({ name: 'week', seconds: 604_800 });
    expect(chooseBucket(10 * 365 * 86_400, 200)).toEqual({ name: '3 weeks', seconds: 3 * 604_800 });
  });
});
