// When the engine refuses a CSV outright, turns its long error text into a one-line InputFileError naming the file,
// the line and the problem, looking at the file itself where the engine's text says too little.
import { open } from 'node:fs/promises';
import { findCsvProblem, findLongLine, findUnpairedSurrogate } from '../../data/csv-diagnosis.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { csvErrorLine, firstLine, mentionsEncoding } from './engine-error-text.js';
import { LONG_LINE_HINT } from './csv-long-lines.js';
import type { CsvSource } from './csv-source.js';

/** How much of a file is checked for binary content or bytes invalid in the declared encoding. */
const ENCODING_CHECK_BYTES = 64 * 1024;

const NODE_ENCODING = { 'utf-8': 'utf8', 'utf-16': 'utf16le', 'latin-1': 'latin1' } as const;

/**
 * `inFile` maps a line of what the engine read to the file's line, when the engine read a copy with lines cut out
 * (csv-long-lines.ts).
 */
export async function explainCsvFailure(error: unknown, sources: readonly CsvSource[], params: { delimiter: string | null; max_line_bytes: number }, signal: AbortSignal, inFile: (line: number) => number = (line) => line): Promise<unknown> {
  if (!(error instanceof Error) || error.name === 'CancelledError' || signal.aborted) return error;
  const message = error.message;
  const fileMatch = /file = (.+)$/m.exec(message);
  const failing = sources.find((s) => fileMatch?.[1]?.trim() === s.readPath) ?? sources[0];
  const display = failing?.display ?? 'input';
  const engineLine = csvErrorLine(message);
  const line = engineLine === undefined ? undefined : inFile(engineLine);
  // On binary input the sniffer often reports only that it found no dialect: look at the bytes before blaming the rows.
  const undecodable = failing !== undefined && (await isUndecodable(failing.readPath, failing.engineEncoding).catch(() => false));
  if (mentionsEncoding(message) || undecodable) {
    // The engine names no line for broken UTF-16: the first unpaired surrogate gives it.
    const where = line ?? (failing === undefined ? null : await unpairedSurrogateLine(failing, signal));
    return new InputFileError(display, 'malformed', `text is not valid ${failing?.encoding ?? 'utf-8'}`, {
      ...(where === null ? {} : { line: where }),
      hint: 'the file may be binary, or in another encoding (UTF-16, Latin-1): convert it to UTF-8 or set the encoding parameter',
      cause: error,
    });
  }
  // The engine also says this when an open quote runs to the end of the file: then no line is actually that long.
  const long = failing !== undefined && /Maximum line size/i.test(message) ? await findLongLine(failing.readPath, params.max_line_bytes, signal).catch(() => null) : null;
  if (long !== null) {
    return new InputFileError(display, 'malformed', `a line of ${long.bytes.toLocaleString('en-US')} bytes, over the limit of ${params.max_line_bytes.toLocaleString('en-US')} bytes`, {
      line: inFile(long.line),
      hint: LONG_LINE_HINT,
      cause: error,
    });
  }
  // The engine's sniffer gives up without a line number on some broken files: find the row ourselves.
  if (failing !== undefined) {
    const problem = await findCsvProblem(failing.readPath, singleCharacter(params.delimiter ?? failing.dialect.delimiter), NODE_ENCODING[failing.engineEncoding], signal).catch(() => null);
    if (problem !== null) return new InputFileError(display, 'malformed', problem.message, { line: inFile(problem.row), cause: error });
  }
  return new InputFileError(display, 'malformed', firstLine(message).slice(0, 300), { ...(line === undefined ? {} : { line }), cause: error });
}

/** Used when the sniffer fell back to one column: names the first ragged row. */
export async function throwOnRaggedRow(sources: readonly CsvSource[], delimiter: string, signal: AbortSignal): Promise<void> {
  for (const source of sources) {
    const problem = await findCsvProblem(source.readPath, delimiter, NODE_ENCODING[source.engineEncoding], signal).catch(() => null);
    if (problem !== null) throw new InputFileError(source.display, 'malformed', problem.message, { line: problem.row });
  }
}

async function unpairedSurrogateLine(source: CsvSource, signal: AbortSignal): Promise<number | null> {
  if (source.encoding !== 'utf-16le' && source.encoding !== 'utf-16be') return null;
  return findUnpairedSurrogate(source.readPath, source.encoding === 'utf-16le' ? 'le' : 'be', signal).catch(() => null);
}

/** papaparse takes one separator; a padded one (', ') is its first character plus spaces it tolerates. */
function singleCharacter(delimiter: string): string {
  return delimiter.trim() === '' ? delimiter : delimiter.trim();
}

/** True when the head of the file holds NUL bytes (for 8-bit encodings) or bytes that are not UTF-8 (when UTF-8 is declared). */
async function isUndecodable(path: string, encoding: keyof typeof NODE_ENCODING): Promise<boolean> {
  if (encoding === 'utf-16') return false;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(ENCODING_CHECK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.includes(0)) return true;
    if (encoding !== 'utf-8') return false;
    // A character cut at the end of the head is not an error: decode up to the last full line.
    const complete = bytesRead < buffer.length ? head : head.subarray(0, head.lastIndexOf(0x0a) + 1);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(complete);
      return false;
    } catch {
      return true;
    }
  } finally {
    await handle.close();
  }
}
