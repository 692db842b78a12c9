import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileSessionFile } from '../../src/session/compile-session.js';
import { loadSessions } from '../../src/session/load-sessions.js';
import { age, COMPLETED, copyFixtures, CRASHED, HOUR, LEGACY, MINUTE } from '../helpers/session-fixtures.js';

let temp: string;
const now = Date.now();

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-load-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('loadSessions', () => {
  it('calls a stream without an end running while written in the last ten minutes, interrupted after', async () => {
    const [crashed = ''] = await copyFixtures(temp, [CRASHED.file]);
    await age(crashed, 9 * MINUTE, now);
    expect((await loadSessions(temp, { now })).sessions[0]?.document.session_metadata.status).toBe('running');
    await age(crashed, 11 * MINUTE, now);
    const { sessions } = await loadSessions(temp, { now });
    expect(sessions[0]).toMatchObject({ source: 'stream', tornLastLine: true, invalidLines: [8, 9] });
    expect(sessions[0]?.document.session_metadata).toMatchObject({ status: 'interrupted', duration_ms: 10_500 });
  });

  it('reads the compiled document unless the stream beside it is newer, and falls back on the other file', async () => {
    const [stream = ''] = await copyFixtures(temp, [COMPLETED.file]);
    const { path } = await compileSessionFile(stream);
    await age(stream, 2 * HOUR, now);
    await age(path, HOUR, now);
    expect((await loadSessions(temp, { now })).sessions[0]?.source).toBe('compiled');
    await age(stream, 30 * MINUTE, now);
    expect((await loadSessions(temp, { now })).sessions[0]?.source).toBe('stream');
    // A newer stream that cannot be read (damaged gzip): the document is read instead.
    await rm(stream);
    const damaged = join(temp, `triage_${COMPLETED.id}.jsonl.gz`);
    await writeFile(damaged, 'not gzip');
    const loaded = await loadSessions(temp, { now });
    expect(loaded.problems).toEqual([]);
    expect(loaded.sessions[0]).toMatchObject({ source: 'compiled', document: { session_metadata: { session_id: COMPLETED.id, status: 'completed' } } });
  });

  it('lists what it cannot read as problems and still returns the rest, oldest first', async () => {
    await copyFixtures(temp, [LEGACY.file, COMPLETED.file]);
    const damaged = join(temp, `damaged_${CRASHED.id}.json`);
    await copyFile(join(temp, LEGACY.file), damaged);
    const { sessions, problems } = await loadSessions(temp, { now });
    expect(sessions.map((s) => s.document.session_metadata.session_id)).toEqual([LEGACY.id, COMPLETED.id]);
    expect(problems.map((p) => p.sessionId)).toEqual([CRASHED.id]);
    expect(problems[0]?.message).toContain('not valid JSON');
  });
});
