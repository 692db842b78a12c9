// A feed file read once is not parsed again in the same process until it changes: long-lived processes (the MCP
// server, batches, workers) match against the same feeds run after run.
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeed } from '../../src/intel/feeds/load-feed.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-feed-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('feeds read in one process', () => {
  it('are kept, frozen, while the file is unchanged, and read again once it changes', async () => {
    const path = join(dir, 'list.txt');
    await writeFile(path, '192.0.2.1\nevil.example.com\n');
    const first = await loadFeed(path, { display: 'list.txt' });
    const again = await loadFeed(path, { display: 'list.txt' });
    expect(again.indicators).toBe(first.indicators);
    expect(Object.isFrozen(first.indicators[0])).toBe(true);

    await writeFile(path, '192.0.2.1\nevil.example.com\nhttp://bad.example.net/x\n');
    await utimes(path, new Date(), new Date(Date.now() + 5_000));
    const edited = await loadFeed(path, { display: 'list.txt' });
    expect(edited.indicators.map((i) => `${i.type}:${i.value}`)).toEqual(['ip:192.0.2.1', 'domain:evil.example.com', 'url:http://bad.example.net/x']);
  });

  it('take a --name per call without changing what is kept', async () => {
    const path = join(dir, 'named.txt');
    await writeFile(path, '198.51.100.7\n');
    const named = await loadFeed(path, { display: 'named.txt', name: 'team-list' });
    const plain = await loadFeed(path, { display: 'named.txt' });
    expect(named.indicators.map((i) => i.source)).toEqual(['team-list']);
    expect(plain.indicators.map((i) => i.source)).toEqual(['feed:named.txt']);
  });
});
