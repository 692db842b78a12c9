import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { findingsWith, fixturePath, labelsOf, loadFixture, runPatterns } from './pattern-fixtures.js';

describe('analysis.patterns attack patterns', () => {
  let harness: ComponentHarness;
  beforeAll(async () => {
    harness = await ComponentHarness.open();
  });
  afterAll(async () => {
    await harness.close();
  });

  /** brute-force.csv: 600 logins by 40 users (~5% failures), and 146.70.45.12 failing 30 times in 5 minutes from 13:00. */
  describe('brute force', () => {
    it('finds the source with 30 failures in 5 minutes, with its window and times, and flags those 30 rows', async () => {
      const dataset = await loadFixture(harness, 'logins', 'brute-force.csv');
      const output = await runPatterns(harness, dataset, { detectors: ['brute_force'] });
      expect(output.summary?.['brute_force_entities']).toBe(1);
      expect(output.summary?.['brute_force']).toEqual([
        { entity_column: 'src_ip', entity: '146.70.45.12', failures: 30, busiest_window: 30, window_minutes: 10, first: '2026-03-02T13:00:00Z', last: '2026-03-02T13:04:50Z', failure_columns: ['outcome'] },
      ]);
      const findings = await findingsWith(harness, output, 'brute-force:src_ip');
      const rows = findings.filter((f) => f['row_id'] !== null);
      expect(rows).toHaveLength(30);
      expect(new Set(rows.map((f) => f['entity']))).toEqual(new Set(['146.70.45.12']));
      // 30 failures against a threshold of 20: 25 + 10 x (30/20 - 1) = 30.
      expect(rows.every((f) => f['score'] === 30)).toBe(true);
      const outcomes = await harness.sql.all(`SELECT DISTINCT src_ip, outcome FROM logins WHERE rowid IN (${rows.map((f) => Number(f['row_id'])).join(', ')})`);
      expect(outcomes).toEqual([{ src_ip: '146.70.45.12', outcome: 'failure' }]);
      // The attacker sprayed ten accounts three times each: no user reached the threshold.
      expect(await labelsOf(harness, output)).toEqual(['brute-force:src_ip']);
    });

    it('finds nothing in the ordinary mistyped passwords', async () => {
      const normal = await loadFixture(harness, 'logins_normal', 'brute-force.csv', "src_ip <> '146.70.45.12'");
      const output = await runPatterns(harness, normal, { detectors: ['brute_force'] });
      expect(output.summary?.['brute_force_entities']).toBe(0);
      expect(await labelsOf(harness, output)).toEqual([]);
    });

    it('follows its thresholds: 31 failures needed, none found; a 1-minute window (both ends counted) holds 7', async () => {
      const dataset = await loadFixture(harness, 'logins2', 'brute-force.csv');
      expect((await runPatterns(harness, dataset, { detectors: ['brute_force'], brute_min_failures: 31 })).summary?.['brute_force_entities']).toBe(0);
      expect((await runPatterns(harness, dataset, { detectors: ['brute_force'], brute_window_minutes: 1 })).summary?.['brute_force_entities']).toBe(0);
      const seven = await runPatterns(harness, dataset, { detectors: ['brute_force'], brute_window_minutes: 1, brute_min_failures: 7 });
      expect(seven.summary?.['brute_force']).toEqual([expect.objectContaining({ entity: '146.70.45.12', failures: 30, busiest_window: 7 })]);
      expect((await runPatterns(harness, dataset, { detectors: ['brute_force'], brute_window_minutes: 1, brute_min_failures: 8 })).summary?.['brute_force_entities']).toBe(0);
    });
  });

  /** port-scan.csv: 1,200 connections from 20 workstations to 6 services, and 10.50.0.66 probing 200 ports of 10.50.9.10 in 2 minutes. */
  describe('port scans', () => {
    it('finds the one source touching 200 ports, and flags its 200 probes', async () => {
      const dataset = await loadFixture(harness, 'firewall', 'port-scan.csv');
      const output = await runPatterns(harness, dataset, { detectors: ['port_scan'] });
      expect(output.summary?.['port_scans']).toEqual([
        { source: '10.50.0.66', windows: 1, max_distinct_ports: 200, max_distinct_hosts: 1, events: 200, window_minutes: 10, first: '2026-03-02T10:02:00Z', last: '2026-03-02T10:03:59Z' },
      ]);
      const findings = await findingsWith(harness, output, 'port-scan:src_ip');
      const rows = findings.filter((f) => f['row_id'] !== null);
      expect(rows).toHaveLength(200);
      // 200 ports against a threshold of 50: 20 + 5 x (4 - 1) = 35, the top of the range.
      expect(Number(rows[0]?.['score'])).toBe(35);
      expect(rows[0]?.evidence).toEqual({ window_start: '2026-03-02T10:00:00Z', window_minutes: 10, distinct_ports: 200, distinct_hosts: 1, events: 200 });
      expect(findings.filter((f) => f['row_id'] === null).map((f) => f['entity'])).toEqual(['10.50.0.66']);
    });

    it('finds nothing in ordinary traffic to a handful of services', async () => {
      const normal = await loadFixture(harness, 'firewall_normal', 'port-scan.csv', "src_ip <> '10.50.0.66'");
      const output = await runPatterns(harness, normal, { detectors: ['port_scan'] });
      expect(output.summary?.['port_scanners']).toBe(0);
    });
  });

  /** new-domain.csv: 1,500 requests to 30 domains over 10 hours; cdn-update-check.net 8 times in the last half hour, one-off.example.org once. */
  describe('first-seen entities', () => {
    it('reports the new domain that recurs, not the one-off, and flags its 8 requests', async () => {
      const dataset = await loadFixture(harness, 'proxy', 'new-domain.csv');
      const output = await runPatterns(harness, dataset, { detectors: ['first_seen'] });
      expect(output.summary?.['first_seen']).toEqual([
        { column: 'domain', value: 'cdn-update-check.net', events: 8, first: '2026-03-02T17:30:00Z', last: '2026-03-02T17:51:00Z', new_after: '2026-03-02T17:00:00Z' },
      ]);
      const rows = (await findingsWith(harness, output, 'first-seen:domain')).filter((f) => f['row_id'] !== null);
      expect(rows).toHaveLength(8);
      expect(rows.every((f) => f['entity'] === 'cdn-update-check.net' && f['score'] === 5)).toBe(true);
    });

    it('does not take a placeholder for a missing value (-, blank, padded) that shows up late for a new domain', async () => {
      // The fixture's rows, plus 6 late rows each of ' - ', '-', '   ' and 'Late-Domain.example ' (padded: a real
      // value, reported as written) in the last minutes: only the real domain is new.
      const late = ['-', ' - ', '   ', 'Late-Domain.example '].flatMap((value, v) =>
        Array.from({ length: 6 }, (_, i) => `(TIMESTAMPTZ '2026-03-02T17:5${v}:00Z' + INTERVAL ${i} SECOND, '${value}')`),
      );
      const dataset = await harness.table(
        'proxy_blanks',
        `SELECT timestamp, domain FROM read_csv('${fixturePath('new-domain.csv')}') WHERE domain LIKE 'site%' UNION ALL SELECT * FROM (VALUES ${late.join(', ')}) AS v(timestamp, domain)`,
      );
      const output = await runPatterns(harness, dataset, { detectors: ['first_seen'] });
      expect((output.summary?.['first_seen'] as { value: string; events: number }[]).map((f) => [f.value, f.events])).toEqual([['Late-Domain.example ', 6]]);
    });

    it('finds nothing when every domain was seen early', async () => {
      const normal = await loadFixture(harness, 'proxy_normal', 'new-domain.csv', "domain LIKE 'site%'");
      const output = await runPatterns(harness, normal, { detectors: ['first_seen'] });
      expect(output.summary?.['new_entities']).toBe(0);
    });
  });

  /** per-host-bytes.csv: 10.70.0.5 sends ~1 KB, 10.70.0.9 ~1 MB; one 150 KB upload from 10.70.0.5. */
  describe('outliers per entity', () => {
    it('flags the upload unusual for its host though ordinary over the column', async () => {
      const dataset = await loadFixture(harness, 'uploads', 'per-host-bytes.csv');
      const output = await runPatterns(harness, dataset, { detectors: ['outliers', 'entity_outliers'] });
      expect(output.summary?.['outliers']).toBe(0);
      expect(output.summary?.['entity_outliers']).toBe(1);
      const [finding] = await findingsWith(harness, output, 'entity-outlier:bytes_sent');
      expect(finding?.['entity']).toBe('10.70.0.5');
      expect(finding?.evidence).toMatchObject({ column: 'bytes_sent', entity_column: 'src_ip', value: 150_000 });
      expect(Number(finding?.evidence['entity_median'])).toBeGreaterThan(800);
      expect(Number(finding?.evidence['entity_median'])).toBeLessThan(1250);
      expect(Number(finding?.['score'])).toBe(20);
    });

    it('finds nothing when each host keeps to its usual size', async () => {
      const normal = await loadFixture(harness, 'uploads_normal', 'per-host-bytes.csv', 'bytes_sent <> 150000');
      const output = await runPatterns(harness, normal, { detectors: ['outliers', 'entity_outliers'] });
      expect(output.summary?.['entity_outliers']).toBe(0);
    });
  });
});
