import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { reportExport } from '../../../src/components/export/report.js';
import { createFindingsTable } from '../../../src/components/findings-table.js';
import { attackMapping } from '../../../src/components/integration/attack.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, summaryOf } from '../../helpers/component-harness.js';

/** Rows of an EDR alert export; `alert` is free text in which analysts and tools write technique ids. */
const EVENTS = `SELECT * FROM (VALUES
  (0, 'ws-01', 'alice', '10.0.0.5', 'powershell.exe -enc SQBFAFgA', 'encoded command'),
  (1, 'ws-02', 'bob', '10.0.0.6', 'notepad.exe', 'user opened a file'),
  (2, 'ws-03', 'carol', '10.0.0.7', 'rundll32.exe comsvcs.dll MiniDump', 'LSASS dump (t1003.001), see also T1003.001'),
  (3, 'dc-01', 'admin', '203.0.113.9', 'sshd', 'failed logon'),
  (4, 'dc-01', 'admin', '203.0.113.9', 'sshd', 'failed logon'),
  (5, 'fw-01', NULL, '198.51.100.4', NULL, 'many ports probed'),
  (6, 'ws-04', 'dave', '10.0.0.8', 'svc.exe', 'persistence via T1004 and a made-up T9999'),
  (7, 'ws-05', 'erin', '10.0.0.9', 'curl.exe', 'periodic calls home')
) AS t(seq, host, "user", src_ip, process, alert)`;

type FindingRow = readonly [number | null, string, string, string | null, string];

describe('integration.attack', () => {
  let harness: ComponentHarness;
  let events: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    events = await harness.table('events', EVENTS);
  });
  afterEach(async () => {
    await harness.close();
  });

  /** A findings table in the shared shape, as analysis.sigma and analysis.patterns write it. */
  const findings = async (name: string, rows: readonly FindingRow[]): Promise<DatasetHandle> => {
    await createFindingsTable(harness.sql, name, new AbortController().signal);
    for (const [rowId, kind, label, entity, detail] of rows) {
      await harness.sql.run(`INSERT INTO "${name}" VALUES ($1, $2, $3, 50, 'test', $4, $5)`, [rowId, kind, label, entity, detail]);
    }
    return harness.workspace.handle(harness.sql, name, []);
  };

  const sigma = (): Promise<DatasetHandle> =>
    findings('sigma_findings', [
      [0, 'detection', 'Suspicious Encoded PowerShell', null, JSON.stringify({ rule_id: 'ca2092a1-c273-4878-9b4b-0d60115bf5ea', title: 'Suspicious Encoded PowerShell', level: 'high', tags: ['attack.execution', 'attack.t1059.001'], attack_techniques: ['T1059.001'] })],
      [2, 'detection', 'LSASS Dump via Comsvcs', null, JSON.stringify({ rule_id: 'a49fa4d5-11db-418c-8473-1e014a8dd462', title: 'LSASS Dump via Comsvcs', level: 'high', tags: ['attack.credential-access', 'attack.t1003.001'], attack_techniques: ['T1003.001'] })],
      // Evidence of another shape yields nothing rather than failing the step.
      [1, 'detection', 'broken', null, '{"tags": "attack.t1059"'],
    ]);

  const patterns = (): Promise<DatasetHandle> =>
    findings('pattern_findings', [
      [3, 'anomaly', 'brute-force:src_ip', '203.0.113.9', '{}'],
      [4, 'anomaly', 'brute-force:src_ip', '203.0.113.9', '{}'],
      [5, 'anomaly', 'port-scan:src_ip', '198.51.100.4', '{}'],
      [7, 'anomaly', 'beaconing:dst_ip', '10.0.0.9 -> 185.2.3.4', '{}'],
      [null, 'anomaly', 'beaconing:dst_ip', '10.0.0.9 -> 185.2.3.4', '{"connections": 40}'],
      [1, 'anomaly', 'rare:user', 'bob', '{}'],
    ]);

  it('maps Sigma detections through their rule tags, with the tactics of each technique', async () => {
    const output = await harness.run(attackMapping, { datasets: [events], findings: [await sigma()] }, { text_ids: false });
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => [r['seq'], r['attack_techniques'], r['attack_tactics']])).toEqual([
      [0, ['T1059.001'], ['execution']],
      [1, [], []],
      [2, ['T1003.001'], ['credential-access']],
      [3, [], []],
      [4, [], []],
      [5, [], []],
      [6, [], []],
      [7, [], []],
    ]);
    const techniques = output.summary?.['techniques'];
    expect(techniques).toEqual([
      { id: 'T1003.001', name: 'LSASS Memory', tactics: ['credential-access'], detections: 1, rows: 1, data_findings: 0, confidence: 0.9, sources: ['sigma:a49fa4d5-11db-418c-8473-1e014a8dd462'] },
      { id: 'T1059.001', name: 'PowerShell', tactics: ['execution'], detections: 1, rows: 1, data_findings: 0, confidence: 0.9, sources: ['sigma:ca2092a1-c273-4878-9b4b-0d60115bf5ea'] },
    ]);
  });

  it('maps technique ids written in text columns, checked against the catalogue; a revoked id counts for its replacement', async () => {
    const output = await harness.run(attackMapping, { datasets: [events] }, {});
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => [r['seq'], r['attack_techniques']]).filter(([, t]) => (t as string[]).length > 0)).toEqual([
      [2, ['T1003.001']],
      [6, ['T1547.004']],
    ]);
    expect(rows[6]?.['attack_tactics']).toEqual(['persistence', 'privilege-escalation']);
    expect(output.summary?.['unknown_ids']).toEqual(['T9999']);
    expect(output.summary?.['by_source']).toEqual({ text: 2 });
  });

  it('maps pattern findings by the documented heuristics, and leaves unspecific patterns unmapped', async () => {
    const output = await harness.run(attackMapping, { datasets: [events], findings: [await patterns()] }, { text_ids: false });
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => r['attack_techniques'])).toEqual([[], [], [], ['T1110'], ['T1110'], ['T1046'], [], ['T1071', 'T1573']]);
    expect(rows.map((r) => r['attack_tactics'])[7]).toEqual(['command-and-control']);
    const techniques = output.summary?.['techniques'] as { id: string; detections: number; rows: number; confidence: number }[];
    // The beacon's data-wide finding summarises its row: one detection, not two (T1071 and T1573 each counted 2 before).
    expect(techniques.map((t) => [t.id, t.detections, t.rows, t.confidence])).toEqual([
      ['T1110', 2, 2, 0.7],
      ['T1046', 1, 1, 0.7],
      ['T1071', 1, 1, 0.5],
      ['T1573', 1, 1, 0.3],
    ]);
  });

  it('counts techniques and detections per tactic, in matrix order, from all sources together', async () => {
    const output = await harness.run(attackMapping, { datasets: [events], findings: [await sigma(), await patterns()] }, {});
    const byTactic = output.summary?.['by_tactic'] as { tactic: string; techniques: number; detections: number }[];
    expect(byTactic.filter((t) => t.techniques > 0).map((t) => [t.tactic, t.techniques, t.detections])).toEqual([
      ['execution', 1, 1],
      ['persistence', 1, 1],
      ['privilege-escalation', 1, 1],
      // Rows counted once per tactic (4 and 4 before, each row counted per technique and source).
      ['credential-access', 2, 3],
      ['discovery', 1, 1],
      ['command-and-control', 2, 1],
    ]);
    expect(byTactic).toHaveLength(14);
    expect(output.summary?.['rows_mapped']).toBe(7);
    expect(output.message).toBe('7 of 8 rows mapped to 7 ATT&CK techniques in 6 tactics');
  });

  it('drops mappings under min_confidence', async () => {
    const output = await harness.run(attackMapping, { datasets: [events], findings: [await patterns()] }, { text_ids: false, min_confidence: 0.6 });
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => r['attack_techniques'])).toEqual([[], [], [], ['T1110'], ['T1110'], ['T1046'], [], []]);
  });

  it('exports the lists joined with ";" in CSV and as arrays in JSON', async () => {
    const mapped = datasetOf(await harness.run(attackMapping, { datasets: [events], findings: [await sigma(), await patterns()] }, {}));
    await harness.run(csvExport, { datasets: [mapped] }, { output: 'attack', file: 'attack.csv' });
    await harness.run(jsonExport, { datasets: [mapped] }, { output: 'attack', file: 'attack.json' });
    const csv = (await readFile(`${harness.outputDir}/attack.csv`, 'utf8')).split('\n');
    expect(csv[0]).toBe('seq,host,user,src_ip,process,alert,attack_techniques,attack_tactics');
    expect(csv[3]).toBe('2,ws-03,carol,10.0.0.7,rundll32.exe comsvcs.dll MiniDump,"LSASS dump (t1003.001), see also T1003.001",T1003.001,credential-access');
    expect(csv[7]).toBe('6,ws-04,dave,10.0.0.8,svc.exe,persistence via T1004 and a made-up T9999,T1547.004,persistence;privilege-escalation');
    const json = JSON.parse(await readFile(`${harness.outputDir}/attack.json`, 'utf8')) as Record<string, unknown>[];
    expect(json[7]).toMatchObject({ seq: 7, attack_techniques: ['T1071', 'T1573'], attack_tactics: ['command-and-control'] });
    expect(json[1]).toMatchObject({ attack_techniques: [], attack_tactics: [] });
  });

  it('adds a per-tactic ATT&CK section to the report', async () => {
    const output = await harness.run(attackMapping, { datasets: [events], findings: [await sigma(), await patterns()] }, {});
    await harness.run(reportExport, { datasets: [datasetOf(output)], summaries: [summaryOf(attackMapping, output)] }, { output: 'threat_report', file: 'threat_report.md' });
    const report = await readFile(`${harness.outputDir}/threat_report.md`, 'utf8');
    const section = report.slice(report.indexOf('## MITRE ATT&CK'), report.indexOf('## The plan that ran'));
    expect(section).toContain('7 rows map to 7 techniques in 6 tactics (ATT&CK Enterprise v18.1).');
    expect(section).toContain(
      [
        '| tactic | id | techniques | detections |',
        '| --- | --- | --- | --- |',
        '| Execution | TA0002 | 1 | 1 |',
        '| Persistence | TA0003 | 1 | 1 |',
        '| Privilege Escalation | TA0004 | 1 | 1 |',
        '| Credential Access | TA0006 | 2 | 3 |',
        '| Discovery | TA0007 | 1 | 1 |',
        '| Command and Control | TA0011 | 2 | 1 |',
      ].join('\n'),
    );
    expect(section).toContain('| T1110 | Brute Force | credential-access | 2 | 2 | 0.7 | heuristic:brute-force |');
    expect(section).toContain('Ids not in the catalogue, ignored: T9999.');
  });

  it('keeps a view\'s hidden row column, so findings made against it land on their rows', async () => {
    // A dataset restored from the result cache is a view whose __cs_row says which row each one is.
    await harness.sql.run(`CREATE VIEW restored AS SELECT seq, host, alert, seq + 100 AS __cs_row FROM events`);
    const view = await harness.workspace.handle(harness.sql, 'restored', ['events']);
    expect(view.rowId).toBe('__cs_row');
    const found = await findings('view_findings', [[103, 'anomaly', 'brute-force:src_ip', 'x', '{}']]);
    const output = await harness.run(attackMapping, { datasets: [view], findings: [found] }, { text_ids: false });
    const mapped = datasetOf(output);
    expect(mapped.rowId).toBe('__cs_row');
    const rows = await harness.rows(mapped);
    expect(rows.map((r) => r['attack_techniques'])).toEqual([[], [], [], ['T1110'], [], [], [], []]);
    expect(Object.keys(rows[0] ?? {})).toEqual(['seq', 'host', 'alert', 'attack_techniques', 'attack_tactics']);
  });
});
