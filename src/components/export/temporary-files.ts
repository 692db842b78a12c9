// Exports write `<file>.<pid>.<hex>.tmp` beside their output and rename it when complete. The ones being written are
// known here, so a hard quit (`process.exit`, which skips every finally) removes them on its way out, and an export
// removes those an earlier run of its output left behind when it died.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processExists } from '../../process-alive.js';

/** What claimTemporary appends to an output's name: `<pid>.<hex>.tmp`, or `<hex>.tmp` as written before the pid was. */
const TEMPORARY_SUFFIX = /^(?:(\d{1,10})\.)?[0-9a-f]{8}\.tmp$/;

const live = new Set<string>();
let exitHooked = false;

/** A fresh temporary name beside `path`, known until `release` is called: the export renames or removes it by then. */
export function claimTemporary(path: string): { readonly path: string; release(): void } {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  live.add(temporary);
  if (!exitHooked) {
    exitHooked = true;
    // Every way out of the process, not only the CLI's double Ctrl-C: a worker's hard stop, a closed pipe.
    process.on('exit', removeTemporariesSync);
  }
  return {
    path: temporary,
    release: () => {
      live.delete(temporary);
    },
  };
}

/** Removes every temporary file an export of this process is writing. Synchronous: it runs inside `process.exit`. */
export function removeTemporariesSync(): void {
  for (const path of live) {
    try {
      rmSync(path, { force: true });
    } catch {
      // Best effort on the way out: the next export of the same output removes what is left (removeStaleTemporaries).
    }
  }
  live.clear();
}

/**
 * Removes the temporary files of `path`'s output left by runs that died: names exactly `<file>.<hex>.tmp` (before the
 * pid was in the name) or `<file>.<pid>.<hex>.tmp` whose process is gone. Never another file, never one this process or
 * another live one on this machine is writing. Returns the names removed.
 */
export async function removeStaleTemporaries(path: string): Promise<string[]> {
  const folder = dirname(path);
  // The output's own name, then the suffix: the name is compared as text, never made part of a pattern.
  const prefix = `${basename(path)}.`;
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const { name } = entry;
    const match = entry.isFile() && name.startsWith(prefix) ? TEMPORARY_SUFFIX.exec(name.slice(prefix.length)) : null;
    if (match === null) continue;
    const full = join(folder, name);
    if (live.has(full)) continue;
    const pid = match[1] === undefined ? null : Number(match[1]);
    if (pid !== null && pid !== process.pid && processExists(pid)) continue;
    await rm(full, { force: true });
    removed.push(name);
  }
  return removed;
}
