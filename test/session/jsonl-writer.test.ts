import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JsonlWriter } from '../../src/session/jsonl-writer.js';

/** Open descriptors are listed in /proc on Linux (where CI runs); elsewhere those checks are left out. */
const PROC_FDS = existsSync('/proc/self/fd');

/** How many of this process's open descriptors point at `path`. */
function descriptorsOf(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // Closed while listing.
    }
  }).length;
}

let temp: string;
const writers: JsonlWriter[] = [];

function open(name: string, options: ConstructorParameters<typeof JsonlWriter>[1] = {}): JsonlWriter {
  const writer = new JsonlWriter(join(temp, name), options);
  writers.push(writer);
  return writer;
}

function parsedLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-jsonl-'));
});
afterEach(async () => {
  for (const writer of writers.splice(0)) writer.close();
  await rm(temp, { recursive: true, force: true });
});

describe('JsonlWriter', () => {
  it('writes one parseable JSON object per line, in order', async () => {
    const writer = open('events.jsonl');
    const events = [{ event: 'step-start', step: 'import' }, { event: 'step-end', step: 'import', rows: 20 }, { event: 'note', text: 'line\nbreak "quoted"' }];
    for (const event of events) writer.write(JSON.stringify(event));
    writer.close();
    const text = await readFile(writer.path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(parsedLines(text)).toEqual(events);
  });

  it('flushes within its interval without being closed', async () => {
    const writer = open('live.jsonl', { flushIntervalMs: 20 });
    writer.write(JSON.stringify({ event: 'session-start' }));
    // Nothing has yielded to the event loop yet: the line is still in the buffer.
    expect(readFileSync(writer.path, 'utf8')).toBe('');
    await vi.waitFor(
      () => {
        expect(parsedLines(readFileSync(writer.path, 'utf8'))).toEqual([{ event: 'session-start' }]);
      },
      { timeout: 5000, interval: 10 },
    );
    expect(writer.closed).toBe(false);
  });

  it('writes at once when the buffer is full', () => {
    const writer = open('full.jsonl', { flushIntervalMs: 60_000, maxBufferBytes: 64 });
    writer.write(JSON.stringify({ event: 'small' }));
    expect(readFileSync(writer.path, 'utf8')).toBe('');
    writer.write(JSON.stringify({ event: 'large', detail: 'x'.repeat(80) }));
    expect(parsedLines(readFileSync(writer.path, 'utf8'))).toHaveLength(2);
  });

  it('keeps every line of a stream long enough to be synced in the background, closed while a sync may be pending', async () => {
    const writer = open('long.jsonl', { flushIntervalMs: 60_000 });
    const detail = 'y'.repeat(1_000);
    // ~10 MB: at least two background syncs start (one per 4 MB written), the last possibly still running at close.
    for (let i = 0; i < 10_000; i += 1) writer.write(JSON.stringify({ n: i, detail }));
    // The sync has its own descriptor of the file, beside the writer's.
    if (PROC_FDS) expect(descriptorsOf(writer.path)).toBe(2);
    writer.close();
    const lines = parsedLines(await readFile(writer.path, 'utf8')) as { n: number }[];
    expect(lines).toHaveLength(10_000);
    expect(lines.map((l) => l.n)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    // Both descriptors are released once the last sync finishes: nothing of the file stays open.
    if (PROC_FDS) await vi.waitFor(() => {
      expect(descriptorsOf(writer.path)).toBe(0);
    });
  });

  it('writes the rest on close, and ignores writes after it', async () => {
    const writer = open('close.jsonl', { flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i += 1) writer.write(JSON.stringify({ n: i }));
    expect(readFileSync(writer.path, 'utf8')).toBe('');
    writer.close();
    expect(writer.closed).toBe(true);
    writer.write(JSON.stringify({ n: 99 }));
    writer.flush();
    writer.close();
    expect(parsedLines(await readFile(writer.path, 'utf8'))).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('appends to an existing file and creates missing folders', async () => {
    const first = open('nested/logs/a.jsonl');
    first.write('{"n":1}');
    first.close();
    const second = open('nested/logs/a.jsonl');
    second.write('{"n":2}');
    second.close();
    expect(parsedLines(await readFile(join(temp, 'nested/logs/a.jsonl'), 'utf8'))).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('creates the file readable by its owner only', async () => {
    const writer = open('private.jsonl');
    writer.close();
    expect((await stat(writer.path)).mode & 0o777).toBe(0o600);
  });
});
