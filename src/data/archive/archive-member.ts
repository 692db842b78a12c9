// Data files handed over compressed: a ZIP archive holding one data file (how the OTRF/Mordor recordings and many
// feed dumps ship) or a gzip-compressed file (rotated logs, `conn.log.gz`). The planner profiles the file inside from
// its first bytes, the importers read a copy inflated into the run's spill area. Office documents are ZIP packages
// too: those are left to the workbook reader.
// Bounds, since archives come from anywhere: entries in the directory, the inflated size (declared and real: yauzl
// stops a stream that passes the size its directory declares; a gzip stream is counted), the ratio of inflated to
// compressed bytes past a size no real log reaches at that ratio, no encrypted entries, and the copy's name is the
// member's base name cleaned, never its path.
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { type Entry, type ZipFile, inflatedPastDeclaredSize, openZip as openZipFile, zipEntries as readZipEntries } from '../zip/zip-directory.js';
import { InputFileError } from '../../model/errors/input-file-error.js';

export type ArchiveFormat = 'zip' | 'gzip';

/** The one data file inside an archive. */
export interface ArchiveMember {
  readonly format: ArchiveFormat;
  /** The member's name as the archive holds it (a path inside a ZIP), for messages. */
  readonly name: string;
  /** Inflated size: declared by the ZIP directory; for gzip, the trailer's size (modulo 4 GiB, so an estimate). */
  readonly bytes: number;
  /** Compressed size of the whole archive file. */
  readonly archiveBytes: number;
}

export interface ArchiveLimits {
  /** Entries in a ZIP directory. */
  readonly maxEntries: number;
  /** Inflated bytes of the member, whatever the ratio. */
  readonly maxBytes: number;
  /** Past `ratioFreeBytes`, the inflated size may be at most this many times the archive's size. */
  readonly maxRatio: number;
  readonly ratioFreeBytes: number;
}

/**
 * Text logs deflate 5-30x (the OTRF recordings: 11-25x); deflate cannot pass ~1,030x. A member that inflates past 1 GiB
 * at over 200x is refused as a bomb, whatever it claims to be.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 10_000, maxBytes: 64 * 1024 ** 3, maxRatio: 200, ratioFreeBytes: 1024 ** 3 };

/** The most bytes a member of an archive of `archiveBytes` may inflate to. */
export function inflateBound(archiveBytes: number, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): number {
  return Math.min(limits.maxBytes, Math.max(limits.ratioFreeBytes, archiveBytes * limits.maxRatio));
}

/** The archive format a file's first bytes show, or null. */
export function archiveFormat(raw: Uint8Array): ArchiveFormat | null {
  if (raw[0] === 0x50 && raw[1] === 0x4b && raw[2] === 0x03 && raw[3] === 0x04) return 'zip';
  if (raw[0] === 0x1f && raw[1] === 0x8b) return 'gzip';
  return null;
}

/** Names an archive's member: `logs.zip (conn.json)`. */
export function memberDisplay(display: string, member: ArchiveMember): string {
  return `${display} (${member.name})`;
}

/**
 * The data file inside the archive at `path`, or null for a ZIP that is an Office document (a workbook). Refuses an
 * archive holding no file, several files, or an encrypted one, naming what it holds.
 */
export async function archiveMember(path: string, display: string, format: ArchiveFormat, archiveBytes: number, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ArchiveMember | null> {
  if (format === 'gzip') {
    const name = basename(display).replace(/\.(gz|gzip|tgz)$/i, '') || 'data';
    return { format, name, bytes: await gzipTrailerSize(path, archiveBytes), archiveBytes };
  }
  const zip = await openZip(path, display);
  try {
    if (zip.entryCount > limits.maxEntries) throw new InputFileError(display, 'too-large', `the ZIP archive holds ${zip.entryCount} entries, over the limit of ${limits.maxEntries}`, { hint: 'extract the files you want and name them' });
    const entries = await zipEntries(zip, display);
    // An Office Open XML package (xlsx, docx) names its content types at the root.
    if (entries.some((e) => e.fileName === '[Content_Types].xml')) return null;
    const files = entries.filter(isDataEntry);
    const only = files[0];
    if (only === undefined) throw new InputFileError(display, 'empty', 'the ZIP archive holds no file', { hint: 'check that the right archive was named' });
    if (files.length > 1) {
      const names = files.slice(0, 5).map((e) => e.fileName);
      throw new InputFileError(display, 'unsupported', `the ZIP archive holds ${files.length} files (${names.join(', ')}${files.length > 5 ? ', ...' : ''}); CS Helper reads an archive holding one`, {
        hint: 'extract it and name the files you want as --input-files',
      });
    }
    checkEntry(only, display);
    return { format, name: only.fileName, bytes: only.uncompressedSize, archiveBytes };
  } finally {
    zip.close();
  }
}

/**
 * Up to `maxBytes` of the member's inflated bytes, and whether that is all of it: what the profiler reads. The
 * stream stops as soon as it has enough, so a large archive costs a few hundred KB of inflating.
 */
export async function readMemberHead(path: string, display: string, member: ArchiveMember, maxBytes: number, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<{ raw: Buffer; complete: boolean }> {
  const { stream, close } = await openMember(path, display, member, limits);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      // Enough to profile: the rest is not inflated. A member of exactly maxBytes reads as incomplete, which only makes
      // the profiler estimate its rows.
      if (length >= maxBytes) return { raw: Buffer.concat(chunks, length).subarray(0, maxBytes), complete: false };
    }
    return { raw: Buffer.concat(chunks, length), complete: true };
  } catch (error) {
    throw inflateError(error, display, member);
  } finally {
    stream.destroy();
    close();
  }
}

/** Inflates the member into `target` (a new file); returns the bytes written. */
export async function extractMember(path: string, display: string, member: ArchiveMember, target: string, signal?: AbortSignal, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<number> {
  const { stream, close } = await openMember(path, display, member, limits);
  try {
    await pipeline(stream, createWriteStream(target, { flags: 'wx' }), ...(signal === undefined ? [] : [{ signal }]));
  } catch (error) {
    // No half-inflated copy is left behind, whatever stopped it.
    await rm(target, { force: true });
    if (signal?.aborted === true) throw error;
    throw inflateError(error, display, member);
  } finally {
    close();
  }
  return (await stat(target)).size;
}

/**
 * The member's inflated bytes as a stream, counted against the bound (a gzip member declares nothing the stream is
 * held to; a ZIP member is also held to its declared size by yauzl). `close` releases the archive.
 */
export async function openMember(path: string, display: string, member: ArchiveMember, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<{ stream: Readable; close: () => void }> {
  const bound = inflateBound(member.archiveBytes, limits);
  if (member.format === 'gzip') {
    const source = createReadStream(path);
    const stream = source.pipe(createGunzip()).pipe(new ByteBound(bound));
    source.on('error', (error) => stream.destroy(error));
    return { stream, close: () => source.destroy() };
  }
  if (member.bytes > bound) throw bombError(display, member, bound);
  const zip = await openZip(path, display);
  try {
    const entry = (await zipEntries(zip, display)).find((e) => e.fileName === member.name);
    if (entry === undefined) throw new InputFileError(display, 'malformed', `the ZIP archive no longer holds ${member.name}`, { hint: 'the archive changed while CS Helper read it: run again' });
    checkEntry(entry, display);
    const stream = await new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry, (error, opened) => {
        if (error !== null) reject(new InputFileError(display, 'malformed', `cannot read ${entry.fileName} in the archive: ${error.message}`, { cause: error }));
        else resolve(opened);
      });
    });
    return { stream, close: () => { zip.close(); } };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/** An error met while inflating, as the user's error: a damaged archive, or one that inflates past its bound. */
export function inflateError(error: unknown, display: string, member: ArchiveMember): unknown {
  if (error instanceof InputFileError) return error;
  if (error instanceof BoundExceededError) return bombError(display, member, error.bound);
  const message = error instanceof Error ? error.message : String(error);
  if (inflatedPastDeclaredSize(error)) {
    return new InputFileError(display, 'malformed', `${member.name} inflates past the ${member.bytes.toLocaleString('en-US')} bytes the archive declares: stopped there as a possible zip bomb`, { cause: error });
  }
  return new InputFileError(display, 'malformed', `the ${member.format === 'zip' ? 'ZIP archive' : 'gzip stream'} is damaged: ${message}`, { cause: error, hint: 'download or export the file again' });
}

function bombError(display: string, member: ArchiveMember, bound: number): InputFileError {
  return new InputFileError(display, 'too-large', `${member.name} inflates to more than ${bound.toLocaleString('en-US')} bytes from a ${member.archiveBytes.toLocaleString('en-US')}-byte archive: refused as a possible decompression bomb`, {
    hint: 'extract it yourself if you trust it, and name the file inside',
  });
}

/** Directories, macOS resource forks and hidden files are not data. */
function isDataEntry(entry: Entry): boolean {
  if (entry.fileName.endsWith('/')) return false;
  const parts = entry.fileName.split('/');
  const name = parts.at(-1) ?? '';
  return !parts.includes('__MACOSX') && !name.startsWith('.') && name !== '';
}

function checkEntry(entry: Entry, display: string): void {
  if (entry.isEncrypted()) throw new InputFileError(display, 'unsupported', `${entry.fileName} is encrypted in the ZIP archive`, { hint: 'extract it with its password, and name the file inside' });
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new InputFileError(display, 'unsupported', `${entry.fileName} uses ZIP compression method ${entry.compressionMethod}; CS Helper reads stored and deflated entries`, { hint: 'extract it with a tool that knows the method, and name the file inside' });
  }
}

async function openZip(path: string, display: string): Promise<ZipFile> {
  return openZipFile(path, (error) => new InputFileError(display, 'malformed', `not a readable ZIP archive: ${error.message}`, { cause: error, hint: 'download or export the file again' }));
}

async function zipEntries(zip: ZipFile, display: string): Promise<Entry[]> {
  return readZipEntries(zip, (error) => {
    // yauzl refuses entry names that climb out of the archive or are absolute: a hostile archive, not a damaged one.
    const unsafe = /^(?:invalid relative path|absolute path): (.*)$/s.exec(error.message);
    if (unsafe !== null) return new InputFileError(display, 'unsupported', `the ZIP archive names an entry '${(unsafe[1] ?? '').slice(0, 200)}', outside the archive: refused`, { cause: error, hint: 'do not extract this archive elsewhere either' });
    return new InputFileError(display, 'malformed', `the ZIP archive is damaged: ${error.message}`, { cause: error, hint: 'download or export the file again' });
  });
}

/** The size a gzip file's trailer records for its (last) member: the inflated size modulo 4 GiB. */
async function gzipTrailerSize(path: string, archiveBytes: number): Promise<number> {
  if (archiveBytes < 18) return 0;
  const handle = await open(path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, archiveBytes - 4);
    return trailer.readUInt32LE(0);
  } finally {
    await handle.close();
  }
}

class BoundExceededError extends Error {
  constructor(readonly bound: number) {
    super(`inflated past ${bound} bytes`);
  }
}

/** Passes bytes through until `bound` of them have passed, then fails the stream. */
class ByteBound extends Transform {
  #seen = 0;
  constructor(private readonly bound: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.bound) callback(new BoundExceededError(this.bound));
    else callback(null, chunk);
  }
}
