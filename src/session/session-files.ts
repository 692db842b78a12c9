// Session log files: the naming contract `<session_name>_<uuidv7>.<jsonl|json>[.gz]`, the log folder listed by session,
// and bounded reading of streams (`.jsonl`) and compiled documents (`.json`). A file whose name does not follow the
// contract is never read, counted or removed by any of this code: the log folder may hold the user's own files.
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { SessionLogError } from '../model/errors/session-log-error.js';
import { compiledSessionSchema, type CompiledSession } from './compiled-session.js';
import { parseSessionEvent } from './parse-session-event.js';
import type { SessionEvent } from './session-event.js';

export type SessionFileKind = 'stream' | 'compiled';

export interface SessionFileName {
  readonly sessionName: string;
  readonly sessionId: string;
  readonly kind: SessionFileKind;
  readonly compressed: boolean;
}

export interface SessionFile extends SessionFileName {
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

/** Every file of one session. `stream` and `compiled` are the ones to read (uncompressed preferred), or null. */
export interface SessionFileGroup {
  readonly sessionId: string;
  readonly sessionName: string;
  /** From the UUIDv7 timestamp: known without opening any file. */
  readonly startTimeMs: number;
  readonly files: readonly SessionFile[];
  readonly stream: SessionFile | null;
  readonly compiled: SessionFile | null;
}

export interface SessionEventsRead {
  readonly events: SessionEvent[];
  /** The last line was cut short (the writer died mid-line); it is left out. */
  readonly tornLastLine: boolean;
  /** 1-based numbers of complete lines that are not session events. */
  readonly invalidLines: number[];
}

export interface ReadOptions {
  /** Refuse files (after decompression) larger than this. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

export const SESSION_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
export const SESSION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FILE_PATTERN = /^([A-Za-z0-9_-]{1,80})_([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.(jsonl|json)(\.gz)?$/;

/** A session's log is a few MB at most; anything near this bound was not written by CS Helper. */
export const MAX_SESSION_FILE_BYTES = 512 * 1024 * 1024;

export function parseSessionFileName(name: string): SessionFileName | null {
  const match = FILE_PATTERN.exec(name);
  if (match === null) return null;
  const [, sessionName = '', sessionId = '', extension, gz] = match;
  return { sessionName, sessionId, kind: extension === 'jsonl' ? 'stream' : 'compiled', compressed: gz !== undefined };
}

export function sessionFileName(sessionName: string, sessionId: string, kind: SessionFileKind, compressed = false): string {
  if (!SESSION_NAME_PATTERN.test(sessionName)) throw new RangeError(`not a session name: '${sessionName}'`);
  if (!SESSION_ID_PATTERN.test(sessionId)) throw new RangeError(`not a UUIDv7 session id: '${sessionId}'`);
  return `${sessionName}_${sessionId}.${kind === 'stream' ? 'jsonl' : 'json'}${compressed ? '.gz' : ''}`;
}

/** Milliseconds since the epoch from the first 48 bits of a UUIDv7. */
export function uuidv7Time(sessionId: string): number {
  return Number.parseInt(sessionId.slice(0, 8) + sessionId.slice(9, 13), 16);
}

/** The sessions in a log folder, oldest first; a folder that does not exist holds none. */
export async function listSessionFiles(dir: string): Promise<SessionFileGroup[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw new SessionLogError(dir, 'unreadable', `cannot list the session log folder: ${messageOf(error)}`, { cause: error });
  }
  const byId = new Map<string, SessionFile[]>();
  for (const name of names) {
    const parsed = parseSessionFileName(name);
    if (parsed === null) continue;
    const path = join(dir, name);
    const stats = await lstat(path).catch((error: unknown) => {
      // Removed between readdir and lstat (another process rotating): simply not there any more.
      if (errorCode(error) === 'ENOENT') return null;
      throw new SessionLogError(path, 'unreadable', messageOf(error), { cause: error });
    });
    // A symlink or folder with a session-like name is not ours to read or delete.
    if (stats === null || !stats.isFile()) continue;
    const files = byId.get(parsed.sessionId) ?? [];
    files.push({ ...parsed, name, path, sizeBytes: stats.size, mtimeMs: stats.mtimeMs });
    byId.set(parsed.sessionId, files);
  }
  const groups = [...byId.entries()].map(([sessionId, files]): SessionFileGroup => {
    files.sort((a, b) => a.name.localeCompare(b.name));
    const pick = (kind: SessionFileKind): SessionFile | null => files.find((f) => f.kind === kind && !f.compressed) ?? files.find((f) => f.kind === kind) ?? null;
    return { sessionId, sessionName: files[0]?.sessionName ?? '', startTimeMs: uuidv7Time(sessionId), files, stream: pick('stream'), compiled: pick('compiled') };
  });
  return groups.sort((a, b) => a.startTimeMs - b.startTimeMs || a.sessionId.localeCompare(b.sessionId));
}

/** The events of a stream (`.jsonl`, `.jsonl.gz`), tolerating a torn last line and reporting lines that are not events. */
export async function readSessionEvents(path: string, options: ReadOptions = {}): Promise<SessionEventsRead> {
  if (!/\.jsonl(\.gz)?$/.test(path)) throw new SessionLogError(path, 'not-a-session-file', 'not a session stream (.jsonl or .jsonl.gz)');
  const events: SessionEvent[] = [];
  const invalidLines: number[] = [];
  let tornLastLine = false;
  let number = 0;
  for await (const line of readLines(path, options)) {
    number += 1;
    if (line.text.trim() === '') continue;
    const value = parseJson(line.text);
    if (value === undefined) {
      // Only an unterminated last line can be torn: every complete write ends with its newline.
      if (line.terminated) invalidLines.push(number);
      else tornLastLine = true;
      continue;
    }
    const event = parseSessionEvent(value);
    if (event === null) invalidLines.push(number);
    else events.push(event);
  }
  return { events, tornLastLine, invalidLines };
}

/** A compiled session document (`.json`, `.json.gz`), checked against the document schema. */
export async function readCompiledSession(path: string, options: ReadOptions = {}): Promise<CompiledSession> {
  if (!/\.json(\.gz)?$/.test(path)) throw new SessionLogError(path, 'not-a-session-file', 'not a compiled session (.json or .json.gz)');
  const chunks: Buffer[] = [];
  for await (const chunk of readChunks(path, options)) chunks.push(chunk);
  const value = parseJson(Buffer.concat(chunks).toString('utf8'));
  if (value === undefined) throw new SessionLogError(path, 'invalid', 'not valid JSON');
  const parsed = compiledSessionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SessionLogError(path, 'invalid', `not a compiled session document (${issue === undefined ? 'wrong shape' : `${issue.path.join('.') || 'document'}: ${issue.message}`})`);
  }
  return parsed.data;
}

interface Line {
  readonly text: string;
  readonly terminated: boolean;
}

async function* readLines(path: string, options: ReadOptions): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  for await (const chunk of readChunks(path, options)) {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, newline));
      yield { text: decode(pending), terminated: true };
      pending = [];
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) yield { text: decode(pending), terminated: false };
}

/** The file's bytes, decompressed when it ends in `.gz`, stopping with an error past the size bound. */
async function* readChunks(path: string, options: ReadOptions): AsyncGenerator<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_SESSION_FILE_BYTES;
  const source = createReadStream(path, options.signal === undefined ? {} : { signal: options.signal });
  const gunzip = path.endsWith('.gz') ? createGunzip() : null;
  if (gunzip !== null) {
    // pipe() does not forward errors: a missing file must fail the read, not leave it waiting.
    source.on('error', (error) => gunzip.destroy(error));
    source.pipe(gunzip);
  }
  let total = 0;
  try {
    for await (const chunk of gunzip ?? source) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > maxBytes) throw new SessionLogError(path, 'too-large', `larger than ${Math.round(maxBytes / 1024 / 1024)} MB${gunzip === null ? '' : ' once decompressed'}`);
      yield buffer;
    }
  } catch (error) {
    if (error instanceof SessionLogError) throw error;
    throw toReadError(path, error);
  } finally {
    source.destroy();
    gunzip?.destroy();
  }
}

function toReadError(path: string, error: unknown): Error {
  const code = errorCode(error);
  if (code === 'ENOENT') return new SessionLogError(path, 'not-found', 'no such file', { cause: error });
  if (code === 'ABORT_ERR') return error instanceof Error ? error : new Error(String(error));
  if (code?.startsWith('Z_') === true) return new SessionLogError(path, 'invalid', `damaged gzip data (${messageOf(error)})`, { cause: error });
  return new SessionLogError(path, 'unreadable', messageOf(error), { cause: error });
}

function decode(parts: readonly Buffer[]): string {
  const text = (parts.length === 1 ? parts[0] ?? Buffer.alloc(0) : Buffer.concat(parts)).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** JSON.parse creates fresh objects (a `__proto__` key becomes an own property, not a prototype); undefined when invalid. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function errorCode(error: unknown): string | undefined {
  return error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
