// profileFile on the files analysts really bring: abuse.ch banners with a commented header and padded fields, every
// encoding, Windows events written one after another, and the detector order that other input kinds extend.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { profileFile } from '../../src/planner/profile-file.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const fixture = (name: string): string => join(IMPORT_FIXTURES, name);

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-profile-formats-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function refusal(path: string): Promise<InputFileError> {
  const error: unknown = await profileFile(path).then(() => undefined, (e: unknown) => e);
  if (error instanceof InputFileError) return error;
  throw new Error(`expected an InputFileError for ${path}, got ${String(error)}`);
}

describe('profileFile on abuse.ch dumps', () => {
  it('takes MalwareBazaar column names from the last banner line and sees the padded delimiter', async () => {
    const profile = await profileFile(fixture('malwarebazaar-dump.csv'));
    expect(profile).toMatchObject({ kind: 'csv', delimiter: ', ', has_header: true, estimated_rows: 6 });
    expect(profile.columns.map((c) => c.name).slice(0, 5)).toEqual(['first_seen_utc', 'sha256_hash', 'md5_hash', 'sha1_hash', 'reporter']);
    expect(profile.columns.find((c) => c.name === 'sha256_hash')).toMatchObject({ role: 'hash', inferred_type: 'string' });
    expect(profile.notes).toEqual(['9 comment lines starting with #', 'fields padded with a space after the delimiter', 'column names in the last comment line']);
  });

  it('reads URLhaus: commented header, quoted rows', async () => {
    const profile = await profileFile(fixture('urlhaus-recent.csv'));
    expect(profile).toMatchObject({ delimiter: ',', has_header: true, estimated_rows: 10 });
    expect(profile.columns.map((c) => c.name)).toEqual(['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter']);
    expect(profile.columns.find((c) => c.name === 'url')?.role).toBe('url');
  });
});

describe('profileFile encodings', () => {
  it.each([
    ['payments-windows1252.csv', 'windows-1252', 'display_name'],
    ['logons-utf16be-bom.csv', 'utf-16be', 'TargetUserName'],
    ['logons-utf16le-nobom.csv', 'utf-16le', 'TargetUserName'],
    ['logons-utf16be-nobom.csv', 'utf-16be', 'TargetUserName'],
    ['logins-mixed-encoding.csv', 'utf-8', 'city'],
  ])('reads %s as %s', async (file, encoding, column) => {
    const profile = await profileFile(fixture(file));
    expect(profile.encoding).toBe(encoding);
    expect(profile.columns.map((c) => c.name)).toContain(column);
    expect(profile.estimated_rows).toBe(file.startsWith('logins') ? 4 : 3);
  });

  it('says where a NUL byte makes a text file binary', async () => {
    const path = join(temp, 'nul.csv');
    await writeFile(path, Buffer.from('user,host\nkira,WS-01\nomar,WS\u000002\n'));
    expect((await refusal(path)).message).toBe(`${path}: binary content (NUL bytes) where text was expected (a NUL byte on line 3)`);
  });
});

describe('profileFile on JSON events', () => {
  it('notes Sysmon events written one after another, with rule field names', async () => {
    const profile = await profileFile(fixture('sysmon-dtrace-concatenated.json'));
    expect(profile).toMatchObject({ kind: 'json', estimated_rows: 2 });
    expect(profile.notes).toEqual(['several JSON objects one after another', 'Windows event JSON: System and EventData fields as columns']);
    expect(profile.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['EventID', 'Channel', 'Computer', 'Provider_Name', 'TimeCreated', 'Image', 'CommandLine', 'ParentImage']));
  });

  it('reads an OTRF recording as JSON Lines', async () => {
    const profile = await profileFile(fixture('otrf-httplistener.jsonl'));
    expect(profile).toMatchObject({ kind: 'jsonl', estimated_rows: 10 });
    expect(profile.columns.find((c) => c.name === 'DestAddress')?.role).toBe('ip');
  });

  it('refuses JSON nested past 256 levels, naming the line', async () => {
    const path = join(temp, 'deep.json');
    await writeFile(path, `[\n{"id": 1,\n"payload": ${'['.repeat(10_000)}${']'.repeat(10_000)}}]`);
    const error = await refusal(path);
    expect(error.message).toBe(`${path}:3: JSON nested deeper than 256 levels`);
    expect(error.line).toBe(3);
  });
});

describe('records inside a wrapper object (CloudTrail, Azure)', () => {
  it('samples the records of a CloudTrail file too large for its wrapper to end in the head', async () => {
    const record = (i: number): string =>
      JSON.stringify({ eventVersion: '1.08', userIdentity: { type: 'IAMUser', userName: `user${i}` }, eventTime: '2020-09-14T01:19:40Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', sourceIPAddress: `10.0.${i % 250}.${(i * 7) % 250}`, requestParameters: { bucketName: 'b', key: `k/${i}` } });
    const path = join(temp, 'cloudtrail.json');
    await writeFile(path, `{"Records":[${Array.from({ length: 5_000 }, (_, i) => record(i)).join(',')}]}`);
    const profile = await profileFile(path);
    const names = profile.columns.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['eventSource', 'eventName', 'userIdentity.userName', 'sourceIPAddress']));
    expect(names).not.toContain('Records');
    expect(profile.columns.find((c) => c.name === 'sourceIPAddress')?.role).toBe('ip');
    // 5,000 records of ~250 bytes: the estimate comes from the sampled records, not from one wrapper row.
    expect(profile.estimated_rows).toBeGreaterThan(2_000);
  });
});

describe('profileFile on JSON without records', () => {
  it('refuses a .json file holding a bare number or string, naming it, instead of reading it as a one-cell CSV', async () => {
    const number = join(temp, 'n.json');
    await writeFile(number, '42\n');
    const error = await refusal(number);
    expect(error.message).toBe(`${number}:1: a JSON file that holds no object or array (it starts with "42\\n")`);
    expect(error.hint).toContain('array of records');
    const text = join(temp, 's.jsonl');
    await writeFile(text, '"just text"\n');
    expect((await refusal(text)).problem).toBe('unsupported');
    // The same content under a CSV name is a one-column CSV, as before.
    const csv = join(temp, 'n.csv');
    await writeFile(csv, 'count\n42\n');
    expect((await profileFile(csv)).kind).toBe('csv');
  });
});
