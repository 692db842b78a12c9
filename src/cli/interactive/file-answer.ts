// Turns the answer to "which files?" into paths that exist, or the reasons they do not, before anything is planned.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkInputFile } from '../../data/input-files.js';
import { UsageError } from '../../model/errors/usage-error.js';
import { expandHome, splitList } from './answers.js';

/** More files than this in one answer is a paste gone wrong, not a workflow. */
export const MAX_FILES_PER_ANSWER = 100;

export interface FileAnswer {
  /** The paths as the user typed them (relative ones are read from the current folder). */
  readonly files: readonly string[];
  /** One error per file that cannot be used: every problem is reported at once, not one per attempt. */
  readonly errors: readonly unknown[];
}

export async function readFileAnswer(answer: string): Promise<FileAnswer> {
  // A path with blanks typed without quotes (`my logs/fw.csv`) is taken whole when it names a file.
  const whole = expandHome(answer.trim());
  if (await isFile(whole)) return { files: [whole], errors: [] };
  const items = splitList(answer);
  if (items.length === 0) return { files: [], errors: [new UsageError('no input file named', 'type one or more paths, separated by commas or spaces; quote a path that has spaces')] };
  if (items.length > MAX_FILES_PER_ANSWER) return { files: [], errors: [new UsageError(`${items.length} files named; at most ${MAX_FILES_PER_ANSWER} at once`, 'name fewer files, or stack them into one')] };
  const files: string[] = [];
  const errors: unknown[] = [];
  for (const item of new Set(items)) {
    try {
      await checkInputFile(resolve(item), item);
      files.push(item);
    } catch (error) {
      errors.push(error);
    }
  }
  return { files, errors };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
