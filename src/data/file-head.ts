// Reads the first bytes of a file and the encoding they show: what the profiler and the importers look at before the engine reads the rest.
import { open } from 'node:fs/promises';
import { decodeHead, detectEncoding, type DetectedEncoding } from './encoding.js';

/** How much of a file is read to profile it: enough for hundreds of rows, little enough to be instant. */
export const HEAD_BYTES = 256 * 1024;

export interface RawHead {
  /** The first bytes, undecoded (magic numbers: zip, gzip). */
  readonly raw: Buffer;
  /** Whether `raw` is the whole file. */
  readonly complete: boolean;
  /** Null for binary content. */
  readonly encoding: DetectedEncoding | null;
  /** The decoded head without its BOM, cut at the last full line when the file goes on; '' for binary content. */
  readonly text: string;
}

export async function readRawHead(path: string, size: number, maxBytes: number = HEAD_BYTES): Promise<RawHead> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(maxBytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return headOf(buffer.subarray(0, bytesRead), bytesRead >= size);
  } finally {
    await handle.close();
  }
}

/** A head from bytes already read (a file's, or an archive member's inflated ones). */
export function headOf(raw: Buffer, complete: boolean): RawHead {
  const encoding = detectEncoding(raw, complete);
  return { raw, complete, encoding, text: encoding === null ? '' : decodeHead(raw, encoding, complete) };
}

/**
 * Whether the head ends inside the file's first line: no line break in 256 KB of a longer file. `text` then holds that
 * partial line (a minified JSON document is read from it), which is no table to sniff a dialect from.
 */
export function firstLineExceedsHead(head: RawHead): boolean {
  return !head.complete && head.encoding !== null && !head.text.includes('\n');
}

/** What binaryKind names bytes it has no better word for. */
export const BINARY_CONTENT = 'binary content (NUL bytes)';

/** Names what a binary head is, for the error message: archives deserve a better word than 'binary'. */
export function binaryKind(raw: Uint8Array): string {
  if (raw[0] === 0x50 && raw[1] === 0x4b && raw[2] === 0x03 && raw[3] === 0x04) return 'a ZIP archive (or an Office document)';
  if (raw[0] === 0x1f && raw[1] === 0x8b) return 'gzip-compressed data';
  if (raw[0] === 0x28 && raw[1] === 0xb5 && raw[2] === 0x2f && raw[3] === 0xfd) return 'zstd-compressed data';
  if (raw[0] === 0x42 && raw[1] === 0x5a && raw[2] === 0x68) return 'bzip2-compressed data';
  if (raw[0] === 0x45 && raw[1] === 0x6c && raw[2] === 0x66 && raw[3] === 0x46) return 'a Windows event log (.evtx)';
  if ((raw[0] === 0xd4 && raw[1] === 0xc3) || (raw[0] === 0xa1 && raw[1] === 0xb2) || (raw[0] === 0x0a && raw[1] === 0x0d && raw[2] === 0x0d && raw[3] === 0x0a)) return 'a packet capture';
  if (raw[0] === 0x50 && raw[1] === 0x41 && raw[2] === 0x52 && raw[3] === 0x31) return 'a Parquet file';
  if (raw[0] === 0x89 && raw[1] === 0x50 && raw[2] === 0x4e && raw[3] === 0x47) return 'a PNG image (binary content)';
  if (raw[0] === 0xff && raw[1] === 0xd8 && raw[2] === 0xff) return 'a JPEG image (binary content)';
  if (raw[0] === 0x25 && raw[1] === 0x50 && raw[2] === 0x44 && raw[3] === 0x46) return 'a PDF document (binary content)';
  return BINARY_CONTENT;
}
