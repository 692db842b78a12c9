// The header of the CSV files analysts bring, seen by the profiler and read by import.csv as the plan tells it to (the
// profile's has_header and delimiter): a pandas index column, a trailing delimiter, names with punctuation, repeated
// names, QRadar times. The plan's columns must be the imported table's, and headerless files must stay headerless.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { csvImport } from '../../src/components/import/csv.js';
import { uniqueColumnNames } from '../../src/data/column-names.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import type { FileProfile } from '../../src/model/file-profile.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { profileFile } from '../../src/planner/profile-file.js';
import { ComponentHarness, datasetOf } from '../helpers/component-harness.js';

let temp: string;
let harness: ComponentHarness;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-'));
  harness = await ComponentHarness.open({ baseDir: temp });
});
afterAll(async () => {
  await harness.close();
  await rm(temp, { recursive: true, force: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(temp, name);
  await writeFile(path, text);
  return path;
}

/** Profiles the file, then imports it with the parameters the plan gives import.csv (assemble.ts: paramsFor). */
async function profileAndImport(name: string, text: string): Promise<{ profile: FileProfile; columns: string[]; rows: Record<string, unknown>[] }> {
  const path = await fileWith(name, text);
  const profile = await profileFile(path, name);
  const dataset = datasetOf(await harness.run(csvImport, {}, { paths: [path], delimiter: profile.delimiter, header: profile.has_header }));
  return { profile, columns: dataset.columns.map((c) => c.name), rows: await harness.rows(dataset) };
}

function rolesOf(profile: FileProfile): Record<string, string | null> {
  return Object.fromEntries(profile.columns.map((c) => [c.name, c.role]));
}

describe('CSV headers the profiler used to read as data', () => {
  it('a pandas to_csv() index column (empty first header cell): header, 2 rows, roles, names as imported', async () => {
    const { profile, columns, rows } = await profileAndImport('pandas.csv', ',timestamp,src_ip,dst_ip,bytes\n0,2024-01-01T00:00:00Z,10.0.0.1,8.8.8.8,100\n1,2024-01-01T00:00:01Z,10.0.0.2,8.8.4.4,200\n');
    expect(profile).toMatchObject({ has_header: true, estimated_rows: 2 });
    expect(profile.columns.map((c) => c.name)).toEqual(['column0', 'timestamp', 'src_ip', 'dst_ip', 'bytes']);
    expect(columns).toEqual(['column0', 'timestamp', 'src_ip', 'dst_ip', 'bytes']);
    expect(rolesOf(profile)).toMatchObject({ timestamp: 'timestamp', src_ip: 'ip', dst_ip: 'ip' });
    expect(rows.map((r) => [r['src_ip'], r['bytes']])).toEqual([['10.0.0.1', 100], ['10.0.0.2', 200]]);
  });

  it('a delimiter at the end of every line (empty last header cell)', async () => {
    const { profile, columns, rows } = await profileAndImport('trailing.csv', 'src_ip,dst_ip,bytes,\n10.0.0.1,8.8.8.8,100,\n10.0.0.2,1.1.1.1,200,\n');
    expect(profile).toMatchObject({ has_header: true, estimated_rows: 2 });
    expect(profile.columns.map((c) => c.name)).toEqual(columns);
    expect(columns.slice(0, 3)).toEqual(['src_ip', 'dst_ip', 'bytes']);
    expect(rolesOf(profile)).toMatchObject({ src_ip: 'ip', dst_ip: 'ip' });
    expect(rows.map((r) => r['dst_ip'])).toEqual(['8.8.8.8', '1.1.1.1']);
  });

  it('names with punctuation above text rows, and no number column', async () => {
    const { profile, columns, rows } = await profileAndImport(
      'punctuation.csv',
      'Source IP (v4),Destination IP,User/Account,Action\n10.0.0.1,8.8.8.8,CORP\\alice,allow\n10.0.0.2,1.1.1.1,CORP\\bob,deny\n10.0.0.3,9.9.9.9,CORP\\carol,allow\n',
    );
    expect(profile).toMatchObject({ has_header: true, estimated_rows: 3 });
    expect(columns).toEqual(['Source IP (v4)', 'Destination IP', 'User/Account', 'Action']);
    expect(profile.columns.map((c) => c.name)).toEqual(columns);
    expect(rolesOf(profile)).toMatchObject({ 'Source IP (v4)': 'ip', 'Destination IP': 'ip' });
    expect(rows[0]).toEqual({ 'Source IP (v4)': '10.0.0.1', 'Destination IP': '8.8.8.8', 'User/Account': 'CORP\\alice', Action: 'allow' });
  });

  it('names with punctuation above rows of words only (no IPs, numbers or times to compare with)', async () => {
    const { profile, columns } = await profileAndImport('words.csv', 'Host Name,User/Account,Action (final)\nws-kira,kira.rossi,allow\nws-omar,omar.haddad,deny\n');
    expect(profile).toMatchObject({ has_header: true, estimated_rows: 2 });
    expect(columns).toEqual(['Host Name', 'User/Account', 'Action (final)']);
  });

  it('a QRadar export: "Nov 28, 2026, 12:00:00 PM" times below Start Time, a name with parentheses', async () => {
    const { profile, columns, rows } = await profileAndImport(
      'qradar.csv',
      'Start Time,Event Name (custom),Log Source,Username\n"Nov 28, 2026, 12:00:00 PM",Failed Login,WinCollect @ DC01,alice\n"Nov 28, 2026, 12:05:31 PM",Failed Login,WinCollect @ DC01,bob\n',
    );
    expect(profile).toMatchObject({ has_header: true, estimated_rows: 2 });
    expect(columns).toEqual(['Start Time', 'Event Name (custom)', 'Log Source', 'Username']);
    expect(profile.columns.map((c) => c.name)).toEqual(columns);
    expect(rows.map((r) => r['Username'])).toEqual(['alice', 'bob']);
  });

  it('a repeated name above text rows: header, the repeat named user_1 as the engine names it', async () => {
    const { profile, columns, rows } = await profileAndImport('dup.csv', 'src_ip,user,user,dst_ip\n10.0.0.1,alice,ALICE,8.8.8.8\n10.0.0.2,bob,BOB,1.1.1.1\n');
    expect(profile).toMatchObject({ has_header: true, estimated_rows: 2 });
    expect(columns).toEqual(['src_ip', 'user', 'user_1', 'dst_ip']);
    expect(profile.columns.map((c) => c.name)).toEqual(columns);
    expect(rolesOf(profile)).toMatchObject({ src_ip: 'ip', user: 'user', dst_ip: 'ip' });
    expect(rows[1]).toEqual({ src_ip: '10.0.0.2', user: 'bob', user_1: 'BOB', dst_ip: '1.1.1.1' });
  });

  it('a header repeated further down (exports appended to one file) is still the header', async () => {
    const { profile } = await profileAndImport('appended.csv', 'host,user\nws-1,alice\nhost,user\nws-2,bob\n');
    expect(profile.has_header).toBe(true);
  });
});

describe('files without a header stay headerless, named as the engine names them', () => {
  it('numbers only: column0.. in the plan as in the imported table', async () => {
    const { profile, columns, rows } = await profileAndImport('netflow.csv', '1772445600,167775446,443,6\n1772445641,167772171,123,17\n');
    expect(profile).toMatchObject({ has_header: false, estimated_rows: 2 });
    expect(profile.columns.map((c) => c.name)).toEqual(['column0', 'column1', 'column2', 'column3']);
    expect(columns).toEqual(['column0', 'column1', 'column2', 'column3']);
    expect(rows).toHaveLength(2);
  });

  it('eleven columns: the engine pads the numbers (column00..column10), and so does the profile', async () => {
    const line = (n: number): string => Array.from({ length: 11 }, (_, i) => String(n * 100 + i)).join(',');
    const { profile, columns } = await profileAndImport('wide.csv', `${line(1)}\n${line(2)}\n`);
    expect(profile.has_header).toBe(false);
    expect(columns[0]).toBe('column00');
    expect(columns[10]).toBe('column10');
    expect(profile.columns.map((c) => c.name)).toEqual(columns);
  });

  it('IPs and times in the first row, a list of IPs, a list of domains, hostnames with numbers, repeated words', async () => {
    const cases: [string, string][] = [
      ['flows.csv', '2024-01-01T00:00:00Z,10.0.0.1,8.8.8.8\n2024-01-01T00:00:01Z,10.0.0.2,8.8.4.4\n'],
      ['ips.txt', '185.220.101.47\n103.82.243.5\n45.95.147.236\n'],
      ['domains.txt', 'evil-updates.com\nofficeman.tk\nbad-cdn.net\n'],
      ['hosts.csv', 'WS-0142,kira.rossi\nWS-1270,paul.meyer\nWS-0511,li.wei\n'],
      ['levels.csv', 'low,low,high\nhigh,low,low\nlow,high,low\n'],
      ['qradar-headerless.csv', '"Nov 28, 2026, 12:00:00 PM",Failed Login,alice\n"Nov 28, 2026, 12:05:31 PM",Failed Login,bob\n'],
    ];
    for (const [name, text] of cases) {
      const { profile, rows } = await profileAndImport(name, text);
      expect(profile.has_header, name).toBe(false);
      expect(rows, name).toHaveLength(text.trim().split('\n').length);
    }
  });
});

describe('header names made distinct as the engine makes them', () => {
  it.each([
    ['user,user,User,dst_port'],
    ['a,A,a_1,a'],
    ['x,x_1,x,x'],
    ['column1,,x,y'],
    [',column0,x,y'],
    ['b,,,,,,,,,,,column01'],
  ])('%s', async (header) => {
    const width = header.split(',').length;
    const path = await fileWith(`names-${width}-${header.length}.csv`, `${header}\n${Array.from({ length: width }, (_, i) => String(i)).join(',')}\n`);
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: [path], header: true }));
    expect(uniqueColumnNames(header.split(','))).toEqual(dataset.columns.map((c) => c.name));
  });
});

describe('the whole run on a pandas export', () => {
  it('matches indicators instead of skipping the step, and counts the data rows only', async () => {
    // 103.82.243.5 is a Pikabot C2 address in the bundled Feodo Tracker feed.
    await fileWith('pandas-c2.csv', ',timestamp,src_ip,dst_ip,bytes\n0,2026-03-02T08:00:00Z,10.20.10.5,103.82.243.5,100\n1,2026-03-02T08:00:01Z,10.20.10.6,8.8.8.8,200\n');
    const plan = await planWorkflow({ problem: 'Analyze these files for threats', inputFiles: ['pandas-c2.csv'], outputs: ['enriched_data'], baseDir: temp }, createBuiltInRegistry());
    const outputDir = join(temp, 'out');
    const result = await executePlan(plan, { registry: createBuiltInRegistry(), outputDir, workspace: { threads: 1 } });
    expect(result.error).toBeUndefined();
    const step = (node: string): (typeof result.steps)[number] | undefined => result.steps.find((s) => s.node === node);
    expect(step('import')).toEqual(expect.objectContaining({ status: 'completed', rowsOut: 2 }));
    expect(step('ioc-match')).toEqual(expect.objectContaining({ status: 'completed', rowsOut: 1 }));
  });
});
