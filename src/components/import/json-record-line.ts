// The engine names a broken JSON value by record number and byte within the record; users look for a line. This finds
// it: the file's bytes are streamed through a small scanner (strings, escapes and nesting depth only, nothing parsed
// or kept), counting the top-level values (the elements of a top-level array, or values one after another).
import { createReadStream } from 'node:fs';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function opens(b: number): boolean {
  return b === 0x5b || b === 0x7b;
}

function closes(b: number): boolean {
  return b === 0x5d || b === 0x7d;
}

/**
 * The 1-based line of byte `offset` (1-based, from the record's first byte, as the engine counts) of the `record`-th
 * top-level record (1-based); null when the file holds fewer records.
 */
export async function lineOfJsonRecord(path: string, record: number, offset: number, signal?: AbortSignal): Promise<number | null> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal === undefined ? {} : { signal }) });
  let line = 1;
  let depth = 0;
  /** 1 once the file turns out to be one array (its elements are the records), 0 for values one after another. */
  let recordDepth: number | null = null;
  let inString = false;
  let escaped = false;
  let inValue = false;
  let seen = 0;
  /** Bytes left to walk inside the wanted record, once it has started. */
  let remaining: number | null = null;
  try {
    for await (const chunk of stream) {
      for (const b of chunk as Buffer) {
        if (remaining !== null) {
          if (remaining === 0) return line;
          remaining -= 1;
        }
        if (b === LF) line += 1;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (depth === recordDepth) inValue = false;
          }
          continue;
        }
        if (recordDepth === null) {
          if (isSpace(b)) continue;
          recordDepth = b === 0x5b ? 1 : 0;
          if (recordDepth === 1) {
            depth = 1;
            continue;
          }
        }
        if (depth === recordDepth && !inValue && !isSpace(b) && b !== COMMA && !closes(b)) {
          seen += 1;
          inValue = true;
          if (seen === record) {
            // The engine's byte is 1-based: the line of the record's byte offset - 1 is the answer.
            const ahead = Math.max(offset - 1, 0);
            if (ahead === 0) return line;
            remaining = ahead - 1;
          }
        }
        if (b === QUOTE) inString = true;
        else if (opens(b)) depth += 1;
        else if (closes(b)) {
          depth -= 1;
          if (depth === recordDepth) inValue = false;
        } else if (depth === recordDepth && (b === COMMA || isSpace(b))) inValue = false;
      }
    }
  } finally {
    stream.destroy();
  }
  // The file ended inside the wanted record (a truncated file): the line it ended on.
  return remaining === null ? null : line;
}
