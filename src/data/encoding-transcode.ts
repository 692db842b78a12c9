// Streams a text file into a UTF-8 copy the engine can read: for encodings it has no reader for (UTF-16BE, Windows-1252)
// and for mostly-UTF-8 files with stray lines in another encoding (those lines are read as Windows-1252 and counted).
import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { iconvName, type TextEncoding } from './encoding.js';

export interface TranscodeOptions {
  /** `utf-8` means: keep valid UTF-8 lines, read the others as Windows-1252. */
  readonly from: TextEncoding;
  /** Bytes to skip at the start (the byte order mark). */
  readonly skipBytes?: number;
  /** Write every CRLF as LF: the engine's sniffer refuses a file whose lines end both ways. */
  readonly normalizeNewlines?: boolean;
  /** Refuse to write more than this many bytes (a bound on the spill area, not on the input). */
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal;
}

export interface TranscodeResult {
  readonly bytesWritten: number;
  /** Lines that were not valid UTF-8 and were read as Windows-1252 (only with `from: 'utf-8'`). */
  readonly fallbackLines: number;
  /** The first of those line numbers (1-based), at most 20. */
  readonly firstFallbackLines: readonly number[];
}

export class TranscodeLimitError extends Error {
  override readonly name = 'TranscodeLimitError';
}

const LISTED_LINES = 20;

/** Writes `source` as UTF-8 to `target`, streamed with backpressure; rejects when the signal aborts or the output is too large. */
export async function transcodeToUtf8(source: string, target: string, options: TranscodeOptions): Promise<TranscodeResult> {
  const input = createReadStream(source, { start: options.skipBytes ?? 0, highWaterMark: 1024 * 1024, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  const output = createWriteStream(target);
  const fallback = { lines: 0, first: [] as number[], lineNumber: 1 };
  let written = 0;
  // An object, not a let: TypeScript does not see the closure below change it.
  const newline = { pendingCr: false };
  const write = async (data: Buffer): Promise<void> => {
    let chunk = data;
    if (options.normalizeNewlines === true) {
      // A CR that ends one chunk may pair with the LF that starts the next: hold it back until then.
      const text = `${newline.pendingCr ? '\r' : ''}${chunk.toString('utf8')}`;
      newline.pendingCr = text.endsWith('\r');
      chunk = Buffer.from((newline.pendingCr ? text.slice(0, -1) : text).replace(/\r\n/g, '\n'), 'utf8');
    }
    if (chunk.length === 0) return;
    written += chunk.length;
    if (written > options.maxOutputBytes) throw new TranscodeLimitError(`the UTF-8 copy would exceed ${options.maxOutputBytes} bytes`);
    if (!output.write(chunk)) await once(output, 'drain');
  };
  try {
    if (options.from === 'utf-8') {
      let carry: Buffer = Buffer.alloc(0);
      for await (const chunk of input) {
        const data = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
        const end = data.lastIndexOf(0x0a) + 1;
        await write(repairLines(data.subarray(0, end), fallback));
        carry = Buffer.from(data.subarray(end));
      }
      await write(repairLines(carry, fallback));
    } else {
      const decoder = iconv.getDecoder(iconvName(options.from), { stripBOM: true });
      for await (const chunk of input) await write(Buffer.from(decoder.write(chunk as Buffer), 'utf8'));
      await write(Buffer.from(decoder.end() ?? '', 'utf8'));
    }
    if (newline.pendingCr) {
      newline.pendingCr = false;
      output.write('\r');
    }
    output.end();
    await once(output, 'finish');
  } catch (error) {
    input.destroy();
    output.destroy();
    throw error;
  }
  return { bytesWritten: written, fallbackLines: fallback.lines, firstFallbackLines: fallback.first };
}

/** Keeps valid UTF-8 lines as they are and re-decodes the others as Windows-1252, counting them. */
function repairLines(block: Buffer, state: { lines: number; first: number[]; lineNumber: number }): Buffer {
  if (isUtf8(block)) {
    state.lineNumber += countNewlines(block);
    return block;
  }
  const parts: Buffer[] = [];
  let start = 0;
  while (start < block.length) {
    const newline = block.indexOf(0x0a, start);
    const end = newline < 0 ? block.length : newline + 1;
    const line = block.subarray(start, end);
    if (isUtf8(line)) parts.push(line);
    else {
      state.lines += 1;
      if (state.first.length < LISTED_LINES) state.first.push(state.lineNumber);
      parts.push(Buffer.from(iconv.decode(line, 'windows-1252'), 'utf8'));
    }
    state.lineNumber += 1;
    start = end;
  }
  return Buffer.concat(parts);
}

function countNewlines(block: Buffer): number {
  let count = 0;
  let at = block.indexOf(0x0a);
  while (at >= 0) {
    count += 1;
    at = block.indexOf(0x0a, at + 1);
  }
  return count;
}
