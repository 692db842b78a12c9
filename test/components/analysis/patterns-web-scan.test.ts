// Web vulnerability scans in an access log: one client requesting hundreds of distinct paths in minutes, many of them
// failing, against thirty clients browsing a site. The access log's shape is import.log's (client_ip, timestamp,
// method, path, status, bytes, user_agent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { findingsWith, labelsOf, runPatterns } from './pattern-fixtures.js';
import { FINDING_HEURISTICS } from '../../../src/intel/attack/finding-heuristics.js';

/**
 * 30 clients x 60 requests over two hours to 12 pages (1 in 50 a 404); then 10.66.0.5 from 10:00: 400 requests to 320
 * distinct paths in 6 min 40 s, every 4th a 404 and every 20th a 500.
 */
const ACCESS_LOG = `
  SELECT * FROM (
    SELECT '10.0.1.' || (i % 30)::VARCHAR AS client_ip,
           TIMESTAMP '2026-03-02 08:00:00' + to_seconds(i * 4) AS timestamp,
           'GET' AS method, '/page/' || (i % 12)::VARCHAR AS path,
           CASE WHEN i % 50 = 0 THEN 404 ELSE 200 END AS status, 1000 + i % 700 AS bytes, 'Mozilla/5.0' AS user_agent
    FROM range(1800) t(i)
    UNION ALL
    SELECT '10.66.0.5', TIMESTAMP '2026-03-02 10:00:00' + to_seconds(i), 'GET', '/probe/' || (i % 320)::VARCHAR || '.php',
           CASE WHEN i % 4 = 0 THEN 404 WHEN i % 20 = 1 THEN 500 ELSE 200 END, 300, 'Mozilla/5.0 (compatible; scanner)'
    FROM range(400) t(i))
  ORDER BY timestamp`;

describe('analysis.patterns web scans', () => {
  let harness: ComponentHarness;
  beforeAll(async () => {
    harness = await ComponentHarness.open();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('finds the client requesting 320 paths in minutes with failing probes, and flags its 400 requests', async () => {
    const dataset = await harness.table('access', ACCESS_LOG);
    const output = await runPatterns(harness, dataset, { detectors: ['web_scan'] });
    expect(output.summary?.['web_scanners']).toBe(1);
    expect(output.summary?.['web_scans']).toEqual([
      { source: '10.66.0.5', windows: 1, max_distinct_paths: 320, requests: 400, errors: 120, window_minutes: 10, first: '2026-03-02T10:00:00Z', last: '2026-03-02T10:06:39Z' },
    ]);
    const findings = await findingsWith(harness, output, 'web-scan:client_ip');
    const rows = findings.filter((f) => f.row_id !== null);
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((f) => f.entity))).toEqual(new Set(['10.66.0.5']));
    // 320 paths against a threshold of 100: 20 + 5 x (3.2 - 1) = 31.
    expect(rows[0]?.score).toBe(31);
    expect(rows[0]?.evidence).toEqual({ window_start: '2026-03-02T10:00:00Z', window_minutes: 10, distinct_paths: 320, requests: 400, errors: 120 });
    const flagged = await harness.sql.all(`SELECT DISTINCT client_ip FROM access WHERE rowid IN (${rows.map((f) => Number(f.row_id)).join(', ')})`);
    expect(flagged).toEqual([{ client_ip: '10.66.0.5' }]);
    expect(await labelsOf(harness, output)).toEqual(['web-scan:client_ip']);
  });

  it('finds nothing in ordinary browsing, nor in many paths that all succeed', async () => {
    const browsing = await harness.table('browsing', `SELECT * FROM (${ACCESS_LOG}) WHERE client_ip <> '10.66.0.5'`);
    expect((await runPatterns(harness, browsing, { detectors: ['web_scan'] })).summary?.['web_scanners']).toBe(0);
    // A crawler reading 320 pages that exist is not probing for holes.
    const crawler = await harness.table('crawler', `SELECT * REPLACE (200 AS status) FROM (${ACCESS_LOG})`);
    expect((await runPatterns(harness, crawler, { detectors: ['web_scan'] })).summary?.['web_scanners']).toBe(0);
  });

  it('is mapped to T1595.002 Vulnerability Scanning with its reason', () => {
    expect(FINDING_HEURISTICS.filter((h) => h.pattern === 'web-scan').map((h) => [h.technique, h.confidence])).toEqual([['T1595.002', 0.7]]);
  });
});
