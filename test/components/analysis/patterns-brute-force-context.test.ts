// Brute force needs an authentication context (QA: a firewall denying one host on 49 ports in 24 s was "1 brute-force
// source" and all 49 rows were mapped to T1110; a 200-port scan got both T1046 and T1110). Failures count when the
// log says they were logons (Windows 4625, sshd messages), HTTP 401 or 403 on a sign-in path, or a deny against the
// port of a service that takes credentials; and they are counted per target (the same port, the same path).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackMapping } from '../../../src/components/integration/attack.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';
import { findingsWith, labelsOf, loadFixture, runPatterns } from './pattern-fixtures.js';

let harness: ComponentHarness;
beforeAll(async () => {
  harness = await ComponentHarness.open();
});
afterAll(async () => {
  await harness.close();
});

/** 600 allowed connections of 20 workstations to 5 services over the morning: the background of every firewall table. */
const BACKGROUND = `SELECT TIMESTAMPTZ '2026-03-02 08:00:00+00' + to_seconds(i * 30) AS timestamp, '10.60.0.' || (10 + i % 20) AS src_ip,
  '10.60.9.' || (i % 3) AS dst_ip, [443, 80, 53, 389, 445][i % 5 + 1] AS dst_port, 'allow' AS action FROM range(600) r(i)`;

async function firewall(name: string, extra: string): Promise<DatasetHandle> {
  return harness.table(name, `SELECT * FROM (${BACKGROUND} UNION ALL ${extra}) ORDER BY timestamp`);
}

async function bruteForceSources(dataset: DatasetHandle): Promise<unknown> {
  return (await runPatterns(harness, dataset, { detectors: ['brute_force'] })).summary?.['brute_force'];
}

describe('brute force on a firewall log', () => {
  it('calls one host denied on 49 different ports in 24 s no brute force, and maps none of its rows to T1110', async () => {
    // Ports 1-49: the login services among them (21, 22, 23, 25) see one deny each.
    const scan = `SELECT TIMESTAMPTZ '2026-03-02 09:00:00+00' + to_milliseconds(i * 500) AS timestamp, '203.0.113.50', '10.60.9.1',
      i + 1, 'deny' FROM range(49) r(i)`;
    const dataset = await firewall('fw_49_ports', scan);
    expect(Number(await harness.sql.scalar(`SELECT count(DISTINCT dst_port) FROM fw_49_ports WHERE src_ip = '203.0.113.50'`))).toBe(49);
    const output = await runPatterns(harness, dataset, {});
    expect(output.summary?.['brute_force_entities']).toBe(0);
    expect(output.message).not.toMatch(/brute-force/);
    const mapped = await harness.run(attackMapping, { datasets: [dataset], findings: [findingsOf(output)] }, {});
    const techniques = await harness.sql.all(`SELECT DISTINCT unnest(attack_techniques) AS technique FROM "${datasetOf(mapped).table}"`);
    expect(techniques.map((r) => r['technique'])).not.toContain('T1110');
  });

  it('sees the 200-port scan of port-scan.csv as a port scan only', async () => {
    const dataset = await loadFixture(harness, 'fw_scan_200', 'port-scan.csv');
    const output = await runPatterns(harness, dataset, { detectors: ['port_scan', 'brute_force'] });
    expect(output.summary).toMatchObject({ port_scanners: 1, brute_force_entities: 0 });
    expect(await labelsOf(harness, output)).toEqual(['port-scan:src_ip']);
  });

  it('finds 30 denied SSH attempts in 5 minutes against port 22', async () => {
    const ssh = `SELECT TIMESTAMPTZ '2026-03-02 09:00:00+00' + to_seconds(i * 10) AS timestamp, '198.51.100.7', '10.60.9.2', 22, 'deny' FROM range(30) r(i)`;
    const dataset = await firewall('fw_ssh', ssh);
    expect(await bruteForceSources(dataset)).toEqual([expect.objectContaining({ entity_column: 'src_ip', entity: '198.51.100.7', failures: 30, busiest_window: 30, failure_columns: ['action'] })]);
  });

  it('does not call an app retrying a blocked HTTPS site 40 times in 10 minutes a brute force', async () => {
    const retries = `SELECT TIMESTAMPTZ '2026-03-02 09:00:00+00' + to_seconds(i * 15) AS timestamp, '10.60.0.44', '192.0.2.80', 443, 'deny' FROM range(40) r(i)`;
    expect(await bruteForceSources(await firewall('fw_retries', retries))).toEqual([]);
  });
});

describe('brute force on a web log', () => {
  /** A client's requests at 5 s intervals from 09:00: path and status per request. */
  const requests = (client: string, rows: string): string =>
    `SELECT TIMESTAMPTZ '2026-03-02 09:00:00+00' + to_seconds(i * 5) AS timestamp, '${client}' AS client_ip, 'GET' AS method, p.path, p.status FROM (${rows}) p`;

  it('counts 401s on one path, not 401s and 403s spread over 60 paths by a scanner', async () => {
    const scanner = requests('203.0.113.9', `SELECT '/admin/page' || i || '.php' AS path, CASE WHEN i % 2 = 0 THEN 401 ELSE 403 END AS status, i FROM range(60) r(i)`);
    const manager = requests('198.51.100.20', `SELECT '/manager/html' AS path, 401 AS status, i FROM range(25) r(i)`);
    const dataset = await harness.table('web_401', `${scanner} UNION ALL ${manager}`);
    expect(await bruteForceSources(dataset)).toEqual([expect.objectContaining({ entity_column: 'client_ip', entity: '198.51.100.20', failures: 25, failure_columns: ['status'] })]);
  });

  it('counts 403s on a sign-in page (whatever its query string), not on a forbidden document', async () => {
    const login = requests('198.51.100.21', `SELECT '/wp-login.php?redirect_to=' || i AS path, 403 AS status, i FROM range(25) r(i)`);
    const document = requests('10.60.0.12', `SELECT '/private/report.pdf' AS path, 403 AS status, i FROM range(25) r(i)`);
    const dataset = await harness.table('web_403', `${login} UNION ALL ${document}`);
    expect(await bruteForceSources(dataset)).toEqual([expect.objectContaining({ entity: '198.51.100.21', failures: 25, busiest_window: 25 })]);
  });
});

describe('brute force in logon logs', () => {
  it('finds 25 Windows failed logons (4625) from one address', async () => {
    const dataset = await harness.table(
      'win_logons',
      `SELECT TIMESTAMPTZ '2026-03-02 09:00:00+00' + to_seconds(i * 7) AS TimeCreated, CASE WHEN i < 25 THEN 4625 ELSE 4624 END AS EventID,
              CASE WHEN i < 25 THEN '203.0.113.77' ELSE '10.60.0.' || i END AS IpAddress, 'user' || (i % 5) AS TargetUserName
       FROM range(60) r(i)`,
    );
    const output = await runPatterns(harness, dataset, { detectors: ['brute_force'] });
    expect(output.summary?.['brute_force']).toEqual([expect.objectContaining({ entity_column: 'IpAddress', entity: '203.0.113.77', failures: 25, failure_columns: ['EventID'] })]);
    expect((await findingsWith(harness, output, 'brute-force:IpAddress')).filter((f) => f.row_id !== null)).toHaveLength(25);
  });

  it('finds sshd password failures told in a message column, and not the accepted logons', async () => {
    const dataset = await harness.table(
      'sshd',
      `SELECT TIMESTAMPTZ '2026-03-02 09:00:00+00' + to_seconds(i * 9) AS timestamp, CASE WHEN i % 3 = 2 THEN '10.60.0.5' ELSE '45.83.64.1' END AS src_ip,
              CASE WHEN i % 3 = 2 THEN 'Accepted publickey for deploy from 10.60.0.5 port 50122 ssh2'
                   ELSE 'Failed password for invalid user admin' || i || ' from 45.83.64.1 port ' || (40000 + i) || ' ssh2' END AS message
       FROM range(45) r(i)`,
    );
    expect(await bruteForceSources(dataset)).toEqual([expect.objectContaining({ entity: '45.83.64.1', failures: 30, failure_columns: ['message'] })]);
  });
});
