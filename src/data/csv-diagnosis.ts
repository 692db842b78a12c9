// When the engine refuses a CSV, find the first offending row ourselves so the error can name it.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

export interface CsvProblem {
  /** Record number counting the header as 1; equal to the line number unless quoted fields span lines. */
  readonly row: number;
  readonly message: string;
}

/** Streams the file with papaparse and stops at the first structural error (ragged row, bad quotes); null when it finds none. */
export async function findCsvProblem(path: string, delimiter: string, encoding: BufferEncoding, signal?: AbortSignal): Promise<CsvProblem | null> {
  return new Promise((resolvePromise, reject) => {
    let expected: number | null = null;
    let row = 0;
    let settled = false;
    const stream = createReadStream(path, { encoding });
    const finish = (value: CsvProblem | null): void => {
      if (settled) return;
      settled = true;
      stream.destroy();
      resolvePromise(value);
    };
    signal?.addEventListener('abort', () => { finish(null); }, { once: true });
    Papa.parse<string[]>(stream, {
      delimiter,
      skipEmptyLines: true,
      comments: '#',
      step: (result, parser) => {
        row += 1;
        const error = result.errors[0];
        // Settle before aborting: papaparse calls `complete` from inside abort(), which would settle with null.
        if (error !== undefined) {
          finish({ row, message: error.message });
          parser.abort();
          return;
        }
        const fields = result.data.length;
        if (expected === null) expected = fields;
        else if (fields !== expected) {
          // The start of the row lets the user find it whatever their editor counts as a line.
          const start = result.data.join(delimiter).slice(0, 60).replace(/[\r\n]+/g, ' ');
          finish({ row, message: `expected ${expected} fields, found ${fields} (row starts "${start}")` });
          parser.abort();
        }
      },
      complete: () => { finish(null); },
      error: (error: Error) => {
        if (!settled) reject(error);
      },
    });
  });
}

export interface LongLine {
  /** 1-based line number. */
  readonly line: number;
  readonly bytes: number;
}

/** Streams the file's bytes (no decoding, nothing held but a counter) to the first line longer than `limit` bytes. */
export async function findLongLine(path: string, limit: number, signal?: AbortSignal): Promise<LongLine | null> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal === undefined ? {} : { signal }) });
  let line = 1;
  let length = 0;
  let found: LongLine | null = null;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    let start = 0;
    for (let at = bytes.indexOf(0x0a); ; at = bytes.indexOf(0x0a, start)) {
      const end = at < 0 ? bytes.length : at;
      length += end - start;
      if (at < 0) break;
      if (length > limit) {
        found = { line, bytes: length };
        break;
      }
      line += 1;
      length = 0;
      start = at + 1;
    }
    if (found !== null) break;
  }
  stream.destroy();
  if (found === null && length > limit) found = { line, bytes: length };
  return found;
}

/**
 * Streams UTF-16 text (no decoding, nothing held but a counter and a carried byte) to the first code unit that is not
 * part of a valid pair: a high surrogate without a low one after it, or a low one alone. Returns its 1-based line.
 */
export async function findUnpairedSurrogate(path: string, endian: 'le' | 'be', signal?: AbortSignal): Promise<number | null> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal === undefined ? {} : { signal }) });
  let line = 1;
  let carry: number | null = null;
  let highPending = false;
  try {
    for await (const chunk of stream) {
      for (const byte of chunk as Buffer) {
        if (carry === null) {
          carry = byte;
          continue;
        }
        const unit = endian === 'le' ? carry | (byte << 8) : (carry << 8) | byte;
        carry = null;
        const isHigh = unit >= 0xd800 && unit <= 0xdbff;
        const isLow = unit >= 0xdc00 && unit <= 0xdfff;
        if (highPending !== isLow) return line;
        highPending = isHigh;
        if (unit === 0x000a) line += 1;
      }
    }
  } finally {
    stream.destroy();
  }
  return highPending ? line : null;
}
