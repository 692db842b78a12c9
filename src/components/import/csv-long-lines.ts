// Lines of max_line_bytes or more, set aside before the engine reads a file. The engine cannot be left to do it: its
// sniffer fails the whole read on such a line in its sample, and its reader drops a line longer than its read buffer
// without a reject, shifting the line numbers after it (measured with DuckDB 1.5: a 40 MB line in a 3,000-row file).
// A quick look says whether a file may hold one; only then is it scanned, and read from a copy without those lines.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A line the engine would refuse, by its 1-based number and its byte range in the file (its line break included). */
export interface LongLine {
  readonly line: number;
  /** Its length as the engine counts it: the bytes before the LF (a CR included). */
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  /** Its first bytes, for messages. */
  readonly head: string;
  /** Whether it starts or ends inside a quoted field that runs over several lines: it cannot be cut out. */
  readonly inQuotes: boolean;
}

/** How a user raises the limit: the parameter has no command-line option. */
export const RAISE_MAX_LINE_BYTES = 'save the plan with --export, raise max_line_bytes of its import step (up to 268435456, 256 MiB) and run it with cs-helper run';

/** The hint for a line refused as too long. */
export const LONG_LINE_HINT = `a field this long is unusual in an export: check the file, or, if you trust it, ${RAISE_MAX_LINE_BYTES}`;

const PROBE_BYTES = 4096;
/** Blocks smaller than this (max_line_bytes under 128 KB) are checked by streaming the file instead of probing. */
const SEQUENTIAL_BELOW = 64 * 1024;
const HEAD_BYTES = 80;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Whether some stretch of `limit` bytes may hold no line break. A line of `limit` bytes or more covers a whole aligned
 * block of `limit / 2` bytes, so one probe per block finds it; in a file of ordinary lines each probe stops at the
 * first line break of its block (a 110 MB file at the default limit: about 100 small reads, ~20 ms). Small limits
 * would make that many reads: the file is then streamed once instead.
 */
export async function mayHoldLongLine(path: string, limit: number, signal: AbortSignal): Promise<boolean> {
  const block = Math.max(1, Math.floor(limit / 2));
  if (block < SEQUENTIAL_BELOW) return holdsLongLine(path, limit, signal);
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(PROBE_BYTES);
    for (let start = 0; start + block <= size; start += block) {
      signal.throwIfAborted();
      let at = start;
      let found = false;
      while (at < start + block) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, start + block - at), at);
        if (bytesRead === 0) break;
        if (buffer.subarray(0, bytesRead).includes(0x0a)) {
          found = true;
          break;
        }
        at += bytesRead;
      }
      if (!found && at >= start + block) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * The same answer, exact, from one streamed pass: from each line break, the next must come within `limit` bytes, and
 * `lastIndexOf` finds the last one there, jumping over the short lines between in one call.
 */
async function holdsLongLine(path: string, limit: number, signal: AbortSignal): Promise<boolean> {
  /** Bytes since the last line break, carried over from earlier chunks. */
  let run = 0;
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal });
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      let from = 0;
      for (;;) {
        const next = bytes.indexOf(0x0a, from);
        if (next < 0) {
          run += bytes.length - from;
          if (run >= limit) return true;
          break;
        }
        if (run + next - from >= limit) return true;
        run = 0;
        const reach = next + limit;
        if (reach >= bytes.length) {
          // The window runs past this chunk: carry the bytes after its last line break.
          run = bytes.length - 1 - bytes.lastIndexOf(0x0a);
          if (run >= limit) return true;
          break;
        }
        const last = bytes.lastIndexOf(0x0a, reach);
        if (last === next) return true;
        from = last + 1;
      }
    }
    return false;
  } finally {
    stream.destroy();
  }
}

/**
 * Streams the file and returns its lines of `limit` bytes or more, in order; stops after `max + 1` of them (the caller
 * refuses a file with more). Memory holds one chunk and the head of the current line.
 */
export async function findLongLines(path: string, options: { readonly limit: number; readonly max: number; readonly quote: string; readonly signal: AbortSignal }): Promise<LongLine[]> {
  const found: Omit<LongLine, 'inQuotes'>[] = [];
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  const finish = (end: number, breakBytes: number): void => {
    if (end - lineStart >= options.limit) found.push({ line, bytes: end - lineStart, start: lineStart, end: end + breakBytes, head: Buffer.concat(head).toString('utf8').replace(/\0/g, '') });
    line += 1;
    lineStart = end + breakBytes;
    head = [];
    headBytes = 0;
  };
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal: options.signal });
  try {
    scan: for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      for (let from = 0; ; ) {
        const at = bytes.indexOf(0x0a, from);
        const end = at < 0 ? bytes.length : at;
        if (headBytes < HEAD_BYTES) {
          const piece = bytes.subarray(from, Math.min(end, from + HEAD_BYTES - headBytes));
          head.push(piece);
          headBytes += piece.length;
        }
        if (at < 0) break;
        finish(offset + at, 1);
        if (found.length > options.max) break scan;
        from = at + 1;
      }
      offset += bytes.length;
    }
    if (found.length <= options.max && offset > lineStart) finish(offset, 0);
  } finally {
    stream.destroy();
  }
  if (found.length === 0 || options.quote === '') return found.map((l) => ({ ...l, inQuotes: false }));
  const inQuotes = await withinQuotedFields(path, found, options.quote.charCodeAt(0), options.signal);
  return found.map((l, i) => ({ ...l, inQuotes: inQuotes[i] === true }));
}

/**
 * For each line, whether it starts or ends inside a quoted field: an odd number of quote characters before its start
 * or its end (a doubled quote inside a field counts twice). Streams the file up to the last line, jumping from quote to
 * quote.
 */
async function withinQuotedFields(path: string, lines: readonly Omit<LongLine, 'inQuotes'>[], quote: number, signal: AbortSignal): Promise<boolean[]> {
  const inside = lines.map(() => false);
  if (quote > 0x7f) return inside;
  const edges = lines.flatMap((l, i) => [{ at: l.start, line: i }, { at: l.start + l.bytes, line: i }]);
  let next = 0;
  let quotes = 0;
  let offset = 0;
  // Edges up to `upTo` (a quote's position, or a chunk's last byte) see the count of the quotes before them.
  const settle = (upTo: number): void => {
    for (; next < edges.length && (edges[next]?.at ?? 0) <= upTo; next += 1) {
      const edge = edges[next];
      if (edge !== undefined && quotes % 2 === 1) inside[edge.line] = true;
    }
  };
  const last = edges[edges.length - 1]?.at ?? 0;
  if (last > 0) {
    const stream = createReadStream(path, { start: 0, end: last - 1, highWaterMark: CHUNK_BYTES, signal });
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      for (let from = 0; ; ) {
        const at = bytes.indexOf(quote, from);
        settle(at < 0 ? offset + bytes.length - 1 : offset + at);
        if (at < 0) break;
        quotes += 1;
        from = at + 1;
      }
      offset += bytes.length;
    }
  }
  settle(Number.POSITIVE_INFINITY);
  return inside;
}

/**
 * Copies `path` to `target` without the byte ranges of `lines` (in file order), streamed: the copy the engine reads.
 * Returns the bytes written.
 */
export async function copyWithoutLines(path: string, target: string, lines: readonly LongLine[], signal: AbortSignal): Promise<number> {
  const output = await open(target, 'w');
  let written = 0;
  try {
    let from = 0;
    for (const long of lines) {
      written += await copyRange(path, output, { start: from, end: long.start }, signal);
      from = long.end;
    }
    written += await copyRange(path, output, { start: from, end: Number.POSITIVE_INFINITY }, signal);
  } finally {
    await output.close();
  }
  return written;
}

async function copyRange(path: string, output: FileHandle, range: { readonly start: number; readonly end: number }, signal: AbortSignal): Promise<number> {
  if (range.end <= range.start) return 0;
  let written = 0;
  const stream = createReadStream(path, { start: range.start, ...(Number.isFinite(range.end) ? { end: range.end - 1 } : {}), highWaterMark: CHUNK_BYTES, signal });
  for await (const chunk of stream) {
    await output.write(chunk as Buffer);
    written += (chunk as Buffer).length;
  }
  return written;
}

/**
 * The file's line number for a line number of the copy. With lines r1 < r2 < ... cut out, r_i is preceded by r_i - i
 * lines of the copy, so a copy line c comes after every r_i with r_i - i < c.
 */
export function lineInFile(copyLine: number, cut: readonly LongLine[]): number {
  let line = copyLine;
  cut.forEach((long, index) => {
    if (long.line - (index + 1) < copyLine) line += 1;
  });
  return line;
}
