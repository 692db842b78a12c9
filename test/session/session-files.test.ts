import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionLogError } from '../../src/model/errors/session-log-error.js';
import { compileSessionFile } from '../../src/session/compile-session.js';
import { listSessionFiles, parseSessionFileName, readCompiledSession, readSessionEvents, sessionFileName, uuidv7Time } from '../../src/session/session-files.js';
import { rejectionOf } from '../helpers/rejection.js';
import { COMPLETED, copyFixtures, CRASHED, FOREIGN_FILES, LEGACY, SESSION_FIXTURES } from '../helpers/session-fixtures.js';

let temp: string;

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-session-files-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('parseSessionFileName', () => {
  it('reads the name, the id, the kind and the compression of every session file form', () => {
    expect(parseSessionFileName(COMPLETED.file)).toEqual({ sessionName: 'triage', sessionId: COMPLETED.id, kind: 'stream', compressed: false });
    expect(parseSessionFileName(`triage_${COMPLETED.id}.json`)).toEqual({ sessionName: 'triage', sessionId: COMPLETED.id, kind: 'compiled', compressed: false });
    expect(parseSessionFileName(`triage_${COMPLETED.id}.jsonl.gz`)).toEqual({ sessionName: 'triage', sessionId: COMPLETED.id, kind: 'stream', compressed: true });
    expect(parseSessionFileName(`triage_${COMPLETED.id}.json.gz`)).toEqual({ sessionName: 'triage', sessionId: COMPLETED.id, kind: 'compiled', compressed: true });
    // Underscores belong to the name: the id is the fixed-shape part at the end.
    expect(parseSessionFileName(LEGACY.file)?.sessionName).toBe('session_20250303_164000');
    expect(parseSessionFileName(`a-b_c_${COMPLETED.id}.json`)?.sessionName).toBe('a-b_c');
  });

  it.each([
    ['notes.txt'],
    ['other_123.json'],
    [`triage_${COMPLETED.id.toUpperCase()}.json`],
    ['triage_0195606f-e220-4249-8563-6c347ce7ce24.json'], // a UUIDv4
    [`tri.age_${COMPLETED.id}.json`],
    [`_${COMPLETED.id}.json`],
    [`${'x'.repeat(81)}_${COMPLETED.id}.json`],
    [`triage_${COMPLETED.id}.json.bak`],
    [`triage_${COMPLETED.id}.txt`],
    [`.triage_${COMPLETED.id}.json.4242.0123456789ab.tmp`],
  ])('is null for %s', (name) => {
    expect(parseSessionFileName(name)).toBeNull();
  });

  it('is the inverse of sessionFileName, which refuses names and ids outside the contract', () => {
    for (const kind of ['stream', 'compiled'] as const) {
      for (const compressed of [false, true]) {
        expect(parseSessionFileName(sessionFileName('case_117', CRASHED.id, kind, compressed))).toEqual({ sessionName: 'case_117', sessionId: CRASHED.id, kind, compressed });
      }
    }
    expect(() => sessionFileName('../escape', CRASHED.id, 'compiled')).toThrow(RangeError);
    expect(() => sessionFileName('ok', 'not-a-uuid', 'compiled')).toThrow(RangeError);
  });

  it('takes the start time from the UUIDv7 timestamp', () => {
    expect(new Date(uuidv7Time(COMPLETED.id)).toISOString()).toBe('2025-03-04T09:15:00.000Z');
    expect(new Date(uuidv7Time(LEGACY.id)).toISOString()).toBe('2025-03-03T16:40:00.000Z');
  });
});

describe('listSessionFiles', () => {
  it('gives an empty list for a folder that does not exist, without creating it', async () => {
    const missing = join(temp, 'no-logs-yet');
    expect(await listSessionFiles(missing)).toEqual([]);
    await expect(readFile(missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('groups the files of each session, oldest first, and ignores everything not named like a session file', async () => {
    await copyFixtures(temp, [COMPLETED.file, CRASHED.file, LEGACY.file, ...FOREIGN_FILES]);
    await writeFile(join(temp, `triage_${COMPLETED.id}.json.gz`), gzipSync('{}'));
    // Named like session files but not regular files: never ours to read or remove.
    await symlink(join(temp, 'notes.txt'), join(temp, `linked_${CRASHED.id}.json`));
    await mkdir(join(temp, `folder_${LEGACY.id}.json`));

    const groups = await listSessionFiles(temp);
    expect(groups.map((g) => [g.sessionName, g.sessionId])).toEqual([
      [LEGACY.name, LEGACY.id],
      [COMPLETED.name, COMPLETED.id],
      [CRASHED.name, CRASHED.id],
    ]);
    const triage = groups[1];
    expect(triage?.files.map((f) => f.name)).toEqual([`triage_${COMPLETED.id}.json.gz`, COMPLETED.file]);
    expect(triage?.stream?.path).toBe(join(temp, COMPLETED.file));
    expect(triage?.compiled?.name).toBe(`triage_${COMPLETED.id}.json.gz`);
    expect(triage?.startTimeMs).toBe(Date.parse('2025-03-04T09:15:00.000Z'));
    expect(groups[2]?.files).toHaveLength(1);
    expect(groups[2]?.compiled).toBeNull();
    expect(groups[0]?.files).toHaveLength(1);
  });
});

describe('readSessionEvents', () => {
  it('reads every event of a completed stream, in order', async () => {
    const read = await readSessionEvents(join(SESSION_FIXTURES, COMPLETED.file));
    expect(read.tornLastLine).toBe(false);
    expect(read.invalidLines).toEqual([]);
    expect(read.events).toHaveLength(23);
    expect(read.events[0]).toMatchObject({ event: 'session-start', session_id: COMPLETED.id, session_name: 'triage', debug: false });
    expect(read.events.at(-1)).toMatchObject({ event: 'session-end', status: 'completed', duration_ms: 598.25 });
    expect(read.events[5]).toMatchObject({ event: 'workflow-execution', step_name: 'import', trace_id: '0195606f-e284-7b1c-9c3a-1f0e2d3c4b5a', parent_span_id: '0195606f-e284-7b1c-9c3a-1f0e2d3c4b5a', operation: 'execute_tool' });
  });

  it('tolerates and reports a torn last line, and numbers the lines that are not events', async () => {
    const read = await readSessionEvents(join(SESSION_FIXTURES, CRASHED.file));
    expect(read.tornLastLine).toBe(true);
    expect(read.invalidLines).toEqual([8, 9]);
    expect(read.events).toHaveLength(9);
    expect(read.events.at(-1)).toMatchObject({ event: 'info', level: 'debug', timestamp: '2025-03-04T11:02:20.500Z' });
  });

  it('accepts a complete last line without its newline, blank lines and CRLF line ends', async () => {
    const lines = (await readFile(join(SESSION_FIXTURES, LEGACY.file), 'utf8')).trimEnd().split('\n');
    const path = join(temp, LEGACY.file);
    await writeFile(path, `${lines.slice(0, 2).join('\r\n')}\r\n\n${lines.slice(2).join('\n')}`);
    const read = await readSessionEvents(path);
    expect(read.events.map((e) => e.event)).toEqual(['session-start', 'interaction', 'data-operation', 'error', 'session-end']);
    expect(read.tornLastLine).toBe(false);
    expect(read.invalidLines).toEqual([]);
  });

  it('reads streams of the first contract version into the current event shape', async () => {
    const { events } = await readSessionEvents(join(SESSION_FIXTURES, LEGACY.file));
    expect(events[0]).toMatchObject({ event: 'session-start', debug: false });
    expect(events[1]).toMatchObject({ event: 'interaction', input_type: 'plan_file' });
    expect(events[2]).toMatchObject({ event: 'data-operation', operation_type: 'read', target: 'plan.json' });
    // The old `operation: "read"` is a data operation's kind, not an OpenTelemetry operation name.
    expect(events[2]).not.toHaveProperty('operation');
  });

  it('reads a gzipped stream like a plain one', async () => {
    const path = join(temp, `${COMPLETED.file}.gz`);
    await writeFile(path, gzipSync(await readFile(join(SESSION_FIXTURES, COMPLETED.file))));
    const plain = await readSessionEvents(join(SESSION_FIXTURES, COMPLETED.file));
    expect(await readSessionEvents(path)).toEqual(plain);
  });

  it('never lets a parsed key reach a prototype', async () => {
    const path = join(temp, `hostile_${CRASHED.id}.jsonl`);
    const line = `{"timestamp":"2025-03-04T11:02:10.000Z","session_id":"${CRASHED.id}","event":"info","level":"info","type":"x","description":"y","__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}},"metadata":{"__proto__":{"polluted":"meta"},"kept":1}}\n`;
    await writeFile(path, line);
    const { events } = await readSessionEvents(path);
    const [event] = events;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(event).toMatchObject({ event: 'info', metadata: { kept: 1 } });
    expect(Object.keys(event ?? {})).not.toContain('__proto__');
    expect(event?.event === 'info' ? Object.getPrototypeOf(event.metadata) : null).toBe(Object.prototype);
    expect(event?.event === 'info' ? (event.metadata as Record<string, unknown>)['polluted'] : 'unexpected').toBeUndefined();
  });

  it('refuses a file beyond the size bound, also once decompressed', async () => {
    const plain = await rejectionOf(readSessionEvents(join(SESSION_FIXTURES, COMPLETED.file), { maxBytes: 1000 }), SessionLogError);
    expect(plain.problem).toBe('too-large');
    expect(plain.code).toBe('session-log-too-large');

    const bomb = join(temp, `bomb_${CRASHED.id}.jsonl.gz`);
    await writeFile(bomb, gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)));
    const error = await rejectionOf(readSessionEvents(bomb, { maxBytes: 1024 * 1024 }), SessionLogError);
    expect(error.problem).toBe('too-large');
    expect(error.message).toContain('once decompressed');
  });

  it('names a missing file, damaged gzip data, and a file that is not a stream', async () => {
    expect((await rejectionOf(readSessionEvents(join(temp, COMPLETED.file)), SessionLogError)).problem).toBe('not-found');
    const damaged = join(temp, `damaged_${CRASHED.id}.jsonl.gz`);
    await writeFile(damaged, 'this is not gzip');
    expect((await rejectionOf(readSessionEvents(damaged), SessionLogError)).problem).toBe('invalid');
    expect((await rejectionOf(readSessionEvents(join(SESSION_FIXTURES, 'notes.txt')), SessionLogError)).problem).toBe('not-a-session-file');
  });
});

describe('readCompiledSession', () => {
  it('reads back a compiled document, plain or gzipped', async () => {
    const [stream = ''] = await copyFixtures(temp, [COMPLETED.file]);
    const { path, document } = await compileSessionFile(stream);
    expect(await readCompiledSession(path)).toEqual(document);
    const gz = `${path}.gz`;
    await writeFile(gz, gzipSync(await readFile(path)));
    expect(await readCompiledSession(gz)).toEqual(document);
  });

  it('refuses a JSON file that is not a session document, saying where it differs', async () => {
    const path = join(temp, `other_${COMPLETED.id}.json`);
    await writeFile(path, JSON.stringify({ session_metadata: {} }));
    const error = await rejectionOf(readCompiledSession(path), SessionLogError);
    expect(error.problem).toBe('invalid');
    expect(error.message).toContain('not a compiled session document');
    await writeFile(path, '{"format_version": 1,');
    expect((await rejectionOf(readCompiledSession(path), SessionLogError)).message).toContain('not valid JSON');
  });

  it('drops __proto__ keys of a document read from disk', async () => {
    const [stream = ''] = await copyFixtures(temp, [COMPLETED.file]);
    const { path } = await compileSessionFile(stream);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"metadata": {', '"metadata": { "__proto__": { "polluted": true },'));
    const document = await readCompiledSession(path);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(document.agent_interactions[0]?.metadata).not.toHaveProperty('polluted');
  });
});
