// An output folder is checked before any work: a path that is a file, or lies under one, fails at once with its name,
// not after the whole analysis at the first export's mkdir (a raw EEXIST or ENOTDIR).
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputFolderError } from '../model/errors/output-folder-error.js';

/**
 * The folder's absolute path when it is a folder or can be made one (missing, under an existing folder); `named` says
 * where it came from for the message, e.g. `--output-dir out` or `plans/p.json: output_dir 'out'`.
 */
export async function checkOutputFolder(folder: string, named: string): Promise<string> {
  const absolute = resolve(folder);
  for (let current = absolute; ; ) {
    try {
      const info = await stat(current);
      if (info.isDirectory()) return absolute;
      const what = info.isFile() ? 'a file' : 'not a folder';
      throw new OutputFolderError(
        folder,
        'not-a-folder',
        current === absolute ? `${named}: ${absolute} is ${what}, not a folder` : `${named}: ${current} is ${what}, so ${absolute} cannot be made under it`,
        'name a folder for the outputs (it is created when missing), or move that file out of the way',
      );
    } catch (error) {
      if (error instanceof OutputFolderError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      // Missing, or a file further up (ENOTDIR): look at the parent. Anything else (no permission) the export reports.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return absolute;
      const parent = dirname(current);
      if (parent === current) return absolute;
      current = parent;
    }
  }
}
