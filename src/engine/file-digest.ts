// Content hashes of the files a step reads (SHA-256), remembered by path, size, mtime, ctime and inode in the state
// database, so an unchanged file is not read again on the next run: a 160 MB file costs a stat, not half a second.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigIntStats } from 'node:fs';
import type { StateDatabase } from '../state/state-database.js';

export interface FileDigest {
  readonly path: string;
  /** SHA-256 of the content; for a folder, of its files' names and digests; `missing` when there is nothing there. */
  readonly sha256: string;
}

/** A folder named as a step's input (a rules folder) is hashed file by file, up to this many files. */
const MAX_FOLDER_FILES = 2_000;
const FORGET_AFTER_MS = 90 * 24 * 3_600_000;

export class FileDigests {
  readonly #state: StateDatabase | null;

  constructor(state: StateDatabase | null) {
    this.#state = state;
  }

  async digest(path: string, signal?: AbortSignal): Promise<FileDigest> {
    let info: BigIntStats;
    try {
      info = await stat(path, { bigint: true });
    } catch {
      return { path, sha256: 'missing' };
    }
    if (info.isDirectory()) return { path, sha256: await this.#folder(path, signal) };
    const remembered = this.#remembered(path, info);
    if (remembered !== null) return { path, sha256: remembered };
    const sha256 = await hashFile(path, signal);
    this.#remember(path, info, sha256);
    return { path, sha256 };
  }

  /** Whether digesting the file would read it (it is new, or changed since it was last hashed). */
  async mustRead(path: string): Promise<boolean> {
    return (await this.known(path)) === null;
  }

  /**
   * The digest as remembered, at the cost of a `stat`: never reads the content. Null when digest() would read it (a
   * file new or changed since it was last hashed, or a folder); `missing` when there is nothing there.
   */
  async known(path: string): Promise<string | null> {
    let info: BigIntStats;
    try {
      info = await stat(path, { bigint: true });
    } catch {
      return 'missing';
    }
    return info.isDirectory() ? null : this.#remembered(path, info);
  }

  async #folder(path: string, signal?: AbortSignal): Promise<string> {
    const entries = (await readdir(path, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const names = entries.map((e) => join(e.parentPath, e.name)).sort().slice(0, MAX_FOLDER_FILES);
    const hash = createHash('sha256');
    for (const name of names) {
      signal?.throwIfAborted();
      hash.update(`${name.slice(path.length)}\0${(await this.digest(name, signal)).sha256}\n`);
    }
    return hash.digest('hex');
  }

  #remembered(path: string, info: BigIntStats): string | null {
    if (this.#state === null) return null;
    const row = this.#state.db.prepare('SELECT size, mtime_ns, ctime_ns, ino, sha256 FROM file_digests WHERE path = ?').get(path) as
      | { size: number; mtime_ns: string; ctime_ns: string; ino: string; sha256: string }
      | undefined;
    if (row === undefined) return null;
    // ctime changes on any rewrite, even one that restores size and mtime: then the content is read again.
    const same = BigInt(row.size) === info.size && row.mtime_ns === info.mtimeNs.toString() && row.ctime_ns === info.ctimeNs.toString() && row.ino === info.ino.toString();
    return same ? row.sha256 : null;
  }

  #remember(path: string, info: BigIntStats, sha256: string): void {
    if (this.#state === null || this.#state.closed) return;
    const statement = this.#state.db.prepare(
      `INSERT INTO file_digests (path, size, mtime_ns, ctime_ns, ino, sha256, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, ino = excluded.ino, sha256 = excluded.sha256, checked_at = excluded.checked_at`,
    );
    const now = new Date();
    this.#state.write(() => {
      statement.run(path, Number(info.size), info.mtimeNs.toString(), info.ctimeNs.toString(), info.ino.toString(), sha256, now.toISOString());
      // Files not seen for a quarter are forgotten: the table stays the size of what is in use.
      this.#state?.db.prepare('DELETE FROM file_digests WHERE checked_at < ?').run(new Date(now.getTime() - FORGET_AFTER_MS).toISOString());
    });
  }
}

async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal === undefined ? {} : { signal }) });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
