// The checks every input file passes before it is read: a user's slip is an error naming the file and the problem.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInputFile } from '../../src/data/input-files.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-input-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkInputFile', () => {
  it('returns the size of a regular file, and names a missing, empty or folder path', async () => {
    await writeFile(join(dir, 'a.csv'), 'x,y\n1,2\n');
    await writeFile(join(dir, 'empty.csv'), '');
    expect(await checkInputFile(join(dir, 'a.csv'), 'a.csv')).toBe(8);
    await expect(checkInputFile(join(dir, 'nope.csv'), 'nope.csv')).rejects.toThrow('nope.csv: no such file');
    await expect(checkInputFile(join(dir, 'empty.csv'), 'empty.csv')).rejects.toThrow('empty.csv: the file is empty');
    await expect(checkInputFile(dir, 'data')).rejects.toThrow('data: is a folder, not a file');
  });

  it('refuses a device or a named pipe as not a regular file, instead of calling it empty', async () => {
    const device = checkInputFile('/dev/zero', '/dev/zero');
    await expect(device).rejects.toThrow(InputFileError);
    await expect(device).rejects.toThrow('/dev/zero: is not a regular file (a device, a pipe or a socket)');
    const fifo = join(dir, 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(checkInputFile(fifo, 'fifo.csv')).rejects.toThrow('fifo.csv: is not a regular file (a device, a pipe or a socket)');
  });
});
