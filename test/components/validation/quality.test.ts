import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { qualityCheck } from '../../../src/components/validation/quality.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

/**
 * quality-gaps.csv, counted by hand (20 rows):
 * - src_ip: row 14 empty; `10.20.300.87` (row 5) and `unknown` (row 11) are not IPs.
 * - dst_port: row 16 empty; 70000 (row 9) is out of range.
 * - user: row 10 is `-`, row 13 is empty.
 * - domain: empty in rows 2, 3, 5, 11, 15, 17, 18.
 * - bytes_sent: row 12 empty.
 * - rows 6-8 are one event logged three times, rows 17-18 one event twice: 3 duplicate rows, 17 distinct.
 */
const ROWS = 20;
const COMPLETENESS = { timestamp: 20 / 20, src_ip: 19 / 20, dst_port: 19 / 20, user: 18 / 20, domain: 13 / 20, bytes_sent: 19 / 20 };
const VALIDITY = { src_ip: 1 - 2 / 19, dst_port: 1 - 1 / 19, domain: 1 };

interface ColumnReport {
  column: string;
  role: string | null;
  completeness: number;
  missing: number;
  invalid: number | null;
  validity: number | null;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function columnsOf(output: ComponentOutput): ColumnReport[] {
  return (output.summary?.['columns'] ?? []) as unknown as ColumnReport[];
}

function breakdownOf(output: ComponentOutput): { completeness: number; validity: number; uniqueness: number; consistency: number } {
  return output.summary?.['breakdown'] as unknown as { completeness: number; validity: number; uniqueness: number; consistency: number };
}

describe('validation.quality', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['quality-gaps.csv'] }));
  });
  afterEach(async () => {
    await harness.close();
  });

  it('measures completeness per column as the share of non-empty values', async () => {
    const output = await harness.run(qualityCheck, { datasets: [dataset] }, {});
    const columns = columnsOf(output);

    expect(columns.map((c) => c.column)).toEqual(Object.keys(COMPLETENESS));
    for (const [name, share] of Object.entries(COMPLETENESS)) {
      const report = columns.find((c) => c.column === name);
      expect(report?.completeness, name).toBeCloseTo(share, 4);
      expect(report?.missing, name).toBe(Math.round(ROWS * (1 - share)));
    }
  });

  it('counts invalid values by column role: two bad IPs, one port out of range', async () => {
    const output = await harness.run(qualityCheck, { datasets: [dataset] }, {});
    const byName = new Map(columnsOf(output).map((c) => [c.column, c]));

    expect(byName.get('src_ip')).toEqual(expect.objectContaining({ role: 'ip', invalid: 2 }));
    expect(byName.get('dst_port')).toEqual(expect.objectContaining({ role: 'port', invalid: 1 }));
    expect(byName.get('domain')).toEqual(expect.objectContaining({ role: 'domain', invalid: 0 }));
    for (const [name, validity] of Object.entries(VALIDITY)) expect(byName.get(name)?.validity, name).toBeCloseTo(validity, 4);
    // Roles without a validity rule are not scored.
    expect(byName.get('user')).toEqual(expect.objectContaining({ invalid: null, validity: null }));
    expect(byName.get('bytes_sent')?.validity).toBeNull();
  });

  it('counts duplicated rows as the copies beyond the first', async () => {
    const output = await harness.run(qualityCheck, { datasets: [dataset] }, {});
    expect(output.summary?.['rows']).toBe(ROWS);
    expect(output.summary?.['duplicate_rows']).toBe(3);
    expect(breakdownOf(output).uniqueness).toBeCloseTo(17 / 20, 4);
  });

  it('gives a 0-100 score that follows from the breakdown and the default weights', async () => {
    const output = await harness.run(qualityCheck, { datasets: [dataset] }, {});
    const breakdown = breakdownOf(output);
    const completeness = Object.values(COMPLETENESS).reduce((a, b) => a + b, 0) / 6;
    const validity = Object.values(VALIDITY).reduce((a, b) => a + b, 0) / 3;

    expect(breakdown.completeness).toBeCloseTo(completeness, 4);
    expect(breakdown.validity).toBeCloseTo(validity, 4);
    const score = output.summary?.['score'];
    // Nothing in this file is inconsistent (one type per column, no timestamp from the future or out of order).
    expect(breakdown.consistency).toBe(1);
    expect(score).toBe(Math.round(100 * (0.35 * completeness + 0.35 * validity + 0.15 * (17 / 20) + 0.15 * 1)));
    expect(score).toBe(92);
    expect(output.message).toContain('quality score 92/100');
    expect(harness.log.dataOperations).toContainEqual(expect.objectContaining({ operation: 'validate', rows: ROWS, detail: expect.objectContaining({ score: 92, duplicates: 3 }) as unknown }));
  });

  it('weighs the measures as told', async () => {
    const completenessOnly = await harness.run(qualityCheck, { datasets: [dataset] }, { weights: { completeness: 1, validity: 0, uniqueness: 0, consistency: 0 } });
    expect(completenessOnly.summary?.['score']).toBe(90);
    const uniquenessOnly = await harness.run(qualityCheck, { datasets: [dataset] }, { weights: { completeness: 0, validity: 0, uniqueness: 2, consistency: 0 } });
    expect(uniquenessOnly.summary?.['score']).toBe(85);
  });

  it('counts as duplicates only rows equal in every column, not rows that share their numbers and times', async () => {
    // Rows 1-2 share time, port and bytes but not the user; rows 3-4 are equal in every column; row 5 differs in all.
    const events = await harness.table(
      'same_numbers',
      `SELECT * FROM (VALUES
         (TIMESTAMPTZ '2026-03-02 10:00:00+00', 443, 1200, 'alice'), (TIMESTAMPTZ '2026-03-02 10:00:00+00', 443, 1200, 'bob'),
         (TIMESTAMPTZ '2026-03-02 10:00:05+00', 22, 80, 'carol'), (TIMESTAMPTZ '2026-03-02 10:00:05+00', 22, 80, 'carol'),
         (TIMESTAMPTZ '2026-03-02 10:00:09+00', 80, 512, 'dave')) AS t(timestamp, dst_port, bytes_sent, "user")`,
    );
    const output = await harness.run(qualityCheck, { datasets: [events] }, {});
    expect(output.summary?.['duplicate_rows']).toBe(1);
    const distinctNumbers = await harness.table('distinct_numbers', `SELECT * FROM same_numbers WHERE "user" <> 'carol'`);
    expect((await harness.run(qualityCheck, { datasets: [distinctNumbers] }, {})).summary?.['duplicate_rows']).toBe(0);
  });

  it('counts and lists the rows that step back in time, in file order', async () => {
    // Twenty events a minute apart (10:00 to 10:19), except row 5 (10:01:30, after 10:03) and row 20 (10:00, after 10:18).
    const minutes = Array.from({ length: 20 }, (_, i) => `10:${String(i).padStart(2, '0')}:00`);
    minutes[4] = '10:01:30';
    minutes[19] = '10:00:00';
    const events = await harness.table('steps_back', `SELECT * FROM (VALUES ${minutes.map((m, i) => `(TIMESTAMPTZ '2026-03-02 ${m}+00', ${i})`).join(', ')}) AS t(timestamp, seq)`);
    const output = await harness.run(qualityCheck, { datasets: [events] }, { reference_time: '2026-03-03T00:00:00Z' });
    expect((output.summary?.['consistency'] as Record<string, unknown>)['out_of_order']).toEqual({ column: 'timestamp', rows: 2, share: round4(2 / 19), expected_ordered: true });
    const listed = await harness.sql.all(`SELECT row_id, entity, json_extract_string(detail, '$.message') AS message FROM "${findingsOf(output).table}" WHERE label = 'out_of_order' ORDER BY row_id`);
    expect(listed.map((r) => [Number(r['row_id']), r['entity'], r['message']])).toEqual([
      [4, '2026-03-02T10:01:30Z', 'earlier than the row before it (2026-03-02T10:03:00Z)'],
      [19, '2026-03-02T10:00:00Z', 'earlier than the row before it (2026-03-02T10:18:00Z)'],
    ]);
  });

  it('finds the steps back in time of a table read on several threads, where rows are compared in file order without a sort', async () => {
    // 600k rows a second apart (five row groups, scanned in parallel), with three planted steps back. The check reads
    // the table in scan order through an empty OVER (): a read out of order would report many more, or other rows.
    const planted = [150_001, 400_000, 599_999];
    const events = await harness.table(
      'long_run',
      `SELECT TIMESTAMPTZ '2026-03-02 00:00:00+00' + to_seconds(CASE WHEN i IN (${planted.join(', ')}) THEN i - 10 ELSE i END) AS timestamp, i AS seq FROM range(600000) AS r(i)`,
    );
    const output = await harness.run(qualityCheck, { datasets: [events] }, { reference_time: '2026-03-30T00:00:00Z' });
    expect((output.summary?.['consistency'] as Record<string, unknown>)['out_of_order']).toMatchObject({ column: 'timestamp', rows: 3 });
    const listed = await harness.sql.all(`SELECT row_id FROM "${findingsOf(output).table}" WHERE label = 'out_of_order' ORDER BY row_id`);
    expect(listed.map((r) => Number(r['row_id']))).toEqual(planted);
  });

  it('scores a clean dataset 100, with no duplicates', async () => {
    const clean = await harness.table('clean', `SELECT * FROM (VALUES ('10.0.0.1', 443), ('10.0.0.2', 80), ('10.0.0.3', 22)) AS t(src_ip, dst_port)`);
    const output = await harness.run(qualityCheck, { datasets: [clean] }, {});
    expect(output.summary?.['score']).toBe(100);
    expect(output.summary?.['duplicate_rows']).toBe(0);
  });
});
