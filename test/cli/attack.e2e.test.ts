// Runs the built cs-helper binary: `attack show` on real catalogue ids, and a workflow that asks for a Navigator layer.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';

const cli = CLI_PATH;


async function csHelper(args: readonly string[], cwd: string): Promise<CliResult> {
  return runCli(args, { cwd });
}

let work: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: run `npm run build` first');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-attack-e2e-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper attack show', () => {
  it('prints a sub-technique with its parent, tactic, platforms, status and detection text', async () => {
    const result = await csHelper(['attack', 'show', 't1059.001'], work);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'T1059.001  PowerShell',
      'status:       active',
      'parent:       T1059 Command and Scripting Interpreter',
      'tactics:      Execution (TA0002)',
      'platforms:    Windows',
    ]);
    expect(result.stdout).toContain('detection (ATT&CK v17.1):\n  If proper execution policy is set');
    expect(result.stdout).toContain('© The MITRE Corporation');
  });

  it('prints JSON with --json', async () => {
    const result = await csHelper(['attack', 'show', 'T1110', '--json'], work);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ id: 'T1110', name: 'Brute Force', status: 'active', parent: null, tactics: [{ id: 'TA0006', name: 'Credential Access', shortname: 'credential-access' }], attack_version: '18.1' });
    expect(report['platforms']).toEqual(['Containers', 'ESXi', 'IaaS', 'Identity Provider', 'Linux', 'Network Devices', 'Office Suite', 'SaaS', 'Windows', 'macOS']);
  });

  it('reports a revoked id as revoked, naming its replacement', async () => {
    const result = await csHelper(['attack', 'show', 'T1004'], work);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('status:       revoked, use T1547.004 Winlogon Helper DLL (the active technique of the same name)');
  });

  it('refuses an unknown id with one error line and a hint, exit 1, no stack trace', async () => {
    const result = await csHelper(['attack', 'show', 'T9999'], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: technique T9999 is not in the ATT&CK Enterprise v18.1 catalogue\nhint: check the id on https://attack.mitre.org/techniques/; mobile and ICS techniques are not in the Enterprise catalogue\n');
  });
});

describe('cs-helper dynamic-workflow with a navigator_layer output', () => {
  it('plans integration.attack and export.navigator, and writes the mapped data and a v4.5 layer', async () => {
    // Alerts from an EDR export: technique ids written by the tool in a text field.
    const input = join(work, 'edr_alerts.csv');
    await writeFile(
      input,
      [
        'timestamp,host,user,alert,technique',
        '2024-05-01T10:00:00Z,ws-01,alice,Encoded PowerShell command line,T1059.001',
        '2024-05-01T10:05:00Z,ws-02,bob,LSASS memory read by rundll32,T1003.001',
        '2024-05-01T10:09:00Z,ws-01,alice,Second encoded PowerShell command,T1059.001',
        '2024-05-01T10:12:00Z,ws-03,carol,Notepad opened a file,',
      ].join('\n') + '\n',
    );
    const outputDir = join(work, 'out');
    const result = await csHelper(['dynamic-workflow', 'Map these alerts to MITRE ATT&CK', '--input-files', input, '--outputs', 'enriched_data', 'navigator_layer', '--output-dir', outputDir, '--log-dir', join(work, 'logs'), '--execute', '--json'], work);
    expect(result.stderr).not.toContain('error:');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; steps: { node: string; component: string; status: string; summary: string }[] };
    expect(summary.status).toBe('completed');
    const attack = summary.steps.find((s) => s.component === 'integration.attack');
    expect(attack?.summary).toBe('3 of 4 rows mapped to 2 ATT&CK techniques in 2 tactics');
    expect(summary.steps.find((s) => s.component === 'export.navigator')?.status).toBe('completed');

    const csv = Papa.parse<Record<string, string>>(await readFile(join(outputDir, 'enriched_data.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(csv.meta.fields?.slice(-2)).toEqual(['attack_techniques', 'attack_tactics']);
    expect(csv.data.map((r) => [r['attack_techniques'], r['attack_tactics']])).toEqual([
      ['T1059.001', 'execution'],
      ['T1003.001', 'credential-access'],
      ['T1059.001', 'execution'],
      ['', ''],
    ]);

    const layer = JSON.parse(await readFile(join(outputDir, 'navigator_layer.json'), 'utf8')) as { versions: unknown; domain: string; techniques: { techniqueID: string; tactic: string; score: number }[]; gradient: { maxValue: number } };
    expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
    expect(layer.domain).toBe('enterprise-attack');
    // The sub-techniques found, then their parents, scored with them.
    expect(layer.techniques.map((t) => [t.techniqueID, t.tactic, t.score])).toEqual([
      ['T1059.001', 'execution', 2],
      ['T1003.001', 'credential-access', 1],
      ['T1059', 'execution', 2],
      ['T1003', 'credential-access', 1],
    ]);
    expect(layer.gradient.maxValue).toBe(2);
  });
});
