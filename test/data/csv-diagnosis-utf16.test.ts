// findUnpairedSurrogate names the line of the first broken UTF-16 code unit, which the engine does not.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnpairedSurrogate } from '../../src/data/csv-diagnosis.js';

/** UTF-16 bytes of `text` (JS strings may hold unpaired surrogates), with a byte order mark. */
function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const bytes = Buffer.alloc(2 + text.length * 2);
  bytes.writeUInt16LE(0xfeff, 0);
  if (endian === 'be') bytes.writeUInt16BE(0xfeff, 0);
  for (let i = 0; i < text.length; i += 1) {
    if (endian === 'le') bytes.writeUInt16LE(text.charCodeAt(i), 2 + i * 2);
    else bytes.writeUInt16BE(text.charCodeAt(i), 2 + i * 2);
  }
  return bytes;
}

describe('findUnpairedSurrogate', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'cs-helper-utf16-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  async function lineOf(text: string, endian: 'le' | 'be'): Promise<number | null> {
    const path = join(temp, `${endian}.csv`);
    await writeFile(path, utf16(text, endian));
    return findUnpairedSurrogate(path, endian);
  }

  it('accepts valid pairs and finds a lone high surrogate, in either byte order', async () => {
    const good = 'user,note\nkira,\u{1F600} ok\n';
    expect(await lineOf(good, 'le')).toBeNull();
    expect(await lineOf(good, 'be')).toBeNull();
    const bad = 'user,note\nkira,ok\nomar,bad \ud800 here\n';
    expect(await lineOf(bad, 'le')).toBe(3);
    expect(await lineOf(bad, 'be')).toBe(3);
  });

  it('finds a lone low surrogate, and a high one at the very end of the file', async () => {
    expect(await lineOf('a\nb\nc\udc00\n', 'le')).toBe(3);
    expect(await lineOf('a\nb\ud800', 'le')).toBe(2);
  });
});
