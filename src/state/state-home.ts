// Where CS Helper keeps what outlives a command (caches, run statistics): $CS_HELPER_HOME, else ~/.cs-helper.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { StateDirError } from '../model/errors/state-dir-error.js';

export const STATE_HOME_ENV = 'CS_HELPER_HOME';

/** The state folder's path; nothing is created. */
export function stateHomePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[STATE_HOME_ENV];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? resolve(fromEnv) : join(homedir(), '.cs-helper');
}

/**
 * Creates the folder (owner-only: it holds copies of the user's data in the result cache) and checks that it can be
 * written, so a bad folder is reported before any work starts, not halfway through a run.
 */
export function ensureStateHome(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StateDirError(dir, code === 'EEXIST' || code === 'ENOTDIR' ? 'not-a-folder' : 'unwritable', describe(error), { cause: error });
  }
  try {
    if (!statSync(dir).isDirectory()) throw new StateDirError(dir, 'not-a-folder', 'it is a file, not a folder');
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof StateDirError) throw error;
    throw new StateDirError(dir, 'unwritable', describe(error), { cause: error });
  }
  return dir;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file stands where the folder (or one of its parents) should be';
  if (code === 'EROFS') return 'the file system is read-only';
  return error instanceof Error ? error.message : String(error);
}
