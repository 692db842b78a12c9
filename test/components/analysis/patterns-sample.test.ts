import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ABOVE_ROWS, sampleOf } from '../../../src/components/analysis/patterns/detector.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, findingsOf } from '../../helpers/component-harness.js';
import { runPatterns } from './pattern-fixtures.js';

/**
 * Tables above SAMPLE_ABOVE_ROWS rows take their medians from a sample; the same file must give the same findings on
 * every run (a seeded system sample did not on 2 threads).
 */
describe('analysis.patterns on a sampled table', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  const rows = 3 * SAMPLE_ABOVE_ROWS;
  beforeAll(async () => {
    harness = await ComponentHarness.open();
    // Log-normal-ish byte counts from 40 hosts, every value a deterministic function of the row number.
    dataset = await harness.table(
      'sampled',
      `SELECT TIMESTAMPTZ '2026-03-02 00:00:00+00' + to_seconds(i) AS timestamp, '10.0.0.' || (hash(i * 7) % 40) AS src_ip,
              CAST(exp(7 + 2 * ((hash(i) % 1000) / 1000.0 - 0.5)) + CASE WHEN i % 50000 = 7 THEN 1e9 ELSE 0 END AS BIGINT) AS bytes_sent
       FROM range(${rows}) AS r(i)`,
    );
  });
  afterAll(async () => {
    await harness.close();
  });

  it('samples about SAMPLE_ABOVE_ROWS rows, the same ones every time', async () => {
    const sample = sampleOf({ table: `"${dataset.table}"`, rowId: `"${dataset.rowId}"`, rowCount: rows });
    const count = Number(await harness.sql.scalar(`SELECT count(*) FROM ${sample}`));
    expect(count).toBeGreaterThan(0.95 * SAMPLE_ABOVE_ROWS);
    expect(count).toBeLessThan(1.05 * SAMPLE_ABOVE_ROWS);
    const ids = async (): Promise<string> => plainText(await harness.sql.scalar(`SELECT bit_xor(hash(timestamp)) FROM ${sample}`));
    expect(await ids()).toBe(await ids());
    expect(sampleOf({ table: '"small"', rowId: '"rowid"', rowCount: SAMPLE_ABOVE_ROWS })).toBe('"small"');
  });

  it('finds the same outliers, with the same scores, on every run', async () => {
    const findings = async (): Promise<string> => {
      const output = await runPatterns(harness, dataset, { detectors: ['outliers', 'entity_outliers'] });
      const rowsOut = await harness.sql.all(`SELECT row_id, label, score, detail FROM "${findingsOf(output).table}" ORDER BY ALL`);
      return JSON.stringify(rowsOut, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    };
    const first = await findings();
    // The twelve planted 1 GB transfers are found.
    expect((first.match(/"outlier:bytes_sent"/g) ?? []).length).toBeGreaterThanOrEqual(12);
    for (let run = 0; run < 3; run += 1) expect(await findings()).toBe(first);
  });
});
