import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FEED_BYTES, readFeedFile } from '../../src/intel/feed-file.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/intel/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

async function inputFileErrorOf(path: string): Promise<InputFileError> {
  const error: unknown = await readFeedFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof InputFileError) return error;
  throw new Error(`expected an InputFileError, got ${String(error)}`);
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-feed-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('readFeedFile, a plain list', () => {
  it('reads one indicator per line, skipping comments and blank lines', async () => {
    const feed = await readFeedFile(fixture('blocklist.txt'), 'blocklist.txt');
    expect(feed.source).toBe('feed:blocklist.txt');
    expect(feed.indicators.map((i) => [i.type, i.value])).toEqual([
      ['ip', '192.9.135.73'],
      ['ip', '85.239.243.155'],
      ['url', 'http://182.126.120.150:58801/i'],
      ['domain', 'officeman.tk'],
      ['domain', 'vman23.com'],
      ['md5', '9363fa2625198beb1fcce0ef07f558ff'],
      ['sha1', '854c68ab7ad70b6f95f76ec64b8a46c145997629'],
      ['sha256', '19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e'],
      ['ip', '2001:db8::bad:c0de'],
    ]);
    expect(feed.indicators.every((i) => i.source === 'feed:blocklist.txt' && i.confidence === 0.7 && i.threat === null)).toBe(true);
  });

  it('counts the lines it could not read, with examples', async () => {
    const feed = await readFeedFile(fixture('blocklist.txt'));
    expect(feed.skipped).toBe(1);
    expect(feed.skippedExamples).toEqual(['"see ticket INC-4711"']);
  });

  it('reads CRLF line ends and a byte order mark', async () => {
    const path = join(temp, 'windows.txt');
    await writeFile(path, '\uFEFF192.9.135.73\r\nofficeman.tk\r\n\r\n');
    const feed = await readFeedFile(path);
    expect(feed.indicators.map((i) => i.value)).toEqual(['192.9.135.73', 'officeman.tk']);
    expect(feed.skipped).toBe(0);
  });
});

describe('readFeedFile, a CSV with a value column', () => {
  it('takes type, source, confidence and threat from their columns', async () => {
    const feed = await readFeedFile(fixture('indicators.csv'), 'indicators.csv');
    expect(feed.indicators).toEqual([
      { type: 'ip', value: '192.9.135.73', source: 'abuse.ch/feodotracker', confidence: 0.9, threat: 'Pikabot' },
      { type: 'url', value: 'http://vman23.com/ba24/admin.php', source: 'viriback', confidence: 0.8, threat: 'Pony' },
      { type: 'domain', value: 'officeman.tk', source: 'viriback', confidence: 0.7, threat: 'Pony' },
      { type: 'sha256', value: '19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e', source: 'abuse.ch/malwarebazaar', confidence: 1, threat: null },
      // No source: the file's; a confidence outside 0..1: the default.
      { type: 'ip', value: '95.213.204.53', source: 'feed:indicators.csv', confidence: 0.7, threat: 'Pony' },
    ]);
    expect(feed.skipped).toBe(1);
    expect(feed.skippedExamples).toEqual(['"not an indicator"']);
  });

  it('finds the header below a comment banner, in any case', async () => {
    const path = join(temp, 'banner.csv');
    await writeFile(path, '# exported from MISP\n#\nValue,Type\nhxxp://officeman[.]tk/images/admin.php,url\n');
    const feed = await readFeedFile(path);
    expect(feed.indicators.map((i) => [i.type, i.value])).toEqual([['url', 'http://officeman.tk/images/admin.php']]);
  });
});

describe('readFeedFile refusals', () => {
  it('refuses a feed with nothing recognisable, quoting what it saw', async () => {
    const error = await inputFileErrorOf(fixture('unrecognised.txt'));
    expect(error.problem).toBe('empty');
    expect(error.message).toContain('no indicators found');
    expect(error.hint).toContain('"see ticket INC-4711"');
    expect(error.hint).toContain('"ask Omar about the VPN logs"');
  });

  it('refuses a binary (compressed) feed', async () => {
    const error = await inputFileErrorOf(fixture('blocklist.txt.gz'));
    expect(error.problem).toBe('malformed');
    expect(error.message).toContain('binary content');
  });

  it('reports a missing feed', async () => {
    const error = await inputFileErrorOf(fixture('no-such-feed.txt'));
    expect(error.problem).toBe('not-found');
    expect(error.message).toContain('no-such-feed.txt');
  });

  it('refuses a feed over the size limit', async () => {
    // Sparse: past the limit on paper, nothing on disk.
    const path = join(temp, 'huge.txt');
    await writeFile(path, '');
    await truncate(path, MAX_FEED_BYTES + 1);
    expect((await inputFileErrorOf(path)).problem).toBe('too-large');
  });
});
