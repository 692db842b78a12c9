// An output folder that is a file (or lies under one) is refused before any work, naming it, instead of a raw EEXIST
// from the first export's mkdir after the whole analysis.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutputFolder } from '../../src/cli/output-folder.js';
import { OutputFolderError } from '../../src/model/errors/output-folder-error.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-output-folder-'));
  await writeFile(join(work, 'afile'), 'not a folder\n');
  await mkdir(join(work, 'existing'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function refusal(folder: string): Promise<OutputFolderError> {
  const error: unknown = await checkOutputFolder(folder, `--output-dir ${folder}`).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof OutputFolderError) return error;
  throw new Error(`expected an OutputFolderError for ${folder}, got ${String(error)}`);
}

describe('checkOutputFolder', () => {
  it('accepts an existing folder and a missing one (made later), returning the absolute path', async () => {
    await expect(checkOutputFolder(join(work, 'existing'), 'x')).resolves.toBe(join(work, 'existing'));
    await expect(checkOutputFolder(join(work, 'new', 'deeper'), 'x')).resolves.toBe(join(work, 'new', 'deeper'));
  });

  it('refuses a path that is a file, naming it, with a hint', async () => {
    const error = await refusal(join(work, 'afile'));
    expect(error.problem).toBe('not-a-folder');
    expect(error.code).toBe('output-folder-not-a-folder');
    expect(error.message).toBe(`--output-dir ${join(work, 'afile')}: ${join(work, 'afile')} is a file, not a folder`);
    expect(error.hint).toContain('name a folder');
  });

  it('refuses a folder under a file, naming the file', async () => {
    const error = await refusal(join(work, 'afile', 'sub', 'dir'));
    expect(error.message).toContain(`${join(work, 'afile')} is a file, so ${join(work, 'afile', 'sub', 'dir')} cannot be made under it`);
  });
});
