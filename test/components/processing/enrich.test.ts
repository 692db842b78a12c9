import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import { createFindingsTable } from '../../../src/components/findings-table.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { enrichment } from '../../../src/components/processing/enrich.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

const THREAT_COLUMNS = ['threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons'];

describe('processing.enrich', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  const importFile = async (file: string): Promise<DatasetHandle> => datasetOf(await harness.run(csvImport, {}, { paths: [file] }));

  /** A findings table as the analysis components write it, from (row_id, kind, label, score) tuples. */
  const findingsTable = async (name: string, rows: readonly [number | null, 'ioc' | 'anomaly', string, number][]): Promise<DatasetHandle> => {
    await createFindingsTable(harness.sql, name, new AbortController().signal);
    for (const [rowId, kind, label, score] of rows) {
      await harness.sql.run(`INSERT INTO "${name}" VALUES ($1, $2, $3, $4, 'test', NULL, '{}')`, [rowId, kind, label, score]);
    }
    return harness.workspace.handle(harness.sql, name, []);
  };

  it('classifies every IP column, v4 and v6, in a <column>_class column', async () => {
    const dataset = await importFile('ip-classes.csv');
    const output = await harness.run(enrichment, { datasets: [dataset] }, {});
    const rows = await harness.rows(datasetOf(output));

    expect(rows.map((r) => [r['src_ip'], r['src_ip_class']])).toEqual([
      ['10.20.12.214', 'private'],
      ['127.0.0.1', 'loopback'],
      ['169.254.10.20', 'link-local'],
      ['100.64.5.6', 'cgnat'],
      ['192.168.1.10', 'private'],
      ['172.20.0.5', 'private'],
      ['::1', 'loopback'],
      ['fe80::1c2d:3e4f:5a6b:7c8d', 'link-local'],
      ['10.20.13.41', 'private'],
    ]);
    expect(rows.map((r) => [r['dst_ip'], r['dst_ip_class']])).toEqual([
      ['8.8.8.8', 'public'],
      ['127.0.0.1', 'loopback'],
      ['224.0.0.251', 'multicast'],
      ['203.0.113.50', 'reserved'],
      ['103.82.243.5', 'public'],
      ['5.253.62.205', 'public'],
      ['::1', 'loopback'],
      ['ff02::fb', 'multicast'],
      ['52.96.166.130', 'public'],
    ]);
    expect(output.summary?.['ip_classes']).toEqual(['src_ip_class', 'dst_ip_class']);
  });

  it('keeps every input column in order, then adds the classes and the threat columns', async () => {
    const dataset = await importFile('ip-classes.csv');
    const output = await harness.run(enrichment, { datasets: [dataset] }, {});
    const enriched = datasetOf(output);

    expect(enriched.columns.map((c) => c.name)).toEqual([...dataset.columns.map((c) => c.name), 'src_ip_class', 'dst_ip_class', ...THREAT_COLUMNS]);
    expect(enriched.rowCount).toBe(9);
    const before = await harness.rows(dataset);
    const after = await harness.rows(enriched);
    expect(after.map((r) => dataset.columns.map((c) => r[c.name]))).toEqual(before.map((r) => dataset.columns.map((c) => r[c.name])));
  });

  it('scores rows from their findings and bands them none, low, medium, high, critical', async () => {
    const dataset = await importFile('ip-classes.csv');
    const findings = await findingsTable('findings_by_hand', [
      [0, 'anomaly', 'rare:user', 10],
      [1, 'anomaly', 'outlier:bytes_sent', 20],
      [1, 'anomaly', 'rare:user', 15],
      // Anomalies add up to at most 40 points.
      [2, 'anomaly', 'outlier:bytes_sent', 30],
      [2, 'anomaly', 'rare:user', 25],
      [3, 'ioc', 'ip:203.0.113.50', 50 + 40 * 0.7],
      [4, 'ioc', 'ip:103.82.243.5', 50 + 40 * 0.9],
      // The same indicator from two analysis steps is listed once.
      [4, 'ioc', 'ip:103.82.243.5', 50 + 40 * 0.9],
      [5, 'ioc', 'ip:5.253.62.205', 50 + 40 * 0.7],
      [5, 'anomaly', 'outlier:bytes_sent', 10],
      // A finding about the data as a whole belongs to no row.
      [null, 'anomaly', 'spike:src_ip', 0],
    ]);
    const output = await harness.run(enrichment, { datasets: [dataset], findings: [findings] }, {});
    const rows = await harness.rows(datasetOf(output));

    const threat = (r: PlainRow | undefined): unknown[] => THREAT_COLUMNS.map((c) => r?.[c]);
    expect(rows.map(threat)).toEqual([
      [10, 'low', [], ['rare:user']],
      [35, 'medium', [], ['outlier:bytes_sent', 'rare:user']],
      [40, 'medium', [], ['outlier:bytes_sent', 'rare:user']],
      [78, 'high', ['ip:203.0.113.50'], []],
      [86, 'critical', ['ip:103.82.243.5'], []],
      [88, 'critical', ['ip:5.253.62.205'], ['outlier:bytes_sent']],
      [0, 'none', [], []],
      [0, 'none', [], []],
      [0, 'none', [], []],
    ]);
    expect(output.summary?.['by_level']).toEqual({ none: 3, low: 1, medium: 2, high: 1, critical: 2 });
    expect(output.message).toMatch(/^6 of 9 rows scored above none/);
  });

  it('takes its findings from the real pattern and indicator steps, keeping row order', async () => {
    const dataset = await importFile('firewall.csv');
    const patterns = await harness.run(patternAnalysis, { datasets: [dataset] }, {});
    const iocs = await harness.run(iocMatch, { datasets: [dataset] }, {});
    const output = await harness.run(enrichment, { datasets: [dataset], findings: [findingsOf(patterns), findingsOf(iocs)] }, {});
    const rows = await harness.rows(datasetOf(output));

    expect(rows).toHaveLength(24);
    const input = await harness.rows(dataset);
    expect(rows.map((r) => [r['timestamp'], r['src_port']])).toEqual(input.map((r) => [r['timestamp'], r['src_port']]));

    // The Pikabot C2 (feodotracker, confidence 0.9) makes its two rows critical with a score of at least 86.
    for (const index of [4, 23]) {
      expect(rows[index]?.['ioc_matches']).toEqual(['ip:103.82.243.5']);
      expect(Number(rows[index]?.['threat_score'])).toBeGreaterThanOrEqual(86);
      expect(rows[index]?.['threat_level']).toBe('critical');
    }
    expect(rows[16]?.['ioc_matches']).toEqual(['domain:unimasa.icu', 'ip:5.253.62.205', 'url:http://unimasa.icu/dapper/five/pvqdq929bsx_a_d_m1n_a.php']);
    expect(rows[4]?.['dst_ip_class']).toBe('public');
    expect(rows[4]?.['src_ip_class']).toBe('private');

    // Rows no step flagged carry no threat.
    const flagged = await harness.sql.all(
      `SELECT DISTINCT row_id FROM (SELECT row_id FROM "${findingsOf(patterns).table}" UNION ALL SELECT row_id FROM "${findingsOf(iocs).table}") WHERE row_id IS NOT NULL`,
    );
    const flaggedRows = new Set(flagged.map((f) => Number(f['row_id'])));
    const clean = rows.filter((_, i) => !flaggedRows.has(i));
    expect(clean.length).toBeGreaterThan(0);
    for (const row of clean) expect(THREAT_COLUMNS.map((c) => row[c])).toEqual([0, 'none', [], []]);
    for (const [i, row] of rows.entries()) if (flaggedRows.has(i)) expect(row['threat_level']).not.toBe('none');
  });

  it('adds no class columns when ip_class is off', async () => {
    const dataset = await importFile('ip-classes.csv');
    const output = await harness.run(enrichment, { datasets: [dataset] }, { ip_class: false });
    expect(datasetOf(output).columns.map((c) => c.name)).toEqual([...dataset.columns.map((c) => c.name), ...THREAT_COLUMNS]);
  });
});
