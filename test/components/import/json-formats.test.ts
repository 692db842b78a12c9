// import.json on real event files: Sigma regression events (Windows event JSON, objects one after another), OTRF
// recordings (flat JSON Lines), the XML-to-JSON `Data` array form and UserData; and broken or hostile JSON.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonImport } from '../../../src/components/import/json.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-json-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('import.json on Windows events', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('reads two Sysmon events written one after another, with the field names Sigma rules use', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['sysmon-dtrace-concatenated.json'] }));
    expect(dataset.rowCount).toBe(2);
    const names = dataset.columns.map((c) => c.name);
    expect(names.slice(0, 16)).toEqual(['Provider_Name', 'Provider_Guid', 'EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'TimeCreated', 'EventRecordID', 'Correlation', 'Execution_ProcessID', 'Execution_ThreadID', 'Channel', 'Computer', 'Security_UserID']);
    expect(names).toEqual(expect.arrayContaining(['Image', 'CommandLine', 'ParentImage', 'ParentCommandLine', 'User', 'Hashes', 'ProcessId', 'OriginalFileName']));
    expect(names.some((n) => n.includes('#attributes') || n.startsWith('Event.'))).toBe(false);
    const rows = await harness.rows(dataset);
    expect(rows.map((r) => [r['EventID'], r['Channel'], r['Computer'], r['Provider_Name'], r['TimeCreated'], r['ProcessId']])).toEqual([
      [1, 'Microsoft-Windows-Sysmon/Operational', 'ar-win-dc.attackrange.local', 'Microsoft-Windows-Sysmon', '2025-10-27T00:04:12.105Z', 2524],
      [1, 'Microsoft-Windows-Sysmon/Operational', 'ar-win-dc.attackrange.local', 'Microsoft-Windows-Sysmon', '2025-10-27T00:04:13.045Z', 7748],
    ]);
    expect(rows[1]?.['CommandLine']).toBe('dtrace.exe  -w -n "syscall:::return {lkd(0); exit(0);}"');
    expect(rows[0]?.['Image']).toBe('C:\\Program Files\\DTrace\\dtrace.exe');
  });

  it('keeps EventData names with spaces (Defender 1119) as columns', async () => {
    // GUIDs are read as UUIDs, which print in lower case (Sigma compares without case).
    const rows = await harness.rows(datasetOf(await harness.run(jsonImport, {}, { paths: ['defender-1119.json'] })));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ EventID: 1119, Provider_Name: 'Microsoft-Windows-Windows Defender', 'Threat Name': 'Tool:Win32/EICAR_Test_File', 'Action Name': 'Quarantine', Correlation_ActivityID: '6b3dff46-f4e6-4cda-983b-76b101728aa5' });
  });

  it('pivots EventData Data arrays of {@Name, #text} into columns and lifts UserData fields', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['security-events-data-array.json'] }));
    const rows = await harness.rows(dataset);
    expect(rows.map((r) => [r['EventID'], r['Provider_Name'], r['TargetUserName'], r['IpAddress'], r['LogonType']])).toEqual([
      [4625, 'Microsoft-Windows-Security-Auditing', 'root', '203.0.113.77', '3'],
      [4625, 'Microsoft-Windows-Security-Auditing', 'admin', '203.0.113.77', '3'],
      [5858, 'Microsoft-Windows-WMI-Activity', null, null, null],
    ]);
    expect(rows[2]).toMatchObject({ TimeCreated: '2026-03-02T08:31:40.000Z', ClientMachine: 'WS-0511', User: 'CONTOSO\\li.wei', Operation: 'Start IWbemServices::ExecQuery - root\\cimv2 : SELECT * FROM AntiVirusProduct' });
    expect(dataset.columns.find((c) => c.name === 'IpAddress')?.role).toBe('ip');
  });

  it('reads an OTRF recording (flat JSON Lines of Security and Sysmon events) with its own field names', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['otrf-httplistener.jsonl'] }));
    expect(dataset.rowCount).toBe(10);
    const rows = await harness.rows(dataset);
    expect(rows.map((r) => r['EventID'])).toEqual([1102, 5158, 5156, 5158, 5158, 5154, 10, 10, 13, 13]);
    expect(rows[2]).toMatchObject({ Channel: 'Security', DestAddress: '168.63.129.16', DestPort: '80', Hostname: 'WORKSTATION5' });
    expect(dataset.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['@timestamp', 'TargetObject', 'SourceImage', 'GrantedAccess']));
  });

  it('can leave Windows events nested when asked', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['defender-1119.json'], windows_events: false }));
    expect(dataset.columns.map((c) => c.name)).toContain('Event.System.EventID');
  });
});

describe('import.json on broken and hostile JSON', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: temp });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('names the line of a broken JSON Lines record', async () => {
    await writeFile(join(temp, 'alerts-broken.jsonl'), '{"ts": "2026-03-02T08:00:00Z", "n": 1}\n{"ts": "2026-03-02T08:00:01Z", "n": 2,\n{"ts": "2026-03-02T08:00:02Z", "n": 3}\n');
    const error = await rejectionOf(harness.run(jsonImport, {}, { paths: ['alerts-broken.jsonl'] }), InputFileError);
    // The second record never closes: the parser finds out at the start of the third line.
    expect(error.message).toMatch(/^alerts-broken\.jsonl:2: not valid JSON: unexpected character \(byte \d+\)$/);
    expect(error.line).toBe(2);
  });

  it('refuses an object past max_object_bytes as too large, naming the file and the limit, and reads it with the limit raised', async () => {
    // 40 MB in one record: past what the engine reads at the 16 MiB default (it buffers twice the limit).
    await writeFile(join(temp, 'huge-record.jsonl'), `{"n": 1, "blob": "small"}\n{"n": 2, "blob": "${'x'.repeat(40_000_000)}"}\n`);
    const error = await rejectionOf(harness.run(jsonImport, {}, { paths: ['huge-record.jsonl'] }), InputFileError);
    expect(error.problem).toBe('too-large');
    expect(error.message).toBe("huge-record.jsonl: a JSON object is larger than the import's limit of 16 MiB (max_object_bytes)");
    expect(error.hint).toMatch(/raise max_object_bytes/);
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['huge-record.jsonl'], max_object_bytes: 64 * 1024 * 1024 }));
    expect(dataset.rowCount).toBe(2);
  });

  it('reads JSON nested 10,000 levels deep without crashing, keeping the deep part as JSON text', async () => {
    await writeFile(join(temp, 'deep.json'), `[{"id": 1, "payload": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}]`);
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['deep.json'] }));
    expect(dataset.rowCount).toBe(1);
    expect((await harness.rows(dataset))[0]?.['id']).toBe(1);
  });
});
