// The files an import step reads: each checked (missing, unreadable, empty, too large: a one-line error naming it),
// and a compressed one (a ZIP archive holding one data file, a gzip file) inflated into the run's spill area, where
// the engine reads it. Messages keep naming the file the user gave.
import { basename } from 'node:path';
import { InflatedInputs } from '../../data/archive/inflated-inputs.js';
import { checkInputFile, resolveInput } from '../../data/input-files.js';
import type { ComponentContext } from '../component.js';

export interface ImportFile {
  /** As the user or the plan named it. */
  readonly display: string;
  /** What the engine reads: the file, or its inflated copy. */
  readonly absolute: string;
  /** The file the user named, resolved: what a source_file column shows. */
  readonly original: string;
  /** Bytes of what the engine reads. */
  bytes: number;
  /** The archive member it was inflated from, for the step's message; null for a plain file. */
  readonly member: string | null;
}

export interface ImportFiles {
  readonly files: ImportFile[];
  readonly bytes: number;
  /** Removes the inflated copies: call when the engine has read them. */
  remove(): Promise<void>;
}

export async function openImportFiles(context: ComponentContext, paths: readonly string[]): Promise<ImportFiles> {
  const inflated = new InflatedInputs(context.run.plan.resources?.spill_dir ?? null);
  const files: ImportFile[] = [];
  try {
    for (const display of paths) {
      const absolute = resolveInput(context.run.baseDir, display);
      const size = await checkInputFile(absolute, display);
      const plain = await inflated.plain(absolute, display, size, context.signal);
      if (plain.member !== null) context.log.dataOperation({ operation: 'transform', target: display, bytes: plain.bytes, detail: { action: 'inflate', member: plain.member.name, format: plain.member.format, archive_bytes: size } });
      files.push({ display, absolute: plain.path, original: absolute, bytes: plain.bytes, member: plain.member?.name ?? null });
    }
  } catch (error) {
    await inflated.remove();
    throw error;
  }
  return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0), remove: () => inflated.remove() };
}

/** Runs `read` on the opened files and removes the inflated copies after, whatever happens. */
export async function withImportFiles<T>(context: ComponentContext, paths: readonly string[], read: (opened: ImportFiles) => Promise<T>): Promise<T> {
  const opened = await openImportFiles(context, paths);
  try {
    return await read(opened);
  } finally {
    await opened.remove();
  }
}

/** `, inflated from conn.json.zip` for the step's message, or '' when no file was compressed. */
export function inflatedNote(files: readonly ImportFile[]): string {
  const inflated = files.filter((f) => f.member !== null);
  return inflated.length === 0 ? '' : `, inflated from ${inflated.map((f) => basename(f.display)).join(', ')}`;
}
