import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateDirError } from '../../src/model/errors/state-dir-error.js';
import { Counter, Counters } from '../../src/state/counters.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { stateHomePath } from '../../src/state/state-home.js';
import { MIGRATIONS } from '../../src/state/state-schema.js';

describe('the state folder and its database', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-state-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is $CS_HELPER_HOME when set, else ~/.cs-helper', () => {
    expect(stateHomePath({ CS_HELPER_HOME: join(dir, 'x') })).toBe(join(dir, 'x'));
    expect(stateHomePath({})).toMatch(/\.cs-helper$/);
  });

  it('creates the folder for its owner only, in WAL mode, with every migration applied', () => {
    const home = join(dir, 'nested', 'home');
    const state = StateDatabase.open({ home });
    try {
      expect(statSync(home).mode & 0o777).toBe(0o700);
      // The database and its WAL files too, whatever the umask (SQLite alone made them 0644).
      for (const file of ['state.db', 'state.db-wal']) expect(statSync(join(home, file)).mode & 0o777, file).toBe(0o600);
      expect(state.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(state.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(Number(state.db.pragma('busy_timeout', { simple: true }))).toBeGreaterThanOrEqual(1000);
    } finally {
      state.close();
    }
    // Opening again migrates nothing and keeps the data.
    const again = StateDatabase.open({ home });
    again.close();
  });

  it('refuses a folder that cannot be created, before any work, with a typed error and a hint', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    let caught: unknown;
    try {
      StateDatabase.open({ home: join(blocker, 'home') });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StateDirError);
    const error = caught as StateDirError;
    expect(error.code).toBe('state-dir-not-a-folder');
    expect(error.message).toContain(join(blocker, 'home'));
    expect(error.hint).toContain('CS_HELPER_HOME');
  });

  it('opens read-only without creating anything when there is no database yet', () => {
    expect(StateDatabase.exists(join(dir, 'none'))).toBe(false);
    expect(() => StateDatabase.open({ home: join(dir, 'none'), readonly: true })).toThrow(StateDirError);
  });

  it('keeps counter increments made in memory once the database closes', () => {
    const home = join(dir, 'home');
    const state = StateDatabase.open({ home });
    const counters = new Counters(state);
    counters.add(Counter.resultHit, 3);
    counters.add(Counter.resultMiss);
    expect(counters.get(Counter.resultHit)).toBe(3);
    state.close();
    const reopened = StateDatabase.open({ home });
    try {
      expect(new Counters(reopened).get(Counter.resultHit)).toBe(3);
      expect(new Counters(reopened).get(Counter.resultMiss)).toBe(1);
    } finally {
      reopened.close();
    }
  });
});
