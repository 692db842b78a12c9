// The session log's limits from the environment: a value that is not usable (a fraction of a session, zero, a word)
// falls back to its default with a warning naming the variable, instead of turning rotation and compression off.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { positiveEnv } from '../../src/cli/positive-env.js';
import { rotationLimitsFromEnv, startSession } from '../../src/cli/session-options.js';
import { DEFAULT_MAX_SESSIONS } from '../../src/session/rotate-sessions.js';
import { age, DAY } from '../helpers/session-fixtures.js';

describe('positiveEnv', () => {
  const read = (value: string | undefined, whole: boolean): { value: number; warnings: string[] } => {
    const warnings: string[] = [];
    const env = value === undefined ? {} : { LIMIT: value };
    return { value: positiveEnv('LIMIT', { fallback: 200, whole, env, warn: (line) => warnings.push(line) }), warnings };
  };

  it('uses a whole number above zero, in any way Number reads it', () => {
    expect(read('5', true)).toEqual({ value: 5, warnings: [] });
    expect(read(' 1e2 ', true)).toEqual({ value: 100, warnings: [] });
    expect(read('3.0', true)).toEqual({ value: 3, warnings: [] });
  });

  it('uses the default without a word when the variable is unset or empty', () => {
    expect(read(undefined, true)).toEqual({ value: 200, warnings: [] });
    expect(read('  ', true)).toEqual({ value: 200, warnings: [] });
  });

  it.each(['1.5', '0', '-3', 'abc', 'Infinity', '0.2'])('falls back to the default for a count of %j, saying so', (value) => {
    expect(read(value, true)).toEqual({ value: 200, warnings: [`warning: LIMIT=${JSON.stringify(value)} is not a whole number above 0; using 200`] });
  });

  it('takes a fraction where the value is a duration, and refuses zero, negatives and words there too', () => {
    expect(read('0.5', false)).toEqual({ value: 0.5, warnings: [] });
    expect(read('0', false).warnings).toEqual(['warning: LIMIT="0" is not a number above 0; using 200']);
    expect(read('-1', false).value).toBe(200);
    expect(read('soon', false).value).toBe(200);
  });
});

describe('startSession with CS_HELPER_LOG_MAX_FILES=1.5', () => {
  let dir: string;
  let stderr: string[];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-env-'));
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it('still gzips old sessions (the default limit is used) and warns on stderr and in the session', async () => {
    vi.stubEnv('CS_HELPER_LOG_MAX_FILES', '1.5');
    vi.stubEnv('CS_HELPER_LOG_COMPRESS_AFTER_HOURS', '');
    // Three finished sessions from two days ago: past the 24 hours after which they are gzipped.
    for (let i = 0; i < 3; i += 1) {
      const path = join(dir, `old_${uuidv7({ msecs: Date.now() - 2 * DAY + i })}.json`);
      await writeFile(path, '{}\n');
      await age(path, 2 * DAY, Date.now());
    }

    const session = await startSession({ logDir: dir });
    const { path } = await session.close();

    expect(stderr.join('')).toContain(`warning: CS_HELPER_LOG_MAX_FILES="1.5" is not a whole number above 0; using ${DEFAULT_MAX_SESSIONS}\n`);
    const names = await readdir(dir);
    expect(names.filter((n) => n.startsWith('old_') && n.endsWith('.json.gz'))).toHaveLength(3);
    const document = JSON.parse(await readFile(path, 'utf8')) as { log_entries: { type: string; level: string; description: string; metadata: { failed?: unknown[]; compressed?: unknown[] } }[] };
    expect(document.log_entries.find((e) => e.type === 'environment')).toMatchObject({ level: 'warn', description: expect.stringContaining('CS_HELPER_LOG_MAX_FILES') as unknown });
    const rotation = document.log_entries.find((e) => e.type === 'log-rotation');
    expect(rotation?.metadata.failed).toEqual([]);
    expect(rotation?.metadata.compressed).toHaveLength(3);
  });

  it('keeps applying a whole limit: the oldest sessions beyond it are removed', async () => {
    vi.stubEnv('CS_HELPER_LOG_MAX_FILES', '2');
    for (let i = 0; i < 3; i += 1) {
      const path = join(dir, `old_${uuidv7({ msecs: Date.now() - 2 * DAY + i })}.json`);
      await writeFile(path, '{}\n');
      await age(path, 2 * DAY, Date.now());
    }
    const session = await startSession({ logDir: dir });
    await session.close();
    expect(stderr.join('')).not.toContain('warning:');
    // The new session and the newest old one.
    expect((await readdir(dir)).filter((n) => n.startsWith('old_'))).toHaveLength(1);
  });
});

describe('rotationLimitsFromEnv (also what a queue worker rotates with)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads both variables, and falls back with a warning on an unusable one', () => {
    vi.stubEnv('CS_HELPER_LOG_MAX_FILES', '20');
    vi.stubEnv('CS_HELPER_LOG_COMPRESS_AFTER_HOURS', '0.5');
    expect(rotationLimitsFromEnv()).toEqual({ maxFiles: 20, compressAfterMs: 1_800_000 });
    vi.stubEnv('CS_HELPER_LOG_MAX_FILES', '1.5');
    const warnings: string[] = [];
    expect(rotationLimitsFromEnv((line) => warnings.push(line)).maxFiles).toBe(DEFAULT_MAX_SESSIONS);
    expect(warnings).toEqual([`warning: CS_HELPER_LOG_MAX_FILES="1.5" is not a whole number above 0; using ${DEFAULT_MAX_SESSIONS}`]);
  });
});
