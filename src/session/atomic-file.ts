// Writes a file so that it either exists complete or not at all: a temporary name in the same folder, fsync, rename.
// Readers of the log folder (listing, rotation in another process) never see a half-written session file, and a
// crash leaves only a hidden temporary file that rotation removes once it is stale.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const TEMP_PATTERN = /^\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/;

/** `.<name>.<pid>.<random>.tmp` beside the target: hidden, and never matching the session file naming. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The file name a temporary file was going to become, or null when the name is not one of ours. */
export function targetOfTempName(name: string): string | null {
  return TEMP_PATTERN.exec(name)?.[1] ?? null;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      // The rename must not reach the disk before the data does, or a power cut leaves an empty "complete" file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Gzips `source` into `target` through a temporary file: `target` appears only once it is complete and on disk. */
export async function gzipFileAtomic(source: string, target: string, signal?: AbortSignal): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await pipeline(createReadStream(source), createGzip(), createWriteStream(temp, { flags: 'wx', mode: 0o600 }), signal === undefined ? {} : { signal });
    // 'r+': flushing needs write access on some platforms.
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
