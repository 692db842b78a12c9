// A file's identity for the in-process caches of parsed files (feed files, Sigma rule files): its size, modification
// and change times and inode. Any write changes the change time, which no user can set back, so a file whose identity
// is unchanged holds what was parsed.
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export function fileIdentity(info: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): string {
  return `${String(info.size)}:${String(info.mtimeMs)}:${String(info.ctimeMs)}:${String(info.ino)}`;
}

/** The identity of the file at `path`, or null when it cannot be read (reading it then reports why). */
export async function fileIdentityOf(path: string): Promise<string | null> {
  try {
    return fileIdentity(await stat(path));
  } catch {
    return null;
  }
}
