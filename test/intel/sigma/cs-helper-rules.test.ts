// CS Helper's own behaviour rules (rules/cs-helper), shipped in the default rule set beside the SigmaHQ subset:
// - every rule loads and compiles, with a unique id and ATT&CK tags the shipped catalogue knows;
// - each rule fires on the events written for it (one case per behaviour, with near misses that must not fire),
//   in every kind of Windows log it reads: Sysmon, Security with ids as text and a lower-case channel, System,
//   PowerShell, Task Scheduler;
// - on slices of ten real OTRF recordings, the default set finds each recording's attack, and nothing on the
//   background events kept beside it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sigmaAnalysis } from '../../../src/components/analysis/sigma.js';
import { jsonImport } from '../../../src/components/import/json.js';
import { plainText, type PlainValue } from '../../../src/data/plain-value.js';
import { quoteIdent } from '../../../src/data/sql-text.js';
import { shippedAttackCatalogue } from '../../../src/intel/attack/attack-catalogue.js';
import { CS_HELPER_RULES, DEFAULT_RULE_SOURCES, SIGMAHQ_RULES } from '../../../src/intel/sigma/default-rules.js';
import { loadSigmaRules } from '../../../src/intel/sigma/load-rules.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

const SIGMA_FIXTURES = fileURLToPath(new URL('../../fixtures/sigma/', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('the CS Helper rule folder', () => {
  test('132 rules and 2 correlations load with no problem, each with its own id; all that report carry ATT&CK techniques the catalogue holds as active', async () => {
    const loaded = await loadSigmaRules([CS_HELPER_RULES]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.rules).toHaveLength(132);
    expect(loaded.correlations).toHaveLength(2);
    expect(new Set([...loaded.rules, ...loaded.correlations].map((r) => r.id)).size).toBe(134);
    // The building blocks of a correlation (a failed logon, a successful logon) report nothing of their own.
    const named = new Set(loaded.correlations.flatMap((c) => c.rules));
    const reporting = [...loaded.rules.filter((r) => r.name === null || !named.has(r.name)), ...loaded.correlations];
    expect(reporting).toHaveLength(132);
    const catalogue = shippedAttackCatalogue();
    for (const rule of reporting) {
      expect(rule.attackTechniques.length, rule.title).toBeGreaterThan(0);
      for (const id of rule.attackTechniques) expect(catalogue.technique(id)?.status, `${rule.title}: ${id}`).toBe('active');
    }
  });

  test('the default set is the SigmaHQ subset and the CS Helper rules, in that order', () => {
    expect(DEFAULT_RULE_SOURCES).toEqual([SIGMAHQ_RULES, CS_HELPER_RULES]);
  });
});

describe('each behaviour rule on the events written for it', () => {
  const expected = JSON.parse(readFileSync(join(SIGMA_FIXTURES, 'unit', 'cs-helper-behaviours.expected.json'), 'utf8')) as Record<string, string[]>;
  let harness: ComponentHarness;
  /** TestCase -> titles of the rules that fired on it. */
  const fired = new Map<string, string[]>();

  beforeAll(async () => {
    harness = await ComponentHarness.open({ baseDir: REPO });
    const events = datasetOf(await harness.run(jsonImport, {}, { paths: ['test/fixtures/sigma/unit/cs-helper-behaviours.jsonl'] }));
    const output = await harness.run(sigmaAnalysis, { datasets: [events] }, { rules: ['rules/cs-helper'] });
    expect(output.summary?.['rule_problems']).toBe(0);
    // One successful logon and no failed one among these events: the shipped chain cannot fire and is not run.
    expect(output.summary?.['correlations_applied']).toBe(0);
    const rows = await harness.sql.all(
      `SELECT e."TestCase" AS test_case, list(f.detail->>'title' ORDER BY f.detail->>'title') AS titles FROM ${quoteIdent(findingsOf(output).table)} f
       JOIN ${quoteIdent(events.table)} e ON e.${quoteIdent(events.rowId)} = f.row_id GROUP BY ALL`,
    );
    for (const row of rows) fired.set(plainText(row['test_case']), (row['titles'] as PlainValue[]).map((t) => plainText(t)));
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  test('91 cases: 71 that a rule must fire on, 20 near misses that none may', () => {
    const cases = Object.entries(expected);
    expect(cases).toHaveLength(91);
    expect(cases.filter(([, titles]) => titles.length === 0)).toHaveLength(20);
  });

  test.each(Object.entries(expected))('%s', (testCase, titles) => {
    expect(fired.get(testCase) ?? []).toEqual([...titles].sort());
  });
});

describe('the default rule set on ten real OTRF recordings', () => {
  let harness: ComponentHarness;
  let events: DatasetHandle;
  let output: ComponentOutput;
  /** Rule title -> detections; and the ATT&CK techniques of every detection. */
  const byTitle = new Map<string, number>();
  const techniques = new Set<string>();

  beforeAll(async () => {
    harness = await ComponentHarness.open({ baseDir: SIGMA_FIXTURES });
    events = datasetOf(await harness.run(jsonImport, {}, { paths: ['otrf/behaviours.jsonl'] }));
    output = await harness.run(sigmaAnalysis, { datasets: [events] }, {});
    const rows = await harness.sql.all(`SELECT detail FROM ${quoteIdent(findingsOf(output).table)}`);
    for (const row of rows) {
      const detail = JSON.parse(plainText(row['detail'])) as { title: string; attack_techniques: string[] };
      byTitle.set(detail.title, (byTitle.get(detail.title) ?? 0) + 1);
      for (const id of detail.attack_techniques) techniques.add(id);
    }
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  test('the slices hold 158 events; the default set loads the 304 SigmaHQ rules (all compile) and the 134 of CS Helper', () => {
    expect(events.rowCount).toBe(158);
    expect(output.summary?.['rules_loaded']).toBe(438);
  });

  test("each recording's labelled technique is found (index.csv), except the vault one, labelled T1055, found as T1555.004", () => {
    for (const id of ['T1003.001', 'T1003.002', 'T1197', 'T1218.005', 'T1218.001', 'T1069.001', 'T1059.001', 'T1021.002']) expect(techniques, id).toContain(id);
    expect(techniques).toContain('T1555.004');
    expect(techniques).not.toContain('T1055');
  });

  test('every detection, by rule: the attacks, and the Security log cleared before eight of the recordings', () => {
    expect(Object.fromEntries([...byTitle.entries()].sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      'Administrative Share or Service Pipe Accessed over the Network': 1,
      'Bitsadmin Download or Job Creation': 2,
      'Compiled HTML Help File Opened by hh.exe': 2,
      'Credential Hive File Copied': 2,
      'LSASS Memory Dump via Comsvcs MiniDump': 2,
      'LSASS Named in a Dump Command Line': 2,
      'LSASS Process Memory Opened for Reading': 4,
      'Local Group Membership Listed with net': 4,
      'Memory Dump File Written': 2,
      'Mshta Running Script or Remote Content': 2,
      'PowerShell Loads the HTTP Server API': 1,
      'Process Started by Mshta': 2,
      'Process Started by hh.exe': 2,
      'Registry Hive or AD Database Written Outside Its Folder': 1,
      'Security Log Cleared': 8,
      'Service Control of Another Host with sc.exe': 2,
      'Windows Vault Client Loaded by a Script Host': 1,
    });
  });
});

describe('the shipped correlation chain: a logon after many failed logons for the account', () => {
  test('fires on the logon after twelve failures, not on a typo, a spray, a logon too late or one before the failures', async () => {
    const harness = await ComponentHarness.open({ baseDir: REPO });
    try {
      // unit/logons-brute-force.jsonl (written for this test), by row: svc_backup fails twelve times, then logs on 20
      // minutes later (48); alice fails three times (15); ten users fail once each, one logs on (26); bob logs on two
      // hours after ten failures (49); carol logs on before hers (37).
      const events = datasetOf(await harness.run(jsonImport, {}, { paths: ['test/fixtures/sigma/unit/logons-brute-force.jsonl'] }));
      const output = await harness.run(sigmaAnalysis, { datasets: [events] }, { rules: ['rules/cs-helper'] });
      expect(output.summary?.['rule_problems']).toBe(0);
      expect(output.summary?.['correlations_applied']).toBe(2);
      const found = await harness.sql.all(`SELECT row_id, detail->>'title' AS title, detail->>'level' AS level FROM ${quoteIdent(findingsOf(output).table)} ORDER BY row_id`);
      expect(found.map((r) => [Number(r['row_id']), plainText(r['title']), plainText(r['level'])])).toEqual([[48, 'Logon After Many Failed Logons for the Account', 'medium']]);
    } finally {
      await harness.close();
    }
  });
});
