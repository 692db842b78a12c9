// Two processes planning and recording runs in one state folder at the same time: nothing is lost, nothing corrupted.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Counters } from '../../src/state/counters.js';
import { StateDatabase } from '../../src/state/state-database.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const writer = join(root, 'test', 'fixtures', 'state', 'concurrent-writer.mjs');
const fixtures = join(root, 'test', 'fixtures', 'components');
const ITERATIONS = 120;

describe('the state database under two concurrent processes', () => {
  let home: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'state', 'state-database.js'))) throw new Error('dist/ is missing: `npm test` builds it before the tests run');
    home = await mkdtemp(join(tmpdir(), 'cs-helper-concurrent-'));
    const env = { ...process.env, CS_HELPER_HOME: home };
    // Both start on a state folder that does not exist yet: creating it and its tables races too.
    await Promise.all(['a', 'b'].map((name) => run(process.execPath, [writer, name, String(ITERATIONS), fixtures, 'firewall.csv'], { env, cwd: root })));
  }, 120_000);

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('keeps every run, step sample and plan event of both', () => {
    const state = StateDatabase.open({ home, readonly: true });
    try {
      const count = (table: string): number => (state.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('runs')).toBe(2 * ITERATIONS);
      expect(count('plan_events')).toBe(2 * ITERATIONS);
      const steps = state.db.prepare('SELECT count(DISTINCT run_id) AS n FROM step_runs').get() as { n: number };
      expect(steps.n).toBe(2 * ITERATIONS);
      expect(state.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(state.db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      state.close();
    }
  });

  it('counts every pattern lookup once, and keeps the pattern cache within its cap', () => {
    const state = StateDatabase.open({ home });
    try {
      const counters = new Counters(state);
      expect(counters.get(Counter.patternHit) + counters.get(Counter.patternMiss)).toBe(2 * ITERATIONS);
      // Six output sets cycle through a cap of four: both processes keep missing and evicting.
      expect(counters.get(Counter.patternMiss)).toBeGreaterThan(0);
      expect((state.db.prepare('SELECT count(*) AS n FROM patterns').get() as { n: number }).n).toBeLessThanOrEqual(4);
    } finally {
      state.close();
    }
  });
});
