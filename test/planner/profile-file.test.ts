import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import type { FileProfile } from '../../src/model/file-profile.js';
import { profileFile } from '../../src/planner/profile-file.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

function roles(profile: FileProfile): Record<string, string | null> {
  return Object.fromEntries(profile.columns.map((c) => [c.name, c.role]));
}

async function inputFileErrorOf(path: string): Promise<InputFileError> {
  const error: unknown = await profileFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof InputFileError) return error;
  throw new Error(`expected an InputFileError for ${path}, got ${String(error)}`);
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-profile-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('profileFile on delimited text', () => {
  it('reads a comma CSV with a header: dialect, exact row count and column roles', async () => {
    const profile = await profileFile(fixture('firewall.csv'), 'firewall.csv');
    expect(profile).toMatchObject({ path: 'firewall.csv', kind: 'csv', encoding: 'utf-8', delimiter: ',', has_header: true, estimated_rows: 20, notes: [] });
    expect(profile.columns).toHaveLength(15);
    expect(roles(profile)).toMatchObject({
      timestamp: 'timestamp',
      src_ip: 'ip',
      src_port: 'port',
      dst_ip: 'ip',
      dst_port: 'port',
      bytes_sent: 'measure',
      user: 'user',
      hostname: 'hostname',
      domain: 'domain',
      url: 'url',
      file_hash: 'hash',
    });
    const types = Object.fromEntries(profile.columns.map((c) => [c.name, c.inferred_type]));
    expect(types).toMatchObject({ timestamp: 'timestamp', src_ip: 'string', dst_port: 'integer', bytes_received: 'integer' });
  });

  it('reads a TSV', async () => {
    const profile = await profileFile(fixture('proxy.tsv'));
    expect(profile).toMatchObject({ kind: 'csv', delimiter: '\t', has_header: true, estimated_rows: 5 });
    expect(roles(profile)).toMatchObject({ timestamp: 'timestamp', client_ip: 'ip', user: 'user', url: 'url', user_agent: 'text' });
  });

  it('reads a semicolon CSV', async () => {
    const profile = await profileFile(fixture('dns-semicolon.csv'));
    expect(profile).toMatchObject({ kind: 'csv', delimiter: ';', has_header: true, estimated_rows: 6 });
    expect(profile.columns.map((c) => c.name)).toEqual(['query_time', 'client_ip', 'query', 'qtype', 'rcode']);
    expect(roles(profile)).toMatchObject({ query_time: 'timestamp', client_ip: 'ip', query: 'domain' });
  });

  it('sees that an all-numeric first row is data, not a header', async () => {
    const profile = await profileFile(fixture('netflow-headerless.csv'));
    expect(profile).toMatchObject({ kind: 'csv', delimiter: ',', has_header: false, estimated_rows: 6 });
    // The engine's names for a headerless file, so that the plan's columns are the imported table's.
    expect(profile.columns.map((c) => c.name)).toEqual(['column0', 'column1', 'column2', 'column3', 'column4', 'column5']);
  });

  it('skips abuse.ch style # banner lines and says so', async () => {
    const profile = await profileFile(fixture('feodo-ipblocklist.csv'));
    expect(profile).toMatchObject({ kind: 'csv', delimiter: ',', has_header: true, estimated_rows: 8 });
    expect(profile.columns.map((c) => c.name)).toEqual(['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware']);
    expect(roles(profile)).toMatchObject({ first_seen_utc: 'timestamp', dst_ip: 'ip', dst_port: 'port' });
    expect(profile.notes).toContain('8 comment lines starting with #');
  });

  it('drops a UTF-8 byte order mark from the first column name', async () => {
    const profile = await profileFile(fixture('assets-bom.csv'));
    expect(profile.encoding).toBe('utf-8');
    expect(profile.columns.map((c) => c.name)).toEqual(['hostname', 'ip', 'last_logon']);
    expect(roles(profile)).toEqual({ hostname: 'hostname', ip: 'ip', last_logon: 'timestamp' });
  });

  it('reads UTF-16LE with a BOM (a Windows export)', async () => {
    const profile = await profileFile(fixture('logons-utf16le.csv'));
    expect(profile).toMatchObject({ kind: 'csv', encoding: 'utf-16le', delimiter: ',', has_header: true, estimated_rows: 3 });
    expect(profile.notes).toContain('encoding utf-16le');
    expect(profile.columns.map((c) => c.name)).toEqual(['TimeCreated', 'Computer', 'EventID', 'TargetUserName', 'IpAddress']);
    expect(roles(profile)).toMatchObject({ TimeCreated: 'timestamp', Computer: 'hostname', TargetUserName: 'user', IpAddress: 'ip' });
  });

  it('reads text that is not UTF-8 as Latin-1', async () => {
    const profile = await profileFile(fixture('users-latin1.csv'));
    expect(profile).toMatchObject({ kind: 'csv', encoding: 'latin-1', has_header: true, estimated_rows: 3 });
    expect(profile.notes).toContain('encoding latin-1');
    expect(roles(profile)).toMatchObject({ user: 'user', src_ip: 'ip', last_seen: 'timestamp' });
  });

  it('counts every row of a small file, past the sample size', async () => {
    const path = join(temp, 'many.csv');
    const rows = Array.from({ length: 250 }, (_, i) => `2026-03-02T08:${String(i % 60).padStart(2, '0')}:00Z,10.20.10.${i % 250},${49152 + i}`);
    await writeFile(path, `timestamp,src_ip,src_port\n${rows.join('\n')}\n`);
    expect((await profileFile(path)).estimated_rows).toBe(250);
  });
});

describe('profileFile on JSON', () => {
  it('reads Windows event JSON with the field names detection rules use', async () => {
    const profile = await profileFile(fixture('windows-events.json'));
    expect(profile).toMatchObject({ kind: 'json', delimiter: null, has_header: null, estimated_rows: 3 });
    expect(profile.notes).toContain('Windows event JSON: System and EventData fields as columns');
    expect(profile.columns.map((c) => c.name)).toEqual(['Provider_Name', 'EventID', 'TimeCreated', 'Computer', 'Image', 'CommandLine', 'User', 'Hashes', 'DestinationIp']);
    expect(roles(profile)).toMatchObject({ Computer: 'hostname', TimeCreated: 'timestamp', Image: 'process', User: 'user', DestinationIp: 'ip' });
  });

  it('reads JSON Lines', async () => {
    const profile = await profileFile(fixture('alerts.jsonl'));
    expect(profile).toMatchObject({ kind: 'jsonl', estimated_rows: 4 });
    expect(profile.columns.map((c) => c.name)).toEqual(['ts', 'src_ip', 'dest_ip', 'dest_port', 'alert.signature', 'alert.severity']);
    expect(roles(profile)).toMatchObject({ ts: 'timestamp', src_ip: 'ip', dest_ip: 'ip', dest_port: 'port' });
  });

  it('counts every object of a small JSON Lines file or array, past the sample size', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => JSON.stringify({ ts: '2026-03-02T08:00:00Z', src_ip: `10.20.10.${i % 250}`, n: i }));
    await writeFile(join(temp, 'many.jsonl'), `${lines.join('\n')}\n`);
    await writeFile(join(temp, 'many.json'), `[\n${lines.join(',\n')}\n]\n`);
    expect((await profileFile(join(temp, 'many.jsonl'))).estimated_rows).toBe(250);
    expect((await profileFile(join(temp, 'many.json'))).estimated_rows).toBe(250);
  });

  it('refuses JSON with no complete object', async () => {
    const path = join(temp, 'truncated.json');
    await writeFile(path, '[{"ts": "2026-03-02T08:00:00Z", "src_ip": "10.20.10.1"');
    const error = await inputFileErrorOf(path);
    expect(error.problem).toBe('malformed');
  });
});

describe('profileFile on files it cannot read', () => {
  it('reports an empty file', async () => {
    const error = await inputFileErrorOf(fixture('empty.csv'));
    expect(error.problem).toBe('empty');
    expect(error.code).toBe('input-file-empty');
    expect(error.message).toContain('empty.csv');
  });

  it('reports a file of comment lines only as empty', async () => {
    const path = join(temp, 'banner-only.csv');
    await writeFile(path, '################\n# abuse.ch feed #\n################\n');
    expect((await inputFileErrorOf(path)).problem).toBe('empty');
  });

  it('reports a missing file', async () => {
    const error = await inputFileErrorOf(fixture('no-such-file.csv'));
    expect(error.problem).toBe('not-found');
    expect(error.message).toContain('no-such-file.csv');
  });

  it('refuses binary content', async () => {
    const error = await inputFileErrorOf(fixture('capture.pcap'));
    expect(error.problem).toBe('unsupported');
    expect(error.message).toBe(`${fixture('capture.pcap')}: a packet capture where text was expected`);
  });

  it('refuses a directory', async () => {
    const error = await inputFileErrorOf(FIXTURES);
    expect(error.problem).toBe('unsupported');
    expect(error.message).toContain('folder');
  });
});

describe('schema_fingerprint', () => {
  it('is equal for files with the same columns at different paths with different rows', async () => {
    const copy = join(temp, 'firewall-copy.csv');
    await copyFile(fixture('firewall.csv'), copy);
    const original = await profileFile(fixture('firewall.csv'));
    const day2 = await profileFile(fixture('firewall-day2.csv'));
    expect(day2.estimated_rows).not.toBe(original.estimated_rows);
    expect(day2.schema_fingerprint).toBe(original.schema_fingerprint);
    expect((await profileFile(copy)).schema_fingerprint).toBe(original.schema_fingerprint);
  });

  it('differs when a column differs', async () => {
    const renamed = join(temp, 'renamed.csv');
    const original = await profileFile(fixture('firewall.csv'));
    const text = await readFile(fixture('firewall.csv'), 'utf8');
    await writeFile(renamed, text.replace('file_hash', 'sha256'));
    const profile = await profileFile(renamed);
    expect(profile.columns.map((c) => c.name)).toContain('sha256');
    expect(profile.schema_fingerprint).not.toBe(original.schema_fingerprint);
  });
});
