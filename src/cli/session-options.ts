// Opens the session log for a command, from --log-dir / CS_HELPER_LOG_DIR and --debug / CS_HELPER_DEBUG.
import { resolve } from 'node:path';
import { CsHelperError } from '../model/errors/cs-helper-error.js';
import { SessionLogger } from '../session/session-logger.js';

export interface GlobalOptions {
  readonly logDir?: string;
  readonly debug?: boolean;
  readonly sessionName?: string;
}

export function isDebug(options: GlobalOptions): boolean {
  return options.debug === true || process.env['CS_HELPER_DEBUG'] === '1';
}

/** A log folder that cannot be written is reported before any work starts. */
export function startSession(options: GlobalOptions): SessionLogger {
  const logDir = resolve(options.logDir ?? process.env['CS_HELPER_LOG_DIR'] ?? 'session-logs');
  try {
    return SessionLogger.start({ logDir, debug: isDebug(options), argv: process.argv.slice(2), ...(options.sessionName === undefined ? {} : { sessionName: options.sessionName }) });
  } catch (error) {
    throw new CsHelperError('log-dir-unwritable', `cannot write the session log in ${logDir}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'choose another folder with --log-dir or CS_HELPER_LOG_DIR',
      cause: error,
    });
  }
}
