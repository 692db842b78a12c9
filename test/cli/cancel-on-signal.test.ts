// Ctrl-C and SIGTERM: the first cancels through the signal and sets the exit code to 128 + the signal's number; the
// second quits at once with it, removing the export files being written (process.exit skips every finally).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { cancelOnSignal, type SignalCancellation } from '../../src/cli/cancel-on-signal.js';
import type { Printer } from '../../src/cli/output-stream.js';
import { claimTemporary } from '../../src/components/export/temporary-files.js';

let work: string;
let saved: Map<'SIGINT' | 'SIGTERM', ((...args: unknown[]) => void)[]>;
let cancellation: SignalCancellation | null = null;
const notes: string[] = [];
const out: Printer = { text: () => undefined, note: (line = '') => notes.push(line), json: () => undefined };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-cancel-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

// Only the listener under test hears the emitted signals (the test runner may have its own).
beforeEach(() => {
  saved = new Map((['SIGINT', 'SIGTERM'] as const).map((s) => [s, process.listeners(s) as ((...args: unknown[]) => void)[]]));
  for (const signal of saved.keys()) process.removeAllListeners(signal);
  notes.length = 0;
});

afterEach(() => {
  cancellation?.dispose();
  cancellation = null;
  vi.restoreAllMocks();
  for (const [signal, listeners] of saved) for (const listener of listeners) process.on(signal, listener);
});

function exitSpy(): MockInstance<typeof process.exit> {
  return vi.spyOn(process, 'exit').mockImplementation(() => undefined as never);
}

describe('cancelOnSignal', () => {
  it('cancels on the first Ctrl-C with exit code 130, without quitting', () => {
    const exit = exitSpy();
    cancellation = cancelOnSignal(out);
    expect(cancellation.exitCode).toBeNull();
    process.emit('SIGINT', 'SIGINT');
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.exitCode).toBe(130);
    expect(exit).not.toHaveBeenCalled();
    expect(notes.join('\n')).toContain('press Ctrl-C again to quit at once');
  });

  it('gives SIGTERM its own exit code, 143', () => {
    exitSpy();
    cancellation = cancelOnSignal(out);
    process.emit('SIGTERM', 'SIGTERM');
    expect(cancellation.exitCode).toBe(143);
  });

  it('quits at once on the second signal, with the same code, after removing the export files being written', async () => {
    const exit = exitSpy();
    const writing = claimTemporary(join(work, 'enriched_data.csv'));
    await writeFile(writing.path, 'half of the rows\n');
    cancellation = cancelOnSignal(out);
    process.emit('SIGINT', 'SIGINT');
    expect(existsSync(writing.path)).toBe(true);
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(existsSync(writing.path)).toBe(false);
  });
});
