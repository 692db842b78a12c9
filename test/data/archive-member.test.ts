// Compressed inputs: the one data file of a ZIP archive, or a gzip file, found, profiled from its first bytes and
// inflated; archives that hold several files, none, an encrypted one, an Office document, or that inflate without
// end are told apart and refused with the reason.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFormat, archiveMember, extractMember, readMemberHead, type ArchiveLimits, type ArchiveMember } from '../../src/data/archive/archive-member.js';
import { InflatedInputs } from '../../src/data/archive/inflated-inputs.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { profileFile } from '../../src/planner/profile-file.js';
import { repeatedPart, workbookParts, zipArchive, type ZipPart } from '../helpers/zip-writer.js';

const fixtures = resolve(import.meta.dirname, '..', 'fixtures', 'import');
const OTRF_ZIP = join(fixtures, 'archive', 'psh_powershell_httplistener.zip');
const OTRF_MEMBER = 'psh_powershell_httplistener_2020-11-0204130683.json';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-archive-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function zipFile(name: string, parts: readonly ZipPart[]): Promise<{ path: string; bytes: number }> {
  const data = zipArchive(parts);
  const path = join(work, name);
  await writeFile(path, data);
  return { path, bytes: data.length };
}

/** The archive's data member, which these archives have. */
async function dataMember(...args: Parameters<typeof archiveMember>): Promise<ArchiveMember> {
  const member = await archiveMember(...args);
  if (member === null) throw new Error(`${args[1]}: no data member`);
  return member;
}

async function refusal(promise: Promise<unknown>): Promise<InputFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputFileError);
  return error as InputFileError;
}

describe('archiveMember', () => {
  it('finds the one file of a real OTRF archive, reads its head and inflates it whole', async () => {
    const bytes = (await readFile(OTRF_ZIP)).length;
    const member = await dataMember(OTRF_ZIP, 'otrf.zip', 'zip', bytes);
    expect(member).toMatchObject({ format: 'zip', name: OTRF_MEMBER, archiveBytes: 10_491 });
    const head = await readMemberHead(OTRF_ZIP, 'otrf.zip', member, 1024);
    expect(head.complete).toBe(false);
    expect(head.raw.length).toBe(1024);
    expect(head.raw.toString('utf8', 0, 1)).toBe('{');
    const target = join(work, 'otrf.json');
    const written = await extractMember(OTRF_ZIP, 'otrf.zip', member, target);
    expect(written).toBe(member.bytes);
    const inflated = await readFile(target);
    expect(inflated.toString('utf8').trim().split('\n')).toHaveLength(110);
    // The fixture beside it holds the first ten lines of the same file, byte for byte.
    const firstLines = await readFile(join(fixtures, 'otrf-httplistener.jsonl'));
    expect(inflated.subarray(0, firstLines.length).equals(firstLines)).toBe(true);
  });

  it('reads a gzip file as the file it compresses, named without .gz', async () => {
    const text = 'a,b\n1,2\n3,4\n';
    const path = join(work, 'small.csv.gz');
    await writeFile(path, gzipSync(text));
    const raw = await readFile(path);
    expect(archiveFormat(raw)).toBe('gzip');
    const member = await dataMember(path, 'small.csv.gz', 'gzip', raw.length);
    expect(member).toMatchObject({ format: 'gzip', name: 'small.csv', bytes: text.length });
    expect(await readMemberHead(path, 'small.csv.gz', member, 1024)).toEqual({ raw: Buffer.from(text), complete: true });
  });

  it('skips folders, __MACOSX forks and hidden files, and takes the one data file', async () => {
    const { path, bytes } = await zipFile('mac.zip', [
      { name: 'export/', data: '' },
      { name: '__MACOSX/export/._events.json', data: 'resource fork' },
      { name: 'export/.DS_Store', data: 'finder' },
      { name: 'export/events.json', data: '[{"a":1}]' },
    ]);
    expect(await archiveMember(path, 'mac.zip', 'zip', bytes)).toMatchObject({ name: 'export/events.json', bytes: 9 });
  });

  it('refuses an archive of several files, naming them, and one of none', async () => {
    const several = await zipFile('two.zip', [
      { name: 'a.csv', data: 'x\n1\n' },
      { name: 'b.csv', data: 'x\n2\n' },
    ]);
    const error = await refusal(archiveMember(several.path, 'two.zip', 'zip', several.bytes));
    expect(error.problem).toBe('unsupported');
    expect(error.message).toBe("two.zip: the ZIP archive holds 2 files (a.csv, b.csv); CS Helper reads an archive holding one");
    expect(error.hint).toContain('extract it');
    const none = await zipFile('none.zip', [{ name: 'folder/', data: '' }]);
    expect((await refusal(archiveMember(none.path, 'none.zip', 'zip', none.bytes))).problem).toBe('empty');
  });

  it('leaves an Office document to the workbook reader', async () => {
    const { path, bytes } = await zipFile('book.xlsx', workbookParts('<worksheet/>'));
    expect(await archiveMember(path, 'book.xlsx', 'zip', bytes)).toBeNull();
  });

  it('refuses an encrypted member', async () => {
    const { path, bytes } = await zipFile('locked.zip', [{ name: 'secret.csv', data: 'a\n1\n', encryptedFlag: true }]);
    const error = await refusal(archiveMember(path, 'locked.zip', 'zip', bytes));
    expect(error.message).toBe('locked.zip: secret.csv is encrypted in the ZIP archive');
  });

  const tight: ArchiveLimits = { maxEntries: 10, maxBytes: 10 * 1024 ** 2, maxRatio: 50, ratioFreeBytes: 64 * 1024 };

  it('refuses a member that declares more than the bound before inflating it', async () => {
    // 6.5 MB of one repeated 64 KB line deflates to a few KB: over 50x, past 64 KB.
    const { path, bytes } = await zipFile('bomb.zip', [{ name: 'big.csv', data: repeatedPart('a\n', `${'a'.repeat(65_535)}\n`, 100, '') }]);
    const member = await dataMember(path, 'bomb.zip', 'zip', bytes, tight);
    const error = await refusal(extractMember(path, 'bomb.zip', member, join(work, 'bomb.csv'), undefined, tight));
    expect(error.problem).toBe('too-large');
    expect(error.message).toContain('refused as a possible decompression bomb');
    expect(existsSync(join(work, 'bomb.csv'))).toBe(false);
  });

  it('stops a member that inflates past the size it declares', async () => {
    const { path, bytes } = await zipFile('liar.zip', [{ name: 'big.csv', data: repeatedPart('a\n', 'aaaaaaaaaaaaaaa\n', 10_000, ''), declaredSize: 100 }]);
    const member = await dataMember(path, 'liar.zip', 'zip', bytes, tight);
    const error = await refusal(extractMember(path, 'liar.zip', member, join(work, 'liar.csv'), undefined, tight));
    expect(error.problem).toBe('malformed');
    expect(error.message).toBe('liar.zip: big.csv inflates past the 100 bytes the archive declares: stopped there as a possible zip bomb');
    expect(existsSync(join(work, 'liar.csv'))).toBe(false);
  });

  it('stops a gzip stream past the bound, whatever its trailer says', async () => {
    const path = join(work, 'bomb.log.gz');
    await writeFile(path, gzipSync(Buffer.alloc(4 * 1024 ** 2, 0x61)));
    const raw = await readFile(path);
    const member = await dataMember(path, 'bomb.log.gz', 'gzip', raw.length, tight);
    const error = await refusal(extractMember(path, 'bomb.log.gz', member, join(work, 'bomb.log'), undefined, tight));
    expect(error.problem).toBe('too-large');
    expect(error.message).toMatch(/^bomb\.log\.gz: bomb\.log inflates to more than [\d,]+ bytes from a [\d,]+-byte archive: refused as a possible decompression bomb$/);
    expect(existsSync(join(work, 'bomb.log'))).toBe(false);
  });

  it('refuses a damaged archive as malformed, not with a stack trace', async () => {
    const path = join(work, 'cut.zip');
    await writeFile(path, (await readFile(OTRF_ZIP)).subarray(0, 4000));
    const error = await refusal(archiveMember(path, 'cut.zip', 'zip', 4000));
    expect(error.problem).toBe('malformed');
    expect(error.message).toMatch(/^cut\.zip: not a readable ZIP archive/);
  });
});

describe('InflatedInputs', () => {
  it('refuses a member whose name climbs out of the archive, and writes nothing', async () => {
    const { path, bytes } = await zipFile('escape.zip', [{ name: '../../outside/evil.csv', data: 'a\n1\n' }]);
    const spill = join(work, 'spill');
    await mkdir(spill);
    const inputs = new InflatedInputs(spill);
    const error = await refusal(inputs.plain(path, 'escape.zip', bytes));
    expect(error.problem).toBe('unsupported');
    expect(error.message).toBe("escape.zip: the ZIP archive names an entry '../../outside/evil.csv', outside the archive: refused");
    expect(existsSync(join(work, 'outside'))).toBe(false);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('writes the member under its own cleaned base name in a folder of the spill area, removed after', async () => {
    const { path, bytes } = await zipFile('named.zip', [{ name: 'exports/day 1/events (copy).csv', data: 'a\n1\n' }]);
    const spill = join(work, 'spill2');
    await mkdir(spill);
    const inputs = new InflatedInputs(spill);
    const plain = await inputs.plain(path, 'named.zip', bytes);
    expect(plain.member?.name).toBe('exports/day 1/events (copy).csv');
    expect(dirname(dirname(plain.path))).toBe(spill);
    expect(basename(plain.path)).toBe('1-events__copy_.csv');
    expect(await readFile(plain.path, 'utf8')).toBe('a\n1\n');
    await inputs.remove();
    expect(readdirSync(spill)).toEqual([]);
  });

  it('hands a plain file back as it is', async () => {
    const path = join(work, 'plain.csv');
    await writeFile(path, 'a\n1\n');
    expect(await new InflatedInputs(null).plain(path, 'plain.csv', 4)).toEqual({ path, bytes: 4, member: null });
  });
});

describe('profileFile on compressed inputs', () => {
  it('profiles the JSON inside a ZIP archive as that JSON, under the archive name', async () => {
    const profile = await profileFile(OTRF_ZIP, 'recording.zip');
    expect(profile.path).toBe('recording.zip');
    expect(profile.kind).toBe('jsonl');
    expect(profile.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['EventID', 'Channel', 'Hostname', 'Image']));
    expect(profile.notes).toContain(`read from inside the ZIP archive: ${OTRF_MEMBER}, 213,202 bytes inflated`);
    // The inflated member fits in the profiler's head: every record counted.
    expect(profile.estimated_rows).toBe(110);
    expect(profile.bytes).toBe(213_202);
  });

  it('refuses other compressions, saying which ones it reads itself', async () => {
    const path = join(work, 'events.json.zst');
    await writeFile(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x61, 0x00, 0x00, 0x7b, 0x7d]));
    const error = await refusal(profileFile(path, 'events.json.zst'));
    expect(error.message).toBe('events.json.zst: zstd-compressed data where text was expected');
    expect(error.hint).toBe('extract the file first: CS Helper reads gzip files and ZIP archives of one file itself, not this kind');
  });

  it('refuses an archive inside an archive', async () => {
    const inner = zipArchive([{ name: 'a.csv', data: 'a\n1\n' }]);
    const { path } = await zipFile('nested.zip', [{ name: 'inner.zip', data: inner }]);
    const error = await refusal(profileFile(path, 'nested.zip'));
    expect(error.message).toBe('nested.zip: inner.zip inside it is an archive too');
  });
});
