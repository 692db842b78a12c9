import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileSessionFile } from '../../src/session/compile-session.js';
import { rotateSessionLogs } from '../../src/session/rotate-sessions.js';
import { readCompiledSession } from '../../src/session/session-files.js';
import { age, COMPLETED, copyFixtures, CRASHED, DAY, FOREIGN_FILES, HOUR, LEGACY, MINUTE } from '../helpers/session-fixtures.js';

let temp: string;
const now = Date.now();

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-rotate-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function files(): Promise<string[]> {
  return (await readdir(temp)).sort();
}

/** The user's files, aged a year: old enough for any rule, and never ours. */
async function addForeignFiles(): Promise<Map<string, string>> {
  const paths = await copyFixtures(temp, FOREIGN_FILES);
  for (const path of paths) await age(path, 365 * DAY, now);
  return new Map(await Promise.all(paths.map(async (p) => [p, await readFile(p, 'utf8')] as const)));
}

async function expectUntouched(foreign: Map<string, string>): Promise<void> {
  for (const [path, text] of foreign) expect(await readFile(path, 'utf8')).toBe(text);
}

/** A compiled session started `hoursAgo` (its UUIDv7 time), its file last written then too. */
async function compiledSession(name: string, hoursAgo: number): Promise<string> {
  const id = uuidv7({ msecs: now - hoursAgo * HOUR });
  const path = join(temp, `${name}_${id}.json`);
  await writeFile(path, '{}\n');
  await age(path, hoursAgo * HOUR, now);
  return path;
}

describe('rotateSessionLogs', () => {
  it('compiles dead streams into documents and removes them, leaves live streams and foreign files alone', async () => {
    const [completed = '', crashed = '', legacy = ''] = await copyFixtures(temp, [COMPLETED.file, CRASHED.file, LEGACY.file]);
    await age(completed, 2 * HOUR, now);
    await age(crashed, 2 * HOUR, now);
    // Written to 30 minutes ago: another process may still be writing it.
    await age(legacy, 30 * MINUTE, now);
    const foreign = await addForeignFiles();

    const report = await rotateSessionLogs(temp, { now });

    const completedJson = join(temp, `triage_${COMPLETED.id}.json`);
    const crashedJson = join(temp, `crashed_run_${CRASHED.id}.json`);
    expect(report.compiled.sort()).toEqual([crashedJson, completedJson].sort());
    // Compiled streams are replaced, not lost: `removed` lists only what is gone.
    expect(report.removed).toEqual([]);
    expect(existsSync(completed)).toBe(false);
    expect(existsSync(crashed)).toBe(false);
    expect(report.compressed).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(await files()).toEqual([`crashed_run_${CRASHED.id}.json`, 'notes.txt', 'other_123.json', LEGACY.file, `triage_${COMPLETED.id}.json`].sort());
    await expectUntouched(foreign);

    const interrupted = await readCompiledSession(crashedJson);
    expect(interrupted.session_metadata).toMatchObject({ status: 'interrupted', end_time: '2025-03-04T11:02:20.500Z', duration_ms: 10_500 });
    expect((await readCompiledSession(completedJson)).session_metadata.status).toBe('completed');
    // The document keeps the stream's time: ages count from the session's last activity.
    expect(Math.abs((await stat(completedJson)).mtimeMs - (now - 2 * HOUR))).toBeLessThan(2);
  });

  it('gzips documents of sessions inactive for longer than compressAfterMs, in the same pass as compiling them', async () => {
    const [completed = ''] = await copyFixtures(temp, [COMPLETED.file]);
    await age(completed, 3 * DAY, now);
    const recent = await compiledSession('recent', 23);
    const old = await compiledSession('old', 50);
    const oldDocument = await readFile(old);
    const foreign = await addForeignFiles();

    const report = await rotateSessionLogs(temp, { now });

    const completedGz = join(temp, `triage_${COMPLETED.id}.json.gz`);
    expect(report.compiled).toEqual([join(temp, `triage_${COMPLETED.id}.json`)]);
    expect(report.compressed.sort()).toEqual([completedGz, `${old}.gz`].sort());
    expect(report.removed).toEqual([]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(join(temp, `triage_${COMPLETED.id}.json`))).toBe(false);
    expect((await readCompiledSession(completedGz)).session_metadata).toMatchObject({ session_id: COMPLETED.id, status: 'completed' });
    expect(gunzipSync(await readFile(`${old}.gz`))).toEqual(oldDocument);
    await expectUntouched(foreign);
    expect(await files()).toHaveLength(5);
  });

  it('never touches the sessions named in keepIds, however old', async () => {
    const [completed = ''] = await copyFixtures(temp, [COMPLETED.file]);
    await age(completed, 30 * DAY, now);
    const report = await rotateSessionLogs(temp, { now, keepIds: [COMPLETED.id], maxFiles: 0 });
    expect(report).toEqual({ compiled: [], compressed: [], removed: [], failed: [] });
    expect(await files()).toEqual([COMPLETED.file]);
  });

  it('removes the oldest sessions beyond maxFiles by their UUIDv7 time, skipping live ones', async () => {
    const sessions = [];
    for (let hoursAgo = 6; hoursAgo >= 1; hoursAgo -= 1) sessions.push(await compiledSession(`s${hoursAgo}`, hoursAgo));
    // The oldest session of all, but its stream was written a minute ago: it is live and must stay.
    const [live = ''] = await copyFixtures(temp, [LEGACY.file]);
    await age(live, MINUTE, now);
    const foreign = await addForeignFiles();

    const report = await rotateSessionLogs(temp, { now, maxFiles: 3 });

    // 7 sessions, 3 allowed: the 4 oldest that are not live go, oldest first.
    expect(report.removed).toEqual(sessions.slice(0, 4));
    expect(await files()).toEqual([...sessions.slice(4).map((p) => p.slice(temp.length + 1)), LEGACY.file, ...FOREIGN_FILES].sort());
    await expectUntouched(foreign);
  });

  it('removes a session whole: its stream, its document and its compressed document', async () => {
    const [stream = ''] = await copyFixtures(temp, [CRASHED.file]);
    await age(stream, 2 * DAY, now);
    await writeFile(join(temp, `crashed_run_${CRASHED.id}.json.gz`), gzipSync('{}'));
    const newer = await compiledSession('newer', 1);
    const report = await rotateSessionLogs(temp, { now, maxFiles: 1 });
    expect(report.removed.sort()).toEqual([join(temp, CRASHED.file), join(temp, `crashed_run_${CRASHED.id}.json.gz`)].sort());
    expect(report.compiled).toEqual([]);
    expect(await files()).toEqual([newer.slice(temp.length + 1)]);
  });

  it('takes a dead stream as the truth when an older document exists beside it', async () => {
    const [stream = ''] = await copyFixtures(temp, [COMPLETED.file]);
    const staleGz = join(temp, `triage_${COMPLETED.id}.json.gz`);
    await writeFile(staleGz, gzipSync('{"stale": true}'));
    await age(stream, 2 * HOUR, now);
    const report = await rotateSessionLogs(temp, { now });
    expect(report.compiled).toEqual([join(temp, `triage_${COMPLETED.id}.json`)]);
    expect(report.removed).toEqual([staleGz]);
    expect(await files()).toEqual([`triage_${COMPLETED.id}.json`]);
    expect((await readCompiledSession(join(temp, `triage_${COMPLETED.id}.json`))).performance_metrics.total_tool_calls).toBe(3);
  });

  it('removes stale temporary files of ours, and only those', async () => {
    const stale = join(temp, `.triage_${COMPLETED.id}.json.4242.0123456789ab.tmp`);
    const fresh = join(temp, `.triage_${CRASHED.id}.json.4243.0123456789ac.tmp`);
    const someoneElses = join(temp, '.editor.swp.1.0123456789ab.tmp');
    for (const path of [stale, fresh, someoneElses]) await writeFile(path, 'partial');
    await age(stale, 2 * HOUR, now);
    await age(someoneElses, 2 * HOUR, now);
    const report = await rotateSessionLogs(temp, { now });
    expect(report.removed).toEqual([stale]);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(someoneElses)).toBe(true);
  });

  it('goes on past a file it cannot handle, and reports it', async () => {
    const damaged = join(temp, `damaged_${CRASHED.id}.jsonl.gz`);
    await writeFile(damaged, 'not gzip at all');
    await age(damaged, 2 * HOUR, now);
    const [completed = ''] = await copyFixtures(temp, [COMPLETED.file]);
    await age(completed, 2 * HOUR, now);
    const report = await rotateSessionLogs(temp, { now });
    expect(report.failed.map((f) => f.path)).toEqual([damaged]);
    expect(report.failed[0]?.message).toContain('damaged gzip data');
    expect(report.compiled).toEqual([join(temp, `triage_${COMPLETED.id}.json`)]);
    expect(existsSync(damaged)).toBe(true);
  });

  it('stops when its signal is aborted, before touching anything', async () => {
    const [stream = ''] = await copyFixtures(temp, [COMPLETED.file]);
    await age(stream, 2 * DAY, now);
    await expect(rotateSessionLogs(temp, { now, maxFiles: 0, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await files()).toEqual([COMPLETED.file]);
  });

  it('does nothing, and creates nothing, for a folder that does not exist', async () => {
    const missing = join(temp, 'none');
    expect(await rotateSessionLogs(missing, { now })).toEqual({ compiled: [], compressed: [], removed: [], failed: [] });
    expect(existsSync(missing)).toBe(false);
  });

  it('compiles a stream exactly as compileSessionFile does', async () => {
    const [stream = ''] = await copyFixtures(temp, [CRASHED.file]);
    await age(stream, 2 * HOUR, now);
    await rotateSessionLogs(temp, { now });
    const reference = await mkdtemp(join(tmpdir(), 'cs-helper-rotate-ref-'));
    try {
      const [copy = ''] = await copyFixtures(reference, [CRASHED.file]);
      const { document } = await compileSessionFile(copy);
      expect(await readCompiledSession(join(temp, `crashed_run_${CRASHED.id}.json`))).toEqual(document);
    } finally {
      await rm(reference, { recursive: true, force: true });
    }
  });

  it('takes a stream for dead only once it is untouched for longer than staleAfterMs (an hour by default)', async () => {
    const [completed = '', crashed = ''] = await copyFixtures(temp, [COMPLETED.file, CRASHED.file]);
    await age(completed, 59 * MINUTE, now);
    await age(crashed, 61 * MINUTE, now);
    expect((await rotateSessionLogs(temp, { now })).compiled).toEqual([join(temp, `crashed_run_${CRASHED.id}.json`)]);
    expect(existsSync(completed)).toBe(true);
    expect((await rotateSessionLogs(temp, { now, staleAfterMs: 10 * MINUTE })).compiled).toEqual([join(temp, `triage_${COMPLETED.id}.json`)]);
  });
});
