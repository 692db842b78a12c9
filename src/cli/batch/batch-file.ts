// Reads a batch file (JSON Lines, one workflow per line) into entries: each line is bounded, parsed, checked against
// the schema and given its output folder; a bad line becomes an entry that says why, so the other lines still run.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { checkInputFile } from '../../data/input-files.js';
import { BatchLineError } from '../../model/errors/batch-line-error.js';
import { InputFileError } from '../../model/errors/input-file-error.js';

/** At most this many workflows in one batch: a bigger job is several batches (or, later, a queue). */
export const MAX_BATCH_LINES = 10_000;
/** A line past this is not a hand-written workflow request. */
export const MAX_BATCH_LINE_CHARS = 64 * 1024;
export const MAX_BATCH_FILE_BYTES = 64 * 1024 * 1024;

/** Ids name output folders: plain names only, so an id can never climb out of the output folder. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const batchLineSchema = z.strictObject({
  id: z.string().regex(PLAIN_NAME, 'must be a plain name: letters, digits, ".", "_" and "-", at most 64, starting with a letter or digit').optional(),
  problem: z.string().trim().min(1, 'the problem is empty').max(10_000),
  input_files: z.array(z.string().min(1).max(4096)).min(1, 'name at least one input file').max(100),
  /** Empty or absent: the outputs are chosen from the problem, as on the command line. */
  outputs: z.array(z.string().min(1).max(100)).max(20).default([]),
  feeds: z.array(z.string().min(1).max(4096)).max(20).default([]),
  /** As --schema and --validation-rules: files for validation.schema and validation.rules, relative to the batch file. */
  schema: z.string().min(1).max(4096).optional(),
  validation_rules: z.string().min(1).max(4096).optional(),
  /** As --sheets: only these worksheets of the .xlsx inputs. */
  sheets: z.array(z.string().min(1).max(255)).min(1).max(100).optional(),
  output_dir: z.string().min(1).max(4096).optional(),
});

export type BatchLine = z.infer<typeof batchLineSchema>;

interface EntryBase {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly id: string | null;
}

export type BatchEntry = (EntryBase & { readonly ok: true; readonly spec: BatchLine; readonly outputDir: string }) | (EntryBase & { readonly ok: false; readonly error: BatchLineError });

export interface BatchFile {
  readonly path: string;
  /** Relative input files and feeds are read from here: the batch file's folder. */
  readonly baseDir: string;
  readonly entries: readonly BatchEntry[];
}

export interface ReadBatchOptions {
  /** Absolute folder under which every workflow writes: `<output-dir>/<id or line number>/` by default. */
  readonly outputDir: string;
  readonly maxLines?: number;
  readonly maxLineChars?: number;
  readonly maxBytes?: number;
}

export async function readBatchFile(file: string, options: ReadBatchOptions): Promise<BatchFile> {
  const path = resolve(file);
  await checkInputFile(path, file, options.maxBytes ?? MAX_BATCH_FILE_BYTES);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const numbered = lines.map((content, index) => ({ line: index + 1, content })).filter((l) => l.content.trim() !== '');
  const maxLines = options.maxLines ?? MAX_BATCH_LINES;
  if (numbered.length === 0) throw new InputFileError(file, 'empty', 'no workflow lines', { hint: 'write one JSON object per line: {"problem": "...", "input_files": ["..."], "outputs": ["..."]}' });
  if (numbered.length > maxLines) throw new InputFileError(file, 'too-large', `${numbered.length} workflow lines; a batch holds at most ${maxLines}`, { hint: 'split it into several batch files' });

  const root = resolve(options.outputDir);
  const folders = new Map<string, number>();
  const ids = new Map<string, number>();
  const entries = numbered.map(({ line, content }): BatchEntry => {
    const parsed = parseLine(line, content, options.maxLineChars ?? MAX_BATCH_LINE_CHARS);
    if (!parsed.ok) return parsed;
    const { spec } = parsed;
    const id = spec.id ?? null;
    const outputDir = resolve(root, spec.output_dir ?? spec.id ?? String(line));
    const inside = relative(root, outputDir);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      return { line, id, ok: false, error: new BatchLineError(line, 'outside-output-dir', `output_dir '${spec.output_dir ?? ''}' is outside the batch's output folder ${root}`, 'name a folder inside --output-dir (relative paths are read from it)') };
    }
    const idClash = id === null ? undefined : ids.get(id);
    if (idClash !== undefined) return { line, id, ok: false, error: new BatchLineError(line, 'duplicate', `id '${id ?? ''}' is already used by line ${idClash}`, 'give every line its own id') };
    const folderClash = folders.get(outputDir);
    if (folderClash !== undefined) return { line, id, ok: false, error: new BatchLineError(line, 'duplicate', `writes to ${outputDir}, as line ${folderClash} does`, 'give each line its own id or output_dir: workflows in one folder overwrite each other') };
    if (id !== null) ids.set(id, line);
    folders.set(outputDir, line);
    return { line, id, ok: true, spec, outputDir };
  });
  return { path, baseDir: dirname(path), entries };
}

function parseLine(line: number, content: string, maxChars: number): (EntryBase & { ok: true; spec: BatchLine }) | (EntryBase & { ok: false; error: BatchLineError }) {
  if (content.length > maxChars) return { line, id: null, ok: false, error: new BatchLineError(line, 'too-long', `${content.length} characters; a line holds at most ${maxChars}`, 'one workflow per line: a problem, its files and outputs') };
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    return { line, id: null, ok: false, error: new BatchLineError(line, 'not-json', `not JSON: ${error instanceof Error ? error.message : String(error)}`, 'each line is one JSON object, e.g. {"problem": "Analyze this CSV for security threats", "input_files": ["fw.csv"], "outputs": ["enriched_data"]}') };
  }
  const result = batchLineSchema.safeParse(value);
  // The id is shown even for a line that fails, when it is usable: the table then names the line as its author did.
  const rawId = typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' && PLAIN_NAME.test(value.id) ? value.id : null;
  if (!result.success) {
    const detail = result.error.issues.map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`)).join('; ');
    return { line, id: rawId, ok: false, error: new BatchLineError(line, 'invalid', detail, 'fields: problem (text), input_files (list), outputs (list), optional id, output_dir, feeds, schema, validation_rules and sheets') };
  }
  return { line, id: result.data.id ?? null, ok: true, spec: result.data };
}
