// Runs the built cs-helper binary: `detect` on the SigmaHQ regression events and on a small hand-written case.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'sigma');

async function csHelper(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, { cwd: fixtures });
}

interface DetectJson {
  rules_loaded: number;
  detections: { rule_id: string; title: string; level: string; attack_techniques: string[]; file: string; row: number }[];
  rule_problems: { rule_id: string | null; code: string; detail: string }[];
  unknown_techniques: string[];
}

const REDSUN = 'regression/regression_data/rules-emerging-threats/2026/Exploits/RedSun/win_defender_exploit_redsun_tiering_engine_detected_as_eicar/a7c3e5f2-8b1d-4e9a-b6c2-3d7f5e8a9b4c.json';
const SHIM = 'regression/regression_data/rules/windows/file/file_event/file_event_win_creation_new_shim_database/ee63c85c-6d51-4d12-ad09-04e25877a947.json';

describe('cs-helper detect', () => {
  it('prints each detection with rule, level, techniques, file and row as JSON', async () => {
    const result = await csHelper(['detect', '--rules', 'regression/rules', '--json', REDSUN, SHIM]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as DetectJson;
    expect(parsed.rules_loaded).toBe(40);
    expect(parsed.rule_problems).toEqual([]);
    // RedSun's rule (SigmaHQ, 2026) is tagged with a technique newer than the shipped ATT&CK v18.1.
    expect(parsed.unknown_techniques).toEqual(['T1685']);
    expect(parsed.detections).toEqual([
      { rule_id: 'a7c3e5f2-8b1d-4e9a-b6c2-3d7f5e8a9b4c', title: 'RedSun - TieringEngineService.exe Detected as EICAR Test File', level: 'critical', attack_techniques: ['T1036.005', 'T1685', 'T1055'], tags: expect.any(Array) as unknown, file: REDSUN, row: 1 },
      { rule_id: 'ee63c85c-6d51-4d12-ad09-04e25877a947', title: 'New Custom Shim Database Created', level: 'medium', attack_techniques: ['T1547.009'], tags: expect.any(Array) as unknown, file: SHIM, row: 1 },
    ]);
  }, 120_000);

  it('prints text lines and reports a rule it cannot run, by id, on stderr', async () => {
    const result = await csHelper(['detect', '--rules', 'unit/whoami.yml', 'unit/aggregation.yml', '--', 'unit/events.jsonl']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('high          00000000-0000-4000-8000-000000000001  Whoami Privileges Listed  [T1033]  unit/events.jsonl:1');
    expect(lines[1]).toBe('1 detections in 1 file(s); 1 rules loaded, 1 could not run');
    expect(result.stderr).toContain('warning: unit/aggregation.yml (00000000-0000-4000-8000-000000000002): aggregation in condition');
  }, 120_000);

  it('exits 1 when none of the rules named could run: no event was searched', async () => {
    const result = await csHelper(['detect', '--rules', 'unit/aggregation.yml', '--', 'unit/events.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stdout.trim()).toBe('0 detections in 1 file(s); 0 rules loaded, 1 could not run');
    expect(result.stderr).toContain('warning: unit/aggregation.yml (00000000-0000-4000-8000-000000000002): aggregation in condition');
    expect(result.stderr).toContain('error: none of the rules named could run, so no event was searched');
    const json = await csHelper(['detect', '--json', '--rules', 'unit/aggregation.yml', '--', 'unit/events.jsonl']);
    expect([json.code, (JSON.parse(json.stdout) as DetectJson).rules_loaded]).toEqual([1, 0]);
  }, 120_000);

  it('runs a correlation rule from a rule collection: password spraying from one address, the base rule silent', async () => {
    const result = await csHelper(['detect', '--json', '--rules', 'unit/password-spray-collection.yml', '--', 'unit/failed-logons.jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as DetectJson;
    expect(parsed.rules_loaded).toBe(2);
    expect(parsed.rule_problems).toEqual([]);
    // Rows 5 and 6 are the fifth and sixth account from 203.0.113.50 within ten minutes; 10.0.0.9 failed for one account.
    expect(parsed.detections.map((d) => [d.row, d.title, d.level, d.attack_techniques])).toEqual([
      [5, 'Password Spraying from One Address', 'high', ['T1110.003']],
      [6, 'Password Spraying from One Address', 'high', ['T1110.003']],
    ]);
  }, 120_000);

  it('runs the specification example of a chain: many failed logons by one user followed by a successful logon', async () => {
    // The rule file is the specification's own collection, verbatim: temporal_ordered over an event_count correlation
    // and a rule. Line 15 is jdoe's logon five minutes after ten failures; asmith failed three times (line 14), and
    // jdoe's logon at 10:00 (line 16) came two hours after.
    const result = await csHelper(['detect', '--json', '--rules', 'unit/spec-failed-then-success.yml', '--', 'unit/logons-failed-then-success.jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as DetectJson;
    expect(parsed.rules_loaded).toBe(4);
    expect(parsed.rule_problems).toEqual([]);
    expect(parsed.detections.map((d) => [d.row, d.rule_id, d.level])).toEqual([[15, 'b180ead8-d58f-40b2-ae54-c8940995b9b6', 'high']]);
  }, 120_000);

  it('named alone, a Sigma filter tunes the shipped rules: a known admin\'s group listing is no longer reported', async () => {
    // otrf/behaviours.jsonl lines 116-117 are Sysmon 1 events (User THESHIRE\\pgustavo), 119-120 Security 4688 events
    // (SubjectUserName pgustavo) of `net localgroup Administrators`, all four reported unfiltered; the filter names the
    // Sysmon field, so the Security events stay.
    const result = await csHelper(['detect', '--json', '--rules', 'unit/mf-known-admin-discovery.yml', '--', 'otrf/behaviours.jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as DetectJson & { filters_applied: number };
    expect(parsed.rules_loaded).toBeGreaterThan(400);
    expect(parsed.filters_applied).toBe(1);
    expect(parsed.rule_problems).toEqual([]);
    expect(parsed.detections.filter((d) => d.rule_id === '408b64d7-80db-51dd-944d-b83d09cddad8').map((d) => d.row)).toEqual([119, 120]);
  }, 120_000);

  it('refuses a rule file given as events with an error and a hint', async () => {
    const result = await csHelper(['detect', 'unit/whoami.yml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: unit\/whoami.yml: a Sigma rule file where event files were expected\nhint: name rule files and folders after --rules/);
    expect(result.stderr).not.toContain('    at ');
  }, 60_000);

  it('takes event files written right after the rules, as the usage reads, and asks for event files when there are none', async () => {
    // No `--`: commander puts events.jsonl into the --rules list; it is told apart by its extension.
    const result = await csHelper(['detect', '--rules', 'unit/whoami.yml', 'unit/aggregation.yml', 'unit/events.jsonl']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'high          00000000-0000-4000-8000-000000000001  Whoami Privileges Listed  [T1033]  unit/events.jsonl:1',
      '1 detections in 1 file(s); 1 rules loaded, 1 could not run',
    ]);
    // An existing file without an extension (as Zeek names its logs) is an event file too.
    const temp = await mkdtemp(join(tmpdir(), 'cs-helper-detect-'));
    try {
      const bare = join(temp, 'events');
      await copyFile(join(fixtures, 'unit', 'events.jsonl'), bare);
      const extensionless = await csHelper(['detect', '--json', '--rules', 'unit/whoami.yml', bare]);
      expect(extensionless.code, extensionless.stderr).toBe(0);
      expect((JSON.parse(extensionless.stdout) as DetectJson).detections.map((d) => [d.title, d.file, d.row])).toEqual([['Whoami Privileges Listed', bare, 1]]);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    const none = await csHelper(['detect', '--rules', 'unit/whoami.yml']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: no event file named\nhint: name the event files to run the rules over, e.g. cs-helper detect events.jsonl\n');
  }, 120_000);

  it('reads an access log whatever its name, through the W3C names of the webserver rules', async () => {
    const log = join(root, 'test', 'fixtures', 'import', 'web-logs', 'acunetix-attacks.txt');
    const result = await csHelper(['detect', '--json', log]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as DetectJson;
    expect(parsed.detections.map((d) => [d.row, d.title])).toEqual([
      [4, 'Path Traversal Exploitation Attempts'],
      [5, 'Path Traversal Exploitation Attempts'],
      [6, 'Cross Site Scripting Strings'],
      [7, 'SQL Injection Strings In URI'],
      [8, 'Server Side Template Injection Strings'],
      [9, 'SQL Injection Strings In URI'],
      [10, 'Cross Site Scripting Strings'],
      [11, 'Server Side Template Injection Strings'],
    ]);
  }, 120_000);
});
