// Prepares the files import.csv hands to the engine: the encoding (given, or detected from the head), a UTF-8 copy in the
// run's spill area when the engine has no reader for it, and the dialect the engine's sniffer cannot see.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MAX_COLUMNS, sniffDialect, type TextDialect } from '../../data/csv-dialect.js';
import { TranscodeLimitError, transcodeToUtf8, type TranscodeResult } from '../../data/encoding-transcode.js';
import type { DetectedEncoding, TextEncoding } from '../../data/encoding.js';
import { binaryKind, firstLineExceedsHead, readRawHead } from '../../data/file-head.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import type { StepLog } from '../../model/step-log.js';
import type { FileDialect } from './csv-file-dialects.js';

/** The encodings the engine reads itself; the others are transcoded to UTF-8 first. */
export type EngineEncoding = 'utf-8' | 'utf-16' | 'latin-1';

export interface CsvFile {
  readonly display: string;
  /** What is read: the file, or a compressed file's inflated copy. */
  readonly absolute: string;
  /** The file the user named, when `absolute` is its inflated copy: what the source_file column shows. */
  readonly original?: string;
  readonly bytes: number;
}

export interface CsvSource extends CsvFile {
  /** What the engine reads: the file itself or its UTF-8 copy. */
  readonly readPath: string;
  readonly encoding: TextEncoding;
  readonly engineEncoding: EngineEncoding;
  readonly dialect: TextDialect;
  /** The settings the step gives for this file (its own entry of file_dialects, or the step's). */
  readonly readAs: FileDialect;
  /** Whether `readPath` is a UTF-8 copy made here (transcoded, or repaired): such a copy is not repaired again. */
  readonly copied: boolean;
  /** What was done to the text on the way in, for the step's message ('1 line read as Windows-1252'). */
  readonly notes: readonly string[];
}

/**
 * A folder in the spill area for the import's working copies (UTF-8 copies, copies without over-long lines), removed
 * when the import ends. Every copy gets a name of its own: two inputs may share a base name (day1/fw.csv, day2/fw.csv),
 * and copies may be asked for concurrently, so the folder is made once, by the first request, and shared.
 */
export class TranscodeArea {
  #dir: Promise<string> | null = null;
  #copies = 0;
  constructor(private readonly parent: string | null) {}

  /** A fresh path for a copy of `name`; the name is kept (sanitised) so that a left-over file says what it was. */
  async allocate(name: string, suffix = '.utf8.csv'): Promise<string> {
    this.#dir ??= mkdtemp(join(this.parent ?? tmpdir(), 'cs-helper-import-'));
    this.#copies += 1;
    return join(await this.#dir, `${this.#copies}-${basename(name).replace(/[^\w.-]/g, '_').slice(0, 100)}${suffix}`);
  }

  async remove(): Promise<void> {
    const dir = this.#dir;
    this.#dir = null;
    if (dir === null) return;
    // A folder that could not be made leaves nothing to remove.
    const path = await dir.catch(() => null);
    if (path !== null) await rm(path, { recursive: true, force: true });
  }
}

const NATIVE: Partial<Record<TextEncoding, EngineEncoding>> = { 'utf-8': 'utf-8', 'utf-16le': 'utf-16', 'latin-1': 'latin-1' };

/** A UTF-8 copy may grow: Windows-1252 and Latin-1 take up to 3 bytes per byte; anything past this is refused. */
const GROWTH_BOUND = 3;

export interface PrepareOptions {
  readonly area: TranscodeArea;
  readonly log: StepLog;
  readonly signal: AbortSignal;
}

export async function prepareSource(file: CsvFile, readAs: FileDialect, options: PrepareOptions): Promise<CsvSource> {
  const head = await readRawHead(file.absolute, file.bytes);
  const detected = head.encoding;
  if (detected === null && readAs.encoding === 'auto') {
    throw new InputFileError(file.display, 'unsupported', `${binaryKind(head.raw)} where CSV text was expected`, { hint: 'CS Helper reads text files (CSV/TSV, JSON or JSON Lines), also gzipped or in a ZIP archive of one file; extract other archives first' });
  }
  const encoding = readAs.encoding === 'auto' ? (detected as DetectedEncoding).encoding : readAs.encoding;
  const dialect = sniffDialect(head.text, { delimiter: readAs.delimiter });
  const width = dialect.rows[0]?.length ?? 0;
  if (width > MAX_COLUMNS || firstLineExceedsHead(head)) {
    const problem = width > MAX_COLUMNS ? `${width.toLocaleString('en-US')} columns, over the limit of ${MAX_COLUMNS.toLocaleString('en-US')}` : 'the first line is longer than 256 KB: not a table CS Helper can read';
    throw new InputFileError(file.display, 'malformed', problem, { line: 1, hint: 'no export has this many columns: check the delimiter, or split the file' });
  }
  if (readAs.encoding === 'auto' && encoding !== 'utf-8') {
    options.log.decision({ decision: 'text encoding', chosen: encoding, alternatives: [{ option: 'utf-8', score: null }], reasoning: `${file.display}: ${detected?.reason ?? ''}` });
  }
  const native = NATIVE[encoding];
  if (native !== undefined && !dialect.mixedNewlines) return { ...file, readPath: file.absolute, encoding, engineEncoding: native, dialect, readAs, copied: false, notes: [] };
  const { path, result: copy } = await transcode(file, encoding, detected?.bomBytes ?? 0, options, dialect.mixedNewlines);
  const why = native === undefined ? `the engine has no ${encoding} reader` : 'its lines end both in CRLF and in LF, which the engine\'s sniffer refuses';
  options.log.decision({
    decision: 'transcode input',
    chosen: `${encoding} -> utf-8 copy${dialect.mixedNewlines ? ' with LF line ends' : ''}`,
    reasoning: `${why}: ${file.display} was copied as UTF-8 (${copy.bytesWritten} bytes) into the spill area, removed after the import`,
  });
  const notes = [...(dialect.mixedNewlines ? ['CRLF and LF line ends'] : []), ...reportFallback(file.display, copy, options.log)];
  return { ...file, readPath: path, encoding, engineEncoding: 'utf-8', dialect, readAs, copied: true, notes };
}

/**
 * The fallback for text that is mostly UTF-8 with lines in another encoding: a copy where those lines are read as
 * Windows-1252, logged as a decision and a warning naming the lines.
 */
export async function repairMixedEncoding(source: CsvSource, options: PrepareOptions): Promise<CsvSource> {
  const { path, result } = await transcode(source, 'utf-8', 0, options, source.dialect.mixedNewlines);
  const notes = [...source.notes, ...reportFallback(source.display, result, options.log)];
  return { ...source, readPath: path, encoding: 'utf-8', engineEncoding: 'utf-8', copied: true, notes };
}

/**
 * A UTF-8 copy of a file the engine reads as UTF-16, for work that splits lines on single bytes (setting over-long lines
 * aside, csv-read.ts). Line numbers stay the file's.
 */
export async function utf8Copy(source: CsvSource, options: PrepareOptions, why: string): Promise<CsvSource> {
  const { path, result } = await transcode(source, source.encoding, 0, options, false);
  options.log.decision({ decision: 'transcode input', chosen: `${source.encoding} -> utf-8 copy`, reasoning: `${source.display}: ${why}; copied as UTF-8 (${result.bytesWritten} bytes) into the spill area, removed after the import` });
  return { ...source, readPath: path, engineEncoding: 'utf-8', copied: true };
}

/** Logs the lines a UTF-8 copy read as Windows-1252 (a decision and a warning); returns the note for the step's message. */
function reportFallback(display: string, result: TranscodeResult, log: StepLog): string[] {
  if (result.fallbackLines === 0) return [];
  const lines = `${result.firstFallbackLines.join(', ')}${result.fallbackLines > result.firstFallbackLines.length ? ', ...' : ''}`;
  log.decision({
    decision: 'text encoding fallback',
    chosen: 'utf-8, other lines as windows-1252',
    alternatives: [{ option: 'refuse the file', score: null }],
    reasoning: `${display}: ${result.fallbackLines} lines are not valid UTF-8 (lines ${lines}); they were read as Windows-1252`,
  });
  log.warn('mixed-encoding', `${display}: ${result.fallbackLines} lines were not UTF-8 and were read as Windows-1252`, { file: display, lines: result.fallbackLines, first_lines: result.firstFallbackLines });
  return [`${result.fallbackLines} line${result.fallbackLines === 1 ? '' : 's'} not UTF-8, read as Windows-1252 (line${result.fallbackLines === 1 ? '' : 's'} ${lines})`];
}

async function transcode(file: CsvFile, from: TextEncoding, skipBytes: number, options: PrepareOptions, normalizeNewlines: boolean): Promise<{ path: string; result: TranscodeResult }> {
  const target = await options.area.allocate(file.display);
  try {
    return { path: target, result: await transcodeToUtf8(file.absolute, target, { from, skipBytes, normalizeNewlines, maxOutputBytes: file.bytes * GROWTH_BOUND + 1024, signal: options.signal }) };
  } catch (error) {
    if (error instanceof TranscodeLimitError) throw new InputFileError(file.display, 'malformed', `text does not decode as ${from}: ${error.message}`, { cause: error });
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new InputFileError(file.display, 'unreadable', `could not be converted to UTF-8: ${error instanceof Error ? error.message : String(error)}`, { hint: 'check the free space of the spill folder (CS_HELPER_SPILL_DIR)', cause: error });
  }
}
