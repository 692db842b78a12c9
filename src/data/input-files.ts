// Checks input files before the engine reads them, so a user's mistake becomes a one-line error naming the file.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { InputFileError } from '../model/errors/input-file-error.js';

/** Files past this size are refused unless the caller raises the limit: a bound, not a guess at memory. */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 ** 3;

export function resolveInput(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Returns the file's size; throws an InputFileError for missing, unreadable, empty or oversized files and for folders. */
export async function checkInputFile(path: string, displayName: string = path, maxBytes: number = DEFAULT_MAX_INPUT_BYTES): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputFileError(displayName, 'unsupported', 'is a folder, not a file', { hint: 'name the files inside it' });
    // A device or a pipe has no size to check (/dev/zero, a FIFO: both said "the file is empty") and may never end.
    if (!info.isFile()) throw new InputFileError(displayName, 'unsupported', 'is not a regular file (a device, a pipe or a socket)', { hint: 'save the data to a file and name that file' });
    size = info.size;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(displayName, 'not-found', 'no such file', { cause: error });
  }
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new InputFileError(displayName, 'unreadable', 'permission denied', { cause: error });
  }
  if (size === 0) throw new InputFileError(displayName, 'empty', 'the file is empty');
  if (size > maxBytes) throw new InputFileError(displayName, 'too-large', `${size} bytes is over the limit of ${maxBytes}`);
  return size;
}
