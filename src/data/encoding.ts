// Text encodings of input files: detection from the first bytes (BOM, UTF-16 zero-byte pattern, UTF-8 validity,
// Windows-1252 vs Latin-1), and decoding of a file's head for profiling. A heuristic, tested, instead of chardet: the
// engine reads only UTF-8, UTF-16 and Latin-1 anyway, and statistical guesses on a short head mislabel Western exports.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'latin-1', 'windows-1252'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

export interface DetectedEncoding {
  readonly encoding: TextEncoding;
  /** Length of the byte order mark at the start of the file (0 when there is none). */
  readonly bomBytes: number;
  /** Why this encoding: shown in the profile's notes and the import's decision. */
  readonly reason: string;
}

/** The name iconv-lite knows an encoding by. */
export function iconvName(encoding: TextEncoding): string {
  return encoding === 'latin-1' ? 'latin1' : encoding;
}

/**
 * Detects the encoding of a file from its head, or returns null for binary content (NUL bytes in text that is not
 * UTF-16). `complete` says the head is the whole file (a multi-byte character cut at its end is then an error).
 */
export function detectEncoding(head: Uint8Array, complete: boolean): DetectedEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3, reason: 'UTF-8 byte order mark' };
  if (head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0 && head[3] === 0)) return { encoding: 'utf-16le', bomBytes: 2, reason: 'UTF-16 little-endian byte order mark' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2, reason: 'UTF-16 big-endian byte order mark' };
  const utf16 = utf16WithoutBom(head);
  if (utf16 !== null) return { encoding: utf16, bomBytes: 0, reason: `UTF-16 ${utf16 === 'utf-16le' ? 'little' : 'big'}-endian without a byte order mark (zero bytes in every other position)` };
  const sample = head.subarray(0, 64 * 1024);
  if (sample.includes(0)) return null;
  const whole = complete ? head : withoutCutCharacter(head);
  if (isUtf8(whole)) return { encoding: 'utf-8', bomBytes: 0, reason: 'valid UTF-8' };
  // A UTF-8 file with a few lines pasted from elsewhere is UTF-8: the import reads those lines as Windows-1252.
  if (mostlyUtf8(whole)) return { encoding: 'utf-8', bomBytes: 0, reason: 'mostly UTF-8, with some lines in another encoding' };
  // Bytes 0x80-0x9F are control characters in Latin-1 and printable (€, ‘, ”, …) in Windows-1252: their presence decides.
  const c1 = head.some((b) => b >= 0x80 && b <= 0x9f);
  return c1
    ? { encoding: 'windows-1252', bomBytes: 0, reason: 'not valid UTF-8, with bytes 0x80-0x9F (printable in Windows-1252)' }
    : { encoding: 'latin-1', bomBytes: 0, reason: 'not valid UTF-8, no bytes 0x80-0x9F (Latin-1 and Windows-1252 agree)' };
}

/** Decodes a head in the given encoding, without its BOM; an incomplete head is cut at its last full line. */
export function decodeHead(head: Buffer, detected: DetectedEncoding, complete: boolean): string {
  const body = head.subarray(detected.bomBytes);
  const text = iconv.decode(body, iconvName(detected.encoding), { stripBOM: true });
  if (complete) return text;
  const lastNewline = text.lastIndexOf('\n');
  return lastNewline < 0 ? text : text.slice(0, lastNewline + 1);
}

/** More of the lines with non-ASCII bytes are valid UTF-8 than not. */
function mostlyUtf8(head: Uint8Array): boolean {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  let valid = 0;
  let invalid = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline + 1;
    const line = bytes.subarray(start, end);
    if (line.some((b) => b >= 0x80)) {
      if (isUtf8(line)) valid += 1;
      else invalid += 1;
    }
    start = end;
  }
  return valid > invalid;
}

/** Finds UTF-16 without a BOM: mostly-ASCII text in UTF-16 has a zero byte in every other position. */
function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i += 1) {
    if (head[2 * i] === 0) evenZeros += 1;
    if (head[2 * i + 1] === 0) oddZeros += 1;
  }
  if (oddZeros >= pairs * 0.6 && evenZeros <= pairs * 0.05) return 'utf-16le';
  if (evenZeros >= pairs * 0.6 && oddZeros <= pairs * 0.05) return 'utf-16be';
  return null;
}

/** Drops an incomplete UTF-8 sequence at the end of a head that was cut from a longer file. */
function withoutCutCharacter(head: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, head.length); back += 1) {
    const byte = head[head.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? head.subarray(0, head.length - back) : head;
  }
  return head;
}
