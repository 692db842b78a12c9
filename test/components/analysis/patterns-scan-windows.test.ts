// Scans are not split by the clock (QA: 60 ports in 60 s from 09:09:30 to 09:10:29 gave no finding: 30 + 30 in two
// consecutive 10-minute windows). Windows start every half window, and overlapping flagged windows count once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { findingsWith, runPatterns } from './pattern-fixtures.js';

let harness: ComponentHarness;
beforeAll(async () => {
  harness = await ComponentHarness.open();
});
afterAll(async () => {
  await harness.close();
});

/** 400 connections of 20 workstations to 4 services over the morning, and 10.50.0.66 probing 60 ports one a second from `start`. */
function firewallWithScan(start: string): string {
  return `SELECT * FROM (
    SELECT TIMESTAMPTZ '2026-03-02 08:00:00+00' + to_seconds(i * 45) AS timestamp, '10.50.0.' || (10 + i % 20) AS src_ip, '10.50.9.1' AS dst_ip,
           [443, 80, 53, 389][i % 4 + 1] AS dst_port FROM range(400) r(i)
    UNION ALL
    SELECT TIMESTAMPTZ '${start}' + to_seconds(i), '10.50.0.66', '10.50.9.10', 1000 + i FROM range(60) r(i))`;
}

describe('port scans across window boundaries', () => {
  it('finds 60 ports in 60 s split 30 + 30 by the 09:10 boundary, with the window that holds them all', async () => {
    const dataset = await harness.table('scan_split', firewallWithScan('2026-03-02 09:09:30+00'));
    const output = await runPatterns(harness, dataset, { detectors: ['port_scan'] });
    expect(output.summary?.['port_scans']).toEqual([
      { source: '10.50.0.66', windows: 1, max_distinct_ports: 60, max_distinct_hosts: 1, events: 60, window_minutes: 10, first: '2026-03-02T09:09:30Z', last: '2026-03-02T09:10:29Z' },
    ]);
    const rows = (await findingsWith(harness, output, 'port-scan:src_ip')).filter((f) => f.row_id !== null);
    expect(rows).toHaveLength(60);
    expect(rows[0]?.evidence).toEqual({ window_start: '2026-03-02T09:05:00Z', window_minutes: 10, distinct_ports: 60, distinct_hosts: 1, events: 60 });
  });

  it('reports 200 ports in 60 s from 09:09:30 whole, not as 100 + 100 in the consecutive windows', async () => {
    const dataset = await harness.table(
      'scan_fast',
      `SELECT * FROM (${firewallWithScan('2026-03-02 09:00:00+00')}) WHERE src_ip <> '10.50.0.66' UNION ALL
       SELECT TIMESTAMPTZ '2026-03-02 09:09:30+00' + to_milliseconds(300 * i), '10.50.0.66', '10.50.9.10', 3000 + i FROM range(200) r(i)`,
    );
    const output = await runPatterns(harness, dataset, { detectors: ['port_scan'] });
    expect(output.summary?.['port_scans']).toEqual([expect.objectContaining({ windows: 1, max_distinct_ports: 200, events: 200 })]);
    const rows = (await findingsWith(harness, output, 'port-scan:src_ip')).filter((f) => f.row_id !== null);
    expect(new Set(rows.map((f) => JSON.stringify(f.evidence)))).toEqual(
      new Set([JSON.stringify({ window_start: '2026-03-02T09:05:00Z', window_minutes: 10, distinct_ports: 200, distinct_hosts: 1, events: 200 })]),
    );
  });

  it('keeps the consecutive window when it holds the scan', async () => {
    // 09:01:00-09:01:59 lies whole in the 09:00 window: reported there, with the same evidence as consecutive windows gave.
    const dataset = await harness.table('scan_inside', firewallWithScan('2026-03-02 09:01:00+00'));
    const output = await runPatterns(harness, dataset, { detectors: ['port_scan'] });
    expect(output.summary?.['port_scans']).toEqual([expect.objectContaining({ windows: 1, max_distinct_ports: 60, events: 60 })]);
    const rows = (await findingsWith(harness, output, 'port-scan:src_ip')).filter((f) => f.row_id !== null);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((f) => f.evidence['window_start']))).toEqual(new Set(['2026-03-02T09:00:00Z']));
  });

  it('reports a slow scan over three half windows in two windows, each probe once', async () => {
    // 25 new ports in each of 09:00-09:05, 09:05-09:10 and 09:10-09:15: the 09:00 window holds 50, the 09:05 window
    // (starting at a half window) the other 50 with the last 25; the consecutive grid's 09:10 window only 25.
    const dataset = await harness.table(
      'scan_slow',
      `SELECT * FROM (${firewallWithScan('2026-03-02 09:00:00+00')}) WHERE src_ip <> '10.50.0.66' UNION ALL
       SELECT TIMESTAMPTZ '2026-03-02 09:01:00+00' + to_minutes(5 * (i // 25)) + to_seconds(9 * (i % 25)), '10.50.0.66', '10.50.9.10', 2000 + i FROM range(75) r(i)`,
    );
    const output = await runPatterns(harness, dataset, { detectors: ['port_scan'] });
    expect(output.summary?.['port_scans']).toEqual([
      { source: '10.50.0.66', windows: 2, max_distinct_ports: 50, max_distinct_hosts: 1, events: 75, window_minutes: 10, first: '2026-03-02T09:01:00Z', last: '2026-03-02T09:14:36Z' },
    ]);
    const rows = (await findingsWith(harness, output, 'port-scan:src_ip')).filter((f) => f.row_id !== null);
    expect(rows).toHaveLength(75);
    const byWindow = new Map<unknown, number>();
    for (const f of rows) byWindow.set(f.evidence['window_start'], (byWindow.get(f.evidence['window_start']) ?? 0) + 1);
    expect(Object.fromEntries(byWindow)).toEqual({ '2026-03-02T09:00:00Z': 50, '2026-03-02T09:05:00Z': 25 });
  });

  it('still finds nothing in the ordinary traffic', async () => {
    const dataset = await harness.table('scan_none', `SELECT * FROM (${firewallWithScan('2026-03-02 09:09:30+00')}) WHERE src_ip <> '10.50.0.66'`);
    expect((await runPatterns(harness, dataset, { detectors: ['port_scan'] })).summary?.['port_scanners']).toBe(0);
  });
});

describe('web scans across window boundaries', () => {
  it('finds 150 probed paths in 150 s split by the 10:00 boundary', async () => {
    const dataset = await harness.table(
      'web_split',
      `SELECT * FROM (
         SELECT TIMESTAMPTZ '2026-03-02 08:00:00+00' + to_seconds(i * 4) AS timestamp, '10.0.1.' || (i % 30) AS client_ip, '/page/' || (i % 12) AS path, 200 AS status
         FROM range(1800) r(i)
         UNION ALL
         SELECT TIMESTAMPTZ '2026-03-02 09:58:45+00' + to_seconds(i), '10.66.0.5', '/probe/' || i || '.php', CASE WHEN i % 4 = 0 THEN 404 ELSE 200 END
         FROM range(150) r(i))`,
    );
    const output = await runPatterns(harness, dataset, { detectors: ['web_scan'] });
    expect(output.summary?.['web_scans']).toEqual([
      { source: '10.66.0.5', windows: 1, max_distinct_paths: 150, requests: 150, errors: 38, window_minutes: 10, first: '2026-03-02T09:58:45Z', last: '2026-03-02T10:01:14Z' },
    ]);
    expect((await findingsWith(harness, output, 'web-scan:client_ip')).filter((f) => f.row_id !== null)).toHaveLength(150);
  });
});
