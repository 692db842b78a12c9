import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { zeekTable } from '../../helpers/zeek-slice.js';
import { findingsWith, fixturePath, labelsOf, loadFixture, runPatterns } from './pattern-fixtures.js';

/**
 * beaconing.csv (generate.mjs): 1,500 connections from 12 workstations to 40 public servers at random times, and
 * 10.30.0.77 calling 45.77.12.34:8443 every 60 s +/-5% from 09:00 to 12:00 (181 connections).
 */
describe('analysis.patterns beaconing', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  let output: ComponentOutput;

  beforeAll(async () => {
    harness = await ComponentHarness.open();
    dataset = await loadFixture(harness, 'beacon', 'beaconing.csv');
    output = await runPatterns(harness, dataset, { detectors: ['beaconing'] });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('finds the one beaconing pair with its interval, regularity and time span', () => {
    expect(output.summary?.['beaconing_pairs']).toBe(1);
    const [beacon] = output.summary?.['beacons'] as Record<string, unknown>[];
    expect(beacon).toMatchObject({ source: '10.30.0.77', destination: '45.77.12.34', port: 8443, connections: 181, first: '2026-03-02T09:00:00Z' });
    expect(beacon?.['median_interval_s']).toBeGreaterThan(58);
    expect(beacon?.['median_interval_s']).toBeLessThan(62);
    expect(beacon?.['mean_interval_s']).toBeCloseTo(60, 0);
    // Uniform jitter of +/-5%: a coefficient of variation near 0.03, far below the 0.2 allowed.
    expect(beacon?.['cv']).toBeLessThan(0.05);
    expect(beacon?.['robust_cv']).toBeLessThan(0.06);
    expect(String(beacon?.['last'])).toMatch(/^2026-03-02T12:0\d:\d\dZ$/);
  });

  it('flags every connection of the pair, and only those, with a score for a steady rhythm', async () => {
    const findings = await findingsWith(harness, output, 'beaconing:dst_ip');
    const rows = findings.filter((f) => f['row_id'] !== null);
    expect(rows).toHaveLength(181);
    const flagged = await harness.sql.all(`SELECT DISTINCT src_ip, dst_ip, dst_port FROM beacon WHERE rowid IN (${rows.map((f) => Number(f['row_id'])).join(', ')})`);
    expect(flagged).toEqual([{ src_ip: '10.30.0.77', dst_ip: '45.77.12.34', dst_port: 8443 }]);
    for (const f of rows) {
      expect(f['entity']).toBe('10.30.0.77 -> 45.77.12.34:8443');
      expect(f['score']).toBeGreaterThan(30);
      expect(f['score']).toBeLessThanOrEqual(35);
    }
    // One finding about the data, with the whole evidence, for the report.
    const about = findings.filter((f) => f['row_id'] === null);
    expect(about).toHaveLength(1);
    expect(about[0]?.evidence).toMatchObject({ source: '10.30.0.77', destination: '45.77.12.34', connections: 181 });
    expect(output.summary?.['flagged_rows']).toBe(181);
  });

  it('finds no beacon in the random traffic alone', async () => {
    const normal = await loadFixture(harness, 'beacon_normal', 'beaconing.csv', "src_ip <> '10.30.0.77'");
    const quiet = await runPatterns(harness, normal, { detectors: ['beaconing'] });
    expect(quiet.summary?.['beaconing_pairs']).toBe(0);
    expect(await labelsOf(harness, quiet)).toEqual([]);
  });

  it('leaves a jitter beyond the allowed variation alone, and finds it when the tolerance is raised', async () => {
    const strict = await runPatterns(harness, dataset, { detectors: ['beaconing'], beacon_max_cv: 0.02 });
    expect(strict.summary?.['beaconing_pairs']).toBe(0);
    const loose = await runPatterns(harness, dataset, { detectors: ['beaconing'], beacon_max_cv: 0.5 });
    expect(loose.summary?.['beaconing_pairs']).toBe(1);
  });

  it('needs enough connections: not with a minimum above the 181 there are', async () => {
    const few = await runPatterns(harness, dataset, { detectors: ['beaconing'], beacon_min_events: 200 });
    expect(few.summary?.['beaconing_pairs']).toBe(0);
  });
});

/**
 * trickbot-conn-slice.log: 492 connections of the real Trickbot infection (Zeek conn.log, 2018-11-03 02:50-09:00 UTC;
 * SOURCE.md). Trickbot's C2 of that time answers on TCP 449 and 443 without a server name, every ~200 s.
 */
describe('analysis.patterns beaconing on the real Trickbot conn.log', () => {
  let harness: ComponentHarness;
  let output: ComponentOutput;

  beforeAll(async () => {
    harness = await ComponentHarness.open();
    const conn = await zeekTable(harness, 'conn', fixturePath('trickbot-conn-slice.log'));
    output = await runPatterns(harness, conn, {});
  });
  afterAll(async () => {
    await harness.close();
  });

  it('reads the Zeek columns by role: ts, id.orig_h, id.resp_h, id.resp_p', () => {
    expect(output.summary?.['columns_used']).toEqual({ time: 'ts', source: 'id.orig_h', destination: 'id.resp_h', destination_port: 'id.resp_p', user: null });
  });

  it('finds the C2 beaconing: 172.16.9.233 to 190.145.74.84:449 every ~200 s, and the other C2 pairs of the slice', () => {
    const beacons = output.summary?.['beacons'] as Record<string, unknown>[];
    expect(beacons.map((b) => `${String(b['source'])} -> ${String(b['destination'])}:${String(b['port'])}`).sort()).toEqual([
      '172.16.9.233 -> 190.145.74.84:449',
      '172.16.9.5 -> 66.60.121.58:449',
      '172.16.9.5 -> 71.193.151.218:443',
    ]);
    const c2 = beacons.find((b) => b['destination'] === '190.145.74.84');
    expect(c2).toMatchObject({ source: '172.16.9.233', port: 449, connections: 100, first: '2018-11-03T02:52:57Z', last: '2018-11-03T08:53:37Z' });
    expect(c2?.['median_interval_s']).toBeGreaterThan(195);
    expect(c2?.['median_interval_s']).toBeLessThan(210);
    expect(c2?.['robust_cv']).toBeLessThan(0.1);
  });

  it('marks every connection of the C2 pairs, and no internal traffic', async () => {
    const rows = (await findingsWith(harness, output, 'beaconing:id.resp_h')).filter((f) => f['row_id'] !== null);
    expect(rows).toHaveLength(100 + 40 + 62);
    const destinations = await harness.sql.all(`SELECT "id.resp_h" AS dst, count(*) AS n FROM conn WHERE rowid IN (${rows.map((f) => Number(f['row_id'])).join(', ')}) GROUP BY ALL ORDER BY dst`);
    expect(destinations).toEqual([
      { dst: '190.145.74.84', n: 100 },
      { dst: '66.60.121.58', n: 40 },
      { dst: '71.193.151.218', n: 62 },
    ]);
  });
});
