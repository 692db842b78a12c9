// Kills a process that logs steadily with SIGKILL: the stream must parse (a torn last line tolerated) and hold every
// event logged more than 100 ms before the kill.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSessions, writerIsGone } from '../../src/session/load-sessions.js';

const root = resolve(import.meta.dirname, '..', '..');
const child = join(root, 'test', 'fixtures', 'session', 'steady-logger.mjs');
let dir: string;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: `npm test` builds it before the tests run');
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('session stream after SIGKILL', () => {
  it('parses and holds every event logged more than 100 ms before the kill', async () => {
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const logged: { index: number; at: number }[] = [];
    let path = '';
    const lines = createInterface({ input: proc.stdout });
    const killedAt = await new Promise<number>((resolvePromise, reject) => {
      const timer = setTimeout(() => { reject(new Error('the child logged nothing for 10 s')); }, 10_000);
      lines.on('line', (line) => {
        const [word, a, b] = line.split(' ');
        if (word === 'path' && a !== undefined) path = a;
        if (word === 'logged') logged.push({ index: Number(a), at: Number(b) });
        // Kill once the child has logged for a while: enough events on both sides of the 100 ms line.
        if (logged.length === 2_000 && proc.exitCode === null) {
          clearTimeout(timer);
          const at = Date.now();
          proc.kill('SIGKILL');
          resolvePromise(at);
        }
      });
    });
    await new Promise((resolvePromise) => proc.once('exit', resolvePromise));
    expect(proc.signalCode).toBe('SIGKILL');

    const text = await readFile(path, 'utf8');
    const rawLines = text.split('\n');
    if (rawLines.at(-1) === '') rawLines.pop();
    const parsed: { event: string; parameters?: { i?: number } }[] = [];
    let torn = 0;
    rawLines.forEach((line, n) => {
      try {
        parsed.push(JSON.parse(line) as { event: string; parameters?: { i?: number } });
      } catch {
        // Only the very last line may be torn by the kill.
        expect(n, `line ${n + 1} of ${rawLines.length} does not parse`).toBe(rawLines.length - 1);
        torn += 1;
      }
    });
    expect(torn).toBeLessThanOrEqual(1);
    expect(parsed[0]?.event).toBe('session-start');
    expect(parsed.some((e) => e.event === 'session-end')).toBe(false);

    const inFile = new Set(parsed.filter((e) => e.event === 'tool-call').map((e) => e.parameters?.i));
    const mustHave = logged.filter((l) => l.at < killedAt - 100);
    expect(mustHave.length).toBeGreaterThan(500);
    const missing = mustHave.filter((l) => !inFile.has(l.index)).map((l) => l.index);
    expect(missing).toEqual([]);

    // Its writer is gone: `sessions list` reads the session as interrupted at once (the stream was written a moment
    // ago, so the ten-minute window alone would call it running).
    const { sessions } = await loadSessions(dir);
    expect(sessions.map((s) => s.document.session_metadata.status)).toEqual(['interrupted']);
  });
});

describe('writerIsGone', () => {
  it('is true only for a process of this machine that no longer exists', () => {
    const ended = spawnSync(process.execPath, ['-e', '']);
    expect(ended.status).toBe(0);
    expect(writerIsGone(ended.pid, hostname())).toBe(true);
    expect(writerIsGone(process.pid, hostname())).toBe(false);
    expect(writerIsGone(process.ppid, hostname())).toBe(false);
    // Another machine's writer, or a log written before the id was recorded: not known to be gone.
    expect(writerIsGone(ended.pid, `${hostname()}-elsewhere`)).toBe(false);
    expect(writerIsGone(undefined, undefined)).toBe(false);
  });
});
