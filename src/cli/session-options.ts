// Opens the session log for a command, from --log-dir / CS_HELPER_LOG_DIR and --debug / CS_HELPER_DEBUG.
import { resolve } from 'node:path';
import { CsHelperError } from '../model/errors/cs-helper-error.js';
import { positiveEnv } from './positive-env.js';
import { DEFAULT_COMPRESS_AFTER_MS, DEFAULT_MAX_SESSIONS, rotateSessionLogs } from '../session/rotate-sessions.js';
import { SessionLogger } from '../session/session-logger.js';

export interface GlobalOptions {
  readonly logDir?: string;
  readonly debug?: boolean;
  readonly sessionName?: string;
}

export function isDebug(options: GlobalOptions): boolean {
  return options.debug === true || process.env['CS_HELPER_DEBUG'] === '1';
}

/** The session log folder: --log-dir, else $CS_HELPER_LOG_DIR, else ./session-logs. */
export function resolveLogDir(options: GlobalOptions): string {
  return resolve(options.logDir ?? process.env['CS_HELPER_LOG_DIR'] ?? 'session-logs');
}

/**
 * Opens the session: a log folder that cannot be written is reported before any work starts. Then old sessions are
 * rotated (at most CS_HELPER_LOG_MAX_FILES sessions, a whole number, 200 by default; finished ones gzipped after
 * CS_HELPER_LOG_COMPRESS_AFTER_HOURS, fractions allowed, 24 by default). A limit ignored and what rotation did are the
 * session's first notes.
 */
export async function startSession(options: GlobalOptions): Promise<SessionLogger> {
  const logDir = resolveLogDir(options);
  let session: SessionLogger;
  try {
    session = SessionLogger.start({ logDir, debug: isDebug(options), argv: process.argv.slice(2), ...(options.sessionName === undefined ? {} : { sessionName: options.sessionName }) });
  } catch (error) {
    throw new CsHelperError('log-dir-unwritable', `cannot write the session log in ${logDir}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'choose another folder with --log-dir or CS_HELPER_LOG_DIR',
      cause: error,
    });
  }
  // An unusable limit (`1.5` sessions, `0`, `abc`) falls back to its default with a warning, on stderr and in the session.
  const ignored: string[] = [];
  const warn = (line: string): void => {
    ignored.push(line);
    process.stderr.write(`${line}\n`);
  };
  const limits = rotationLimitsFromEnv(warn);
  for (const line of ignored) session.logWarning('environment', line);
  const report = await rotateSessionLogs(logDir, { keepIds: [session.sessionId], ...limits }).catch((error: unknown) => ({
    compiled: [],
    compressed: [],
    removed: [],
    failed: [{ path: logDir, message: error instanceof Error ? error.message : String(error) }],
  }));
  if (report.compiled.length + report.compressed.length + report.removed.length + report.failed.length > 0) {
    session.logInfo('log-rotation', `rotated session logs: ${report.compiled.length} compiled, ${report.compressed.length} compressed, ${report.removed.length} removed`, { ...report });
  }
  return session;
}

/** Ends the session and compiles its log; a compile problem is a note on stderr, never a failure of the command. */
export async function finishSession(session: SessionLogger, status: 'completed' | 'failed' | 'cancelled', summary: Record<string, unknown> = {}): Promise<string> {
  const closed = await session.close(summary, status);
  if (closed.problem !== null) process.stderr.write(`note: the session log stays as a stream (${closed.path}): ${closed.problem}\n`);
  return closed.path;
}

/** The rotation limits of CS_HELPER_LOG_MAX_FILES and CS_HELPER_LOG_COMPRESS_AFTER_HOURS (every process that rotates reads them). */
export function rotationLimitsFromEnv(warn?: (line: string) => void): { maxFiles: number; compressAfterMs: number } {
  const maxFiles = positiveEnv('CS_HELPER_LOG_MAX_FILES', { fallback: DEFAULT_MAX_SESSIONS, whole: true, ...(warn === undefined ? {} : { warn }) });
  const compressAfterHours = positiveEnv('CS_HELPER_LOG_COMPRESS_AFTER_HOURS', { fallback: DEFAULT_COMPRESS_AFTER_MS / 3_600_000, whole: false, ...(warn === undefined ? {} : { warn }) });
  return { maxFiles, compressAfterMs: compressAfterHours * 3_600_000 };
}
