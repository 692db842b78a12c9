// lineOfJsonRecord turns the engine's "byte B of record N" into the line a user opens the file at.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineOfJsonRecord } from '../../../src/components/import/json-record-line.js';

describe('lineOfJsonRecord', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'cs-helper-json-line-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(temp, name);
    await writeFile(path, text);
    return path;
  }

  it('counts the elements of a top-level array, whatever brackets, commas and quotes their strings hold', async () => {
    const path = await file('array.json', '[\n  {"a": "x ] } , \\" ["},\n  {"a": 2},\n\n  {"a": [1,\n 2, 3]}, "scalar", 7\n]\n');
    expect(await lineOfJsonRecord(path, 1, 1)).toBe(2);
    expect(await lineOfJsonRecord(path, 2, 5)).toBe(3);
    expect(await lineOfJsonRecord(path, 3, 1)).toBe(5);
    // Byte 12 of the third record is past its line break.
    expect(await lineOfJsonRecord(path, 3, 12)).toBe(6);
    expect(await lineOfJsonRecord(path, 5, 1)).toBe(6);
    expect(await lineOfJsonRecord(path, 6, 1)).toBeNull();
  });

  it('counts objects written one after another, with or without line breaks between them', async () => {
    const path = await file('concatenated.json', '{"a": 1}{"a": 2}\n{\n  "a": 3\n}\n');
    expect(await lineOfJsonRecord(path, 2, 3)).toBe(1);
    expect(await lineOfJsonRecord(path, 3, 1)).toBe(2);
    expect(await lineOfJsonRecord(path, 3, 5)).toBe(3);
  });

  it('names the line a truncated record ends on, and the line of a break inside a string', async () => {
    const truncated = await file('truncated.json', '[\n {"a": 1},\n {"a": "cut');
    expect(await lineOfJsonRecord(truncated, 2, 11)).toBe(3);
    // The engine reports a raw line break in a string at the break itself: that is still the record's first line.
    const broken = await file('broken.json', '[{"a": 1},\n {"a": "split\nhere"}]');
    expect(await lineOfJsonRecord(broken, 2, 13)).toBe(2);
    expect(await lineOfJsonRecord(broken, 2, 14)).toBe(3);
  });
});
