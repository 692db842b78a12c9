import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

/**
 * outbound-hourly.csv: 66 outbound connections from three hosts on 2026-03-02.
 * - bytes_out is log-normal around 1.5 kB (sigma 0.35) except one transfer of 4.8 GB from 10.20.12.214 at 11:44.
 * - pkt_len is 1500 on two rows of three (MAD 0), with a 65000 among the rest.
 * - action is allow, deny four times, and drop once.
 * - 10.20.11.87 sends 3 connections an hour from 08:00 to 14:59, then 30 in the 15:00 hour.
 */
describe('analysis.patterns', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  let output: ComponentOutput;
  let findings: PlainRow[];

  beforeAll(async () => {
    harness = await ComponentHarness.open();
    dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['outbound-hourly.csv'] }));
    output = await harness.run(patternAnalysis, { datasets: [dataset] }, {});
    findings = await harness.sql.all(
      `SELECT f.*, d.src_ip, d.action, d.bytes_out, d.pkt_len FROM "${findingsOf(output).table}" f LEFT JOIN "${dataset.table}" d ON d.rowid = f.row_id ORDER BY f.label, f.row_id`,
    );
  });
  afterAll(async () => {
    await harness.close();
  });

  const withLabel = (label: string): PlainRow[] => findings.filter((f) => f['label'] === label);

  it('flags exactly the one huge transfer as an outlier of bytes_out', () => {
    const outliers = withLabel('outlier:bytes_out');
    expect(outliers.map((f) => [f['src_ip'], f['bytes_out']])).toEqual([['10.20.12.214', 4_800_000_000]]);
    const [outlier] = outliers;
    expect(outlier?.['kind']).toBe('anomaly');
    expect(outlier?.['source']).toBe('analysis.patterns');
    expect(Number(outlier?.['score'])).toBeGreaterThanOrEqual(15);
    expect(Number(outlier?.['score'])).toBeLessThanOrEqual(30);
    const detail = JSON.parse(plainText(outlier?.['detail'])) as { column: string; value: number; z: number };
    expect(detail.column).toBe('bytes_out');
    expect(detail.value).toBe(4_800_000_000);
    expect(detail.z).toBeGreaterThan(4.5);
  });

  it('finds no outliers in a column whose MAD is 0, however extreme a value', () => {
    // pkt_len was judged (it is a measure column) but has no spread to judge by.
    expect(output.summary?.['measure_columns']).toEqual(['bytes_out', 'pkt_len']);
    expect(withLabel('outlier:pkt_len')).toEqual([]);
    expect(findings.some((f) => f['pkt_len'] === 65000)).toBe(false);
  });

  it('looks for rare values only in columns with at most max_categories distinct values, counted exactly', async () => {
    // action has exactly three distinct values (allow, deny, drop).
    const atLimit = await harness.run(patternAnalysis, { datasets: [dataset] }, { detectors: ['rare_values'], max_categories: 3 });
    expect(atLimit.summary?.['rare_values']).toBe(1);
    const belowLimit = await harness.run(patternAnalysis, { datasets: [dataset] }, { detectors: ['rare_values'], max_categories: 2 });
    expect(belowLimit.summary?.['rare_values']).toBe(0);
  });

  it('flags the rows of a rare categorical value, and not the common ones', () => {
    const rare = withLabel('rare:action');
    expect(rare.map((f) => [f['action'], f['entity'], f['src_ip']])).toEqual([['drop', 'drop', '10.20.11.87']]);
    expect(rare[0]?.['score']).toBe(10);
    expect(JSON.parse(plainText(rare[0]?.['detail']))).toEqual({ column: 'action', value: 'drop', count: 1 });
  });

  it('reports the hour with ten times the usual volume as a spike about the data, with no row', () => {
    const spikes = withLabel('spike:src_ip');
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toEqual(expect.objectContaining({ row_id: null, kind: 'anomaly', entity: '10.20.11.87', score: 0 }));
    expect(JSON.parse(plainText(spikes[0]?.['detail']))).toEqual({ column: 'src_ip', hour: '2026-03-02T15:00:00Z', events: 30, usual_per_hour: 3 });
    expect(output.summary?.['spikes']).toEqual([{ entity: '10.20.11.87', hour: '2026-03-02T15:00:00Z', events: 30, usual: 3 }]);
  });

  it('summarises what it found and the rows it flagged', () => {
    expect(output.summary).toEqual(expect.objectContaining({ outliers: 1, rare_values: 1, flagged_rows: 2, category_columns: ['action'] }));
    // No finding is left without a label the user can read.
    expect(findings.every((f) => /^(outlier|rare|spike):/.test(plainText(f['label'])))).toBe(true);
    expect(findings).toHaveLength(3);
    expect(output.rowsIn).toBe(66);
    expect(output.rowsOut).toBe(3);
    expect(harness.log.dataOperations).toContainEqual(
      expect.objectContaining({
        operation: 'analyse',
        rows: 66,
        detail: { outliers: 1, entity_outliers: 0, rare_values: 1, spike_count: 1, beaconing_pairs: 0, brute_force_entities: 0, port_scanners: 0, web_scanners: 0, dga_domains: 0, executable_downloads: 0, new_entities: 0, flagged_rows: 2 },
      }),
    );
    expect(output.message).toBe('1 outliers, 1 rare values, 1 volume spikes (2 rows flagged)');
  });

  it('finds no spike when the burst is below the minimum number of events', async () => {
    const quiet = await harness.run(patternAnalysis, { datasets: [dataset] }, { spike_min_events: 31 });
    expect(quiet.summary?.['spikes']).toEqual([]);
  });
});
