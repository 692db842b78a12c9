// Keeps the session log folder bounded: dead streams become compiled documents, old documents are gzipped, and the
// oldest sessions beyond the limit are removed. Only files named by the session naming contract (and our own stale
// temporary files) are ever looked at; anything else in the folder is the user's and is left alone.
//
// The one rule that keeps this safe with several cs-helper processes sharing a folder: a session is *live*, and then
// neither compiled, compressed nor removed, when it is one of `keepIds` (the caller's own sessions) or when any of its
// stream files was modified within `staleAfterMs`. The writer appends at least every 100 ms while events flow, so a
// stream untouched for an hour has no writer left: its process died (or it ended and nobody compiled it). The margin
// is wide on purpose: removing a stream that is still being written loses that session's log, while leaving a dead
// stream uncompiled for an hour costs nothing. (A session that stays silent for longer, such as an idle interactive
// prompt, would be taken for dead: the writer should touch its file now and then for this rule to hold.)
import { lstat, readdir, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SessionLogError } from '../model/errors/session-log-error.js';
import { gzipFileAtomic, targetOfTempName } from './atomic-file.js';
import { compileSessionFile } from './compile-session.js';
import { errorCode, listSessionFiles, parseSessionFileName, sessionFileName, type SessionFile, type SessionFileGroup } from './session-files.js';

export const DEFAULT_MAX_SESSIONS = 200;
export const DEFAULT_COMPRESS_AFTER_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_STALE_STREAM_MS = 60 * 60 * 1000;

export interface RotateOptions {
  /** Sessions kept (after compilation each session is one file, so this is the guide's "200 log files"). */
  readonly maxFiles?: number;
  /** A compiled document whose session was last active longer ago than this is gzipped. */
  readonly compressAfterMs?: number;
  /** A stream untouched for longer than this has no live writer (see the header). */
  readonly staleAfterMs?: number;
  /** Sessions never touched, whatever their age: the caller's own live sessions. */
  readonly keepIds?: readonly string[];
  /** The current time in ms, for tests. */
  readonly now?: number;
  readonly signal?: AbortSignal;
}

export interface RotationReport {
  /** Compiled documents written from dead streams (each replaces its stream, which is gone). */
  readonly compiled: string[];
  /** `.json.gz` files written (each replaces its `.json`, which is gone). */
  readonly compressed: string[];
  /** Files whose content is gone: sessions beyond the limit, documents superseded by a stream, stale temporary files. */
  readonly removed: string[];
  /** Files that could not be handled; rotation goes on with the others. */
  readonly failed: { readonly path: string; readonly message: string }[];
}

export async function rotateSessionLogs(dir: string, options: RotateOptions = {}): Promise<RotationReport> {
  const now = options.now ?? Date.now();
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_SESSIONS;
  const compressAfterMs = options.compressAfterMs ?? DEFAULT_COMPRESS_AFTER_MS;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_STREAM_MS;
  if (!Number.isInteger(maxFiles) || maxFiles < 0) throw new RangeError(`maxFiles must be a whole number >= 0, not ${maxFiles}`);
  const keep = new Set(options.keepIds ?? []);
  const report: RotationReport = { compiled: [], compressed: [], removed: [], failed: [] };
  const isLive = (group: SessionFileGroup): boolean => keep.has(group.sessionId) || group.files.some((f) => f.kind === 'stream' && now - f.mtimeMs <= staleAfterMs);

  const groups = await listSessionFiles(dir);
  // Removal first: compiling or compressing a session about to be removed would be wasted work. Oldest first by the
  // UUIDv7 time; live sessions count towards the limit but are skipped, so the next oldest goes instead.
  let excess = groups.length - maxFiles;
  const survivors: SessionFileGroup[] = [];
  for (const group of groups) {
    if (excess > 0 && !isLive(group)) {
      excess -= 1;
      for (const file of group.files) await attempt(report, file.path, () => remove(report, file.path), options.signal);
      continue;
    }
    survivors.push(group);
  }

  for (const group of survivors) {
    if (isLive(group)) continue;
    let compiled = group.compiled;
    if (group.stream !== null) compiled = await compileDeadStream(report, group, group.stream, options.signal);
    if (compiled !== null && !compiled.compressed && now - compiled.mtimeMs > compressAfterMs) await compress(report, group, compiled, options.signal);
  }

  await removeStaleTempFiles(report, dir, now - staleAfterMs, options.signal);
  return report;
}

/**
 * The stream is the source of truth for a session that has one: its document is (re)written from it, then the stream
 * and any older document (a `.json.gz` from before) are removed. The document keeps the stream's modification time,
 * so the age rules measure the session's last activity rather than when rotation got to it.
 */
async function compileDeadStream(report: RotationReport, group: SessionFileGroup, stream: SessionFile, signal: AbortSignal | undefined): Promise<SessionFile | null> {
  const written = await attempt(
    report,
    stream.path,
    async (): Promise<SessionFile> => {
      const result = await compileSessionFile(stream.path, signal === undefined ? {} : { signal });
      const lastActive = new Date(stream.mtimeMs);
      await utimes(result.path, lastActive, lastActive);
      report.compiled.push(result.path);
      // The stream it came from is replaced, not lost; an older document is superseded.
      for (const file of group.files) {
        if (file.path !== result.path) await remove(file.kind === 'stream' ? null : report, file.path);
      }
      return { ...stream, kind: 'compiled', compressed: false, name: sessionFileName(group.sessionName, group.sessionId, 'compiled'), path: result.path };
    },
    signal,
  );
  return written ?? null;
}

async function compress(report: RotationReport, group: SessionFileGroup, compiled: SessionFile, signal: AbortSignal | undefined): Promise<void> {
  const target = join(dirname(compiled.path), sessionFileName(group.sessionName, group.sessionId, 'compiled', true));
  await attempt(
    report,
    compiled.path,
    async () => {
      await gzipFileAtomic(compiled.path, target, signal);
      const lastActive = new Date(compiled.mtimeMs);
      await utimes(target, lastActive, lastActive);
      report.compressed.push(target);
      await remove(null, compiled.path);
    },
    signal,
  );
}

/** Temporary files left by a crash mid-write: ours by their name, removed once nobody can still be writing them. */
async function removeStaleTempFiles(report: RotationReport, dir: string, cutoffMs: number, signal: AbortSignal | undefined): Promise<void> {
  const names = await readdir(dir).catch((): string[] => []);
  for (const name of names) {
    const target = targetOfTempName(name);
    if (target === null || parseSessionFileName(target) === null) continue;
    const path = join(dir, name);
    await attempt(
      report,
      path,
      async () => {
        const stats = await lstat(path);
        if (stats.isFile() && stats.mtimeMs < cutoffMs) await remove(report, path);
      },
      signal,
    );
  }
}

/** Deletes a file; it is listed as removed when a report is given (not for files replaced by another). */
async function remove(report: RotationReport | null, path: string): Promise<void> {
  try {
    await rm(path);
    report?.removed.push(path);
  } catch (error) {
    // Another process rotating the same folder got there first: the outcome is the same.
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Runs one file's work; a failure is recorded (undefined is returned) and rotation goes on, but cancellation stops everything. */
async function attempt<T>(report: RotationReport, path: string, work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  signal?.throwIfAborted();
  try {
    return await work();
  } catch (error) {
    if (signal?.aborted === true) throw error;
    // Gone meanwhile (another process rotating the same folder): nothing left to do for this file.
    if (errorCode(error) === 'ENOENT' || (error instanceof SessionLogError && error.problem === 'not-found')) return undefined;
    report.failed.push({ path, message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}
