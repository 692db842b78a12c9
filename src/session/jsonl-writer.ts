// Appends JSON lines to a file through a small in-memory buffer, flushed at least every 100 ms and on close, fsynced at the end.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JsonlWriterOptions {
  /** Longest time an event may sit in memory before it is written. */
  readonly flushIntervalMs?: number;
  /** Buffer size that triggers an immediate write. */
  readonly maxBufferBytes?: number;
}

/**
 * Synchronous writes on purpose: an event handed to `write` reaches the OS within the flush interval even if the
 * process then dies (the OS keeps what was written when a process is killed), and exit handlers can flush without awaiting.
 */
export class JsonlWriter {
  readonly path: string;
  #fd: number | null;
  #buffer: string[] = [];
  #bufferBytes = 0;
  readonly #maxBufferBytes: number;
  readonly #timer: NodeJS.Timeout;

  constructor(path: string, options: JsonlWriterOptions = {}) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'a', 0o600);
    this.#maxBufferBytes = options.maxBufferBytes ?? 64 * 1024;
    this.#timer = setInterval(() => {
      this.flush();
    }, options.flushIntervalMs ?? 100);
    // The timer must never keep a finished program alive.
    this.#timer.unref();
  }

  write(line: string): void {
    if (this.#fd === null) return;
    this.#buffer.push(line, '\n');
    this.#bufferBytes += line.length + 1;
    if (this.#bufferBytes >= this.#maxBufferBytes) this.flush();
  }

  flush(): void {
    if (this.#fd === null || this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    this.#bufferBytes = 0;
    writeSync(this.#fd, text);
  }

  close(): void {
    if (this.#fd === null) return;
    clearInterval(this.#timer);
    this.flush();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = null;
  }

  get closed(): boolean {
    return this.#fd === null;
  }
}
