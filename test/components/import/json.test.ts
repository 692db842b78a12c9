import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonImport } from '../../../src/components/import/json.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { plainText } from '../../../src/data/plain-value.js';
import { rejectionOf } from '../../helpers/rejection.js';

describe('import.json', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('flattens an array of nested EDR events into dotted columns', async () => {
    const output = await harness.run(jsonImport, {}, { paths: ['edr-events.json'] });
    const dataset = datasetOf(output);

    expect(dataset.rowCount).toBe(3);
    const names = dataset.columns.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['timestamp', 'event.action', 'event.severity', 'host.name', 'host.ip', 'process.name', 'process.pid', 'process.parent.name', 'process.parent.pid', 'user.name', 'user.domain', 'destination.ip', 'destination.port']));
    // No struct is left behind: every column is a leaf.
    expect(dataset.columns.filter((c) => c.sqlType.startsWith('STRUCT'))).toEqual([]);
    expect(dataset.columns.find((c) => c.name === 'host.ip')?.role).toBe('ip');

    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => [r['event.action'], r['process.parent.name'], r['process.parent.pid'], r['destination.ip']])).toEqual([
      ['process_start', 'winword.exe', 4412, null],
      ['network_connect', 'winword.exe', 4412, '103.82.243.5'],
      ['process_start', 'explorer.exe', 3308, null],
    ]);
    expect(harness.log.dataOperations).toEqual([expect.objectContaining({ operation: 'read', target: 'edr-events.json', rows: 3 })]);
  });

  it('reads JSON Lines with format newline_delimited', async () => {
    const output = await harness.run(jsonImport, {}, { paths: ['dns-queries.jsonl'], format: 'newline_delimited' });
    const dataset = datasetOf(output);

    expect(dataset.rowCount).toBe(4);
    expect(dataset.columns.map((c) => c.name)).toEqual(['ts', 'client.ip', 'client.host', 'query', 'qtype', 'rcode', 'answers']);
    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => r['query'])).toEqual(['www.google.com', 'officeman.tk', 'login.microsoftonline.com', 'telemetry-cdn.xyz']);
    expect(rows.map((r) => r['client.ip'])).toEqual(['10.20.10.24', '10.20.12.30', '10.20.10.24', '10.20.13.5']);
  });

  it('keeps one level of nesting as a struct when flatten_depth is 1', async () => {
    const output = await harness.run(jsonImport, {}, { paths: ['edr-events.json'], flatten_depth: 1 });
    const names = datasetOf(output).columns.map((c) => c.name);
    expect(names).toContain('process.name');
    expect(names).toContain('process.parent');
    expect(names).not.toContain('process.parent.name');
  });

  it('refuses invalid JSON as malformed, naming the file', async () => {
    const error = await rejectionOf(harness.run(jsonImport, {}, { paths: ['truncated-events.json'] }), InputFileError);
    expect(error.problem).toBe('malformed');
    expect(error.code).toBe('input-file-malformed');
    expect(error.message).toMatch(/^truncated-events\.json:3: not valid JSON/);
  });

  it('keeps a field named __proto__ as data without polluting Object.prototype', async () => {
    const output = await harness.run(jsonImport, {}, { paths: ['proto-pollution.json'] });
    const dataset = datasetOf(output);

    expect(dataset.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['__proto__.isAdmin', 'request.constructor.prototype.polluted', 'user']));
    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => [r['user'], r['__proto__.isAdmin'], r['request.constructor.prototype.polluted']])).toEqual([
      ['svc_webapp', true, 'yes'],
      ['kira.rossi', false, 'no'],
    ]);
    // The row read back into JS holds the field as its own data.
    expect(rows[0] !== undefined && Object.hasOwn(rows[0], '__proto__.isAdmin')).toBe(true);
    const probe: Record<string, unknown> = {};
    expect(probe['isAdmin']).toBeUndefined();
    expect(probe['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });
});

describe('import.json: a field whose type varies between records', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('reads the value each record holds, not its JSON text (lab exports write EventID as 4698 and as "4698")', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['mixed-types.jsonl'] }));
    const rows = await harness.rows(dataset.table);
    // Before, the engine's JSON column kept the quotes of the string: '"4698"', which no rule value equals.
    expect(rows.map((r) => r['EventID'])).toEqual(['4698', '4698', null]);
    expect(rows.map((r) => r['Task'])).toEqual(['{"Name":"a"}', 'plain text', '{"Name":"b"}']);
    expect(rows.map((r) => r['Tags'])).toEqual(['["x"]', 'y', null]);
  });
});

describe('import.json: records inside a wrapper object', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('reads CloudTrail\'s {"Records": [...]} as one row per record, nested fields as dotted columns', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['cloudtrail-records.json'] }));
    expect(dataset.rowCount).toBe(3);
    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => [r['eventName'], r['userIdentity.type'], r['eventSource']])).toEqual([
      ['PutBucketPolicy', 'IAMUser', 's3.amazonaws.com'],
      ['ConsoleLogin', 'Root', 'signin.amazonaws.com'],
      ['StopLogging', 'AssumedRole', 'cloudtrail.amazonaws.com'],
    ]);
    expect(dataset.columns.find((c) => c.name === 'sourceIPAddress')?.role).toBe('ip');
  });

  it('stacks the records of several CloudTrail files, naming each row\'s file', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['cloudtrail-records.json', 'cloudtrail-records-2.json'] }));
    expect(dataset.rowCount).toBe(4);
    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => [plainText(r['source_file']).split('/').pop(), r['eventName']])).toEqual([
      ['cloudtrail-records.json', 'PutBucketPolicy'],
      ['cloudtrail-records.json', 'ConsoleLogin'],
      ['cloudtrail-records.json', 'StopLogging'],
      ['cloudtrail-records-2.json', 'CreateAccessKey'],
    ]);
  });

  it('reads Azure\'s {"records": [...]} the same way', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['azure-activity-records.json'] }));
    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => [r['operationName'], r['identity.claims.name']])).toEqual([
      ['MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE', 'bob'],
      ['MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE', 'eve'],
    ]);
  });

  it("says which of the wrapper's other keys the records leave out", async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['cloudtrail-with-token.json'] }));
    expect(dataset.rowCount).toBe(2);
    expect(harness.log.entries.filter((e) => e.level === 'warn').map((e) => [e.type, e.description])).toEqual([
      ['wrapper-keys-left-out', "the records are read from 'Records'; the wrapper's other keys are left out: nextToken"],
    ]);
  });

  it('an empty record list is an empty file, named', async () => {
    const error = await rejectionOf(harness.run(jsonImport, {}, { paths: ['cloudtrail-empty.json'] }), InputFileError);
    expect(error.message).toContain('cloudtrail-empty.json');
    expect(error.message).toContain('no records');
  });
});

describe('import.json: Windows events shipped by Winlogbeat', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('reads winlog.channel, winlog.event_id and winlog.event_data.* under the names the rules use', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['winlogbeat-events.jsonl'] }));
    const names = dataset.columns.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Channel', 'EventID', 'Computer', 'Provider_Name', 'EventRecordID', 'Image', 'CommandLine', 'ParentImage', 'LogonType', 'event.code', 'host.name']));
    expect(names.filter((n) => n.startsWith('winlog.'))).toEqual([]);
    const rows = await harness.rows(dataset.table);
    expect(rows.map((r) => [r['Channel'], r['EventID'], r['Image'] ?? r['LogonType']])).toEqual([
      ['Microsoft-Windows-Sysmon/Operational', 1, 'C:\\Windows\\System32\\mshta.exe'],
      ['Security', 4624, '9'],
      ['Microsoft-Windows-Sysmon/Operational', 1, 'C:\\Windows\\System32\\notepad.exe'],
    ]);
  });
});
