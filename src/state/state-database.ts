// The one embedded database of the state folder (SQLite through better-sqlite3): WAL so readers never wait for a
// writer, a busy timeout so two commands writing at once queue instead of failing, migrations under a write lock.
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StateDirError } from '../model/errors/state-dir-error.js';
import { ensureStateHome, stateHomePath } from './state-home.js';
import { MIGRATIONS } from './state-schema.js';

export const STATE_DB_FILE = 'state.db';

/** How long a write waits for another process's write to finish before it fails (they take milliseconds). */
const BUSY_TIMEOUT_MS = 10_000;

export interface StateDatabaseOptions {
  /** The state folder; defaults to $CS_HELPER_HOME or ~/.cs-helper. */
  readonly home?: string;
  /** Opens an existing database for reading only, creating nothing (`cs-helper metrics`). */
  readonly readonly?: boolean;
}

export class StateDatabase {
  readonly home: string;
  readonly db: Database.Database;
  #closed = false;
  readonly #beforeClose: (() => void)[] = [];

  private constructor(home: string, db: Database.Database) {
    this.home = home;
    this.db = db;
  }

  /** Opens (creating the folder and the tables when needed) the state database; a bad folder is a StateDirError. */
  static open(options: StateDatabaseOptions = {}): StateDatabase {
    const home = options.home ?? stateHomePath();
    if (options.readonly !== true) ensureStateHome(home);
    const path = join(home, STATE_DB_FILE);
    let db: Database.Database;
    try {
      // Owner-only, as the folder is: it holds plans and problem texts. SQLite gives its -wal and -shm files the
      // database file's mode, so creating it first is enough (SQLite itself would create it 0644 under a usual umask).
      if (options.readonly !== true && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new StateDirError(home, options.readonly === true ? 'database' : 'unwritable', `cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (options.readonly !== true) {
        // WAL is a property of the file: set once, every later connection (any process) uses it.
        db.pragma('journal_mode = WAL');
        // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commits, which are only caches.
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        migrate(db);
      }
    } catch (error) {
      db.close();
      throw new StateDirError(home, 'database', `${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return new StateDatabase(home, db);
  }

  /** Whether a state database exists (for readers that must not create one). */
  static exists(home: string = stateHomePath()): boolean {
    return existsSync(join(home, STATE_DB_FILE));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `work` in a write transaction taken at once (BEGIN IMMEDIATE): two processes never both read and then
   * both try to upgrade to a write, which SQLite would refuse to one of them.
   */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Work to do just before the database closes (flushing batched counters). */
  onClose(flush: () => void): void {
    this.#beforeClose.push(flush);
  }

  close(): void {
    if (this.#closed) return;
    for (const flush of this.#beforeClose) {
      try {
        flush();
      } catch {
        // A flush that fails (disk full) loses statistics, never the command's own result.
      }
    }
    this.#closed = true;
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = (): number => Number(db.pragma('user_version', { simple: true }));
  if (version() >= MIGRATIONS.length) return;
  // Two processes opening a new database at once: the second waits for the lock, then finds the work done.
  db.transaction(() => {
    for (let index = version(); index < MIGRATIONS.length; index += 1) {
      db.exec(MIGRATIONS[index] ?? '');
      db.pragma(`user_version = ${index + 1}`);
    }
  }).immediate();
}
