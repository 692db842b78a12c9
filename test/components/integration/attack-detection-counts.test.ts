// integration.attack counts a technique's detections as distinct rows (a row flagged for its source and
// for its account is one), data-wide findings beside their rows not again; the Navigator layer scores by that figure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import { navigatorLayer } from '../../../src/components/export/navigator.js';
import { attackMapping } from '../../../src/components/integration/attack.js';
import { attackSummarySchema } from '../../../src/components/integration/attack-summary.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { quoteLiteral } from '../../../src/data/sql-text.js';
import { ComponentHarness, findingsOf } from '../../helpers/component-harness.js';
import { fixturePath } from '../analysis/pattern-fixtures.js';

type TechniqueRow = { id: string; detections: number; rows: number; data_findings: number };

describe('integration.attack detection counts', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  const mapFindings = async (dataset: DatasetHandle, detectors: string[]) => {
    const patterns = await harness.run(patternAnalysis, { datasets: [dataset] }, { detectors: detectors as never });
    const findings = findingsOf(patterns);
    const output = await harness.run(attackMapping, { datasets: [dataset], findings: [findings] }, {});
    const summary = attackSummarySchema.parse(output.summary);
    return { findings, summary, techniques: output.summary?.['techniques'] as unknown as TechniqueRow[] };
  };

  it('scores 50 failed logons of one source and one account as 50 rows, in the summary and the Navigator layer', async () => {
    // 50 failures from 203.0.113.50 against `admin`, one every 6 s, among 20 ordinary logons.
    const logons = await harness.table(
      'logons',
      `SELECT TIMESTAMP '2026-03-02 13:00:00' + INTERVAL (i * 6) SECOND AS timestamp, '203.0.113.50' AS src_ip, 'admin' AS "user", 'failure' AS outcome FROM range(50) r(i)
       UNION ALL
       SELECT TIMESTAMP '2026-03-02 08:00:00' + INTERVAL (i * 900) SECOND, '10.40.1.' || (10 + i)::VARCHAR, 'user' || i::VARCHAR, 'success' FROM range(20) r(i)`,
    );
    const { findings, summary, techniques } = await mapFindings(logons, ['brute_force']);
    // The defect's shape: every row flagged twice (source, account) and two findings about the data.
    const [shape] = await harness.sql.all(`SELECT count(*) FILTER (WHERE row_id IS NOT NULL) AS row_findings, count(DISTINCT row_id) AS rows, count(*) FILTER (WHERE row_id IS NULL) AS data_wide FROM "${findings.table}" WHERE label LIKE 'brute-force:%'`);
    expect(shape).toEqual({ row_findings: 100, rows: 50, data_wide: 2 });

    expect(techniques.find((t) => t.id === 'T1110')).toMatchObject({ detections: 50, rows: 50, data_findings: 0 });
    expect(summary.by_tactic.find((t) => t.tactic === 'credential-access')).toMatchObject({ techniques: 1, detections: 50 });
    expect(summary.by_source).toEqual({ heuristic: 50 });
    const cell = navigatorLayer(summary, 'layer', 'test').techniques.find((t) => t.techniqueID === 'T1110');
    expect(cell?.score).toBe(50);
  });

  it('scores the 181 beacons of beaconing.csv as 181 (not 182), once for their tactic though they show two techniques', async () => {
    const beacons = await harness.table('beacons', `SELECT * FROM read_csv(${quoteLiteral(fixturePath('beaconing.csv'))})`);
    const { summary, techniques } = await mapFindings(beacons, ['beaconing']);
    // 10.30.0.77 calls 45.77.12.34:8443 181 times; the pattern also writes one finding about the pair.
    const [beaconRows] = await harness.sql.all(`SELECT count(*) AS n FROM beacons WHERE src_ip = '10.30.0.77' AND dst_ip = '45.77.12.34'`);
    expect(Number(beaconRows?.['n'])).toBe(181);
    expect(techniques.filter((t) => t.id === 'T1071' || t.id === 'T1573')).toEqual([
      expect.objectContaining({ id: 'T1071', detections: 181, rows: 181, data_findings: 0 }),
      expect.objectContaining({ id: 'T1573', detections: 181, rows: 181, data_findings: 0 }),
    ]);
    expect(summary.by_tactic.find((t) => t.tactic === 'command-and-control')).toMatchObject({ techniques: 2, detections: 181 });
  });

  it('still counts a finding about the data when its source named no row for the technique', async () => {
    const events = await harness.table('events', `SELECT * FROM (VALUES (0, '198.51.100.4'), (1, '10.0.0.5')) AS t(seq, src_ip)`);
    await harness.sql.run(`CREATE TABLE scan_findings AS SELECT * FROM (VALUES
      (NULL::BIGINT, 'anomaly', 'port-scan:src_ip', 40.0, 'test', '198.51.100.4', '{}'),
      (NULL::BIGINT, 'anomaly', 'port-scan:src_ip', 40.0, 'test', '198.51.100.9', '{}')) AS f(row_id, kind, label, score, source, entity, detail)`);
    const findings = await harness.workspace.handle(harness.sql, 'scan_findings', []);
    const output = await harness.run(attackMapping, { datasets: [events], findings: [findings] }, {});
    expect((output.summary?.['techniques'] as unknown as TechniqueRow[]).map((t) => [t.id, t.detections, t.rows, t.data_findings])).toEqual([['T1046', 2, 0, 2]]);
  });
});
