// Where an export writes, and how: inside the output folder only, to a temporary name renamed when complete.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../model/errors/usage-error.js';
import { quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { claimTemporary, removeStaleTemporaries } from './temporary-files.js';

/** A file name, never a path: plans from elsewhere must not write outside the output folder. */
export const outputFileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/, 'an output file name has letters, digits, _ . - and no folder part')
  .refine((name) => !name.includes('..'), 'an output file name cannot contain ..');

/**
 * The parameters every export shares: the output name the user asked for (what plans and results call it) and the
 * file written for it. Spread into each export's own schema, so every one describes them alike to MCP clients.
 */
export const outputTargetParams = {
  output: z.string().describe('The output name the user asked for, e.g. enriched_data'),
  file: outputFileNameSchema.describe('File name inside the output folder, e.g. enriched_data.csv'),
};

export function outputPath(outputDir: string, file: string): string {
  const parsed = outputFileNameSchema.safeParse(file);
  if (!parsed.success) throw new UsageError(`invalid output file name '${file}'`, 'use a plain name such as enriched_data.csv');
  const dir = resolve(outputDir);
  const path = join(dir, file);
  if (dirname(path) !== dir) throw new UsageError(`output file '${file}' would leave the output folder`);
  return path;
}

/** Runs `COPY (query) TO` a temporary file and renames it over the final path, so a cancelled run leaves no half-written output. */
export async function copyQueryToFile(sql: SqlSession, query: string, path: string, copyOptions: string, signal: AbortSignal): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  await removeStaleTemporaries(path);
  const temporary = claimTemporary(path);
  try {
    await sql.run(`COPY (${query}) TO ${quoteLiteral(temporary.path)} (${copyOptions})`, [], signal);
    await rename(temporary.path, path);
  } catch (error) {
    await rm(temporary.path, { force: true });
    throw error;
  } finally {
    temporary.release();
  }
  return (await stat(path)).size;
}

export async function writeTextFile(path: string, text: string): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  await removeStaleTemporaries(path);
  const temporary = claimTemporary(path);
  try {
    await writeFile(temporary.path, text, 'utf8');
    await rename(temporary.path, path);
  } catch (error) {
    await rm(temporary.path, { force: true });
    throw error;
  } finally {
    temporary.release();
  }
  return Buffer.byteLength(text, 'utf8');
}
