// What belongs to one client connection: its session log, and the runs it started. When the client goes away its runs
// are cancelled and awaited, so their last events reach the session log before it is compiled.
import type { SessionLogger } from '../session/session-logger.js';

export class ConnectionScope {
  readonly session: SessionLogger;
  readonly #controller = new AbortController();
  readonly #running = new Set<Promise<unknown>>();

  constructor(session: SessionLogger) {
    this.session = session;
  }

  /** Aborted when the connection closes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = (): void => {
      this.#running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** Cancels what still runs and waits until it has stopped (runs stop at the engine's next interruption point). */
  async drain(): Promise<void> {
    this.#controller.abort();
    await Promise.allSettled([...this.#running]);
  }
}
