// Reads answers line by line from a terminal or a pipe: prints the prompt, returns the next line, or null at the end of
// input (Ctrl-D, a closed pipe) or on Ctrl-C at a prompt.
//
// Built on node:readline rather than a prompt library: `rl.question()` loses the lines a pipe delivers between two
// questions and throws ERR_USE_AFTER_CLOSE once the pipe has ended (Node 20.20), and TTY prompt libraries
// (@clack/prompts) read keypresses in raw mode; so every line is queued here as it arrives and handed out in order.
// In a terminal readline keeps line editing and history; Ctrl-C arrives as readline's 'SIGINT' (the terminal is in raw
// mode), which ends the session at a prompt and is passed to `onInterrupt` while work runs.
import { createInterface, type Interface } from 'node:readline';

/** Longest answer accepted: a problem statement or a list of paths never needs more. */
export const MAX_ANSWER_CHARS = 10_000;

/** Lines queued before the input is paused: a large paste or pipe waits in the stream, not in this queue. */
const HIGH_WATER_LINES = 256;

export interface LineReaderOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
}

export class LineReader {
  readonly #rl: Interface;
  readonly #output: NodeJS.WritableStream;
  /** A terminal shows what is typed; piped answers are echoed after the prompt so the transcript reads as a dialogue. */
  readonly terminal: boolean;
  readonly #queue: string[] = [];
  #waiting: ((line: string | null) => void) | null = null;
  #ended = false;
  #interruptHandler: (() => void) | null = null;
  /** Whether the last null answer came from Ctrl-C rather than the end of input. */
  interrupted = false;

  constructor(options: LineReaderOptions) {
    this.terminal = options.input.isTTY === true && options.output.isTTY === true;
    this.#output = options.output;
    this.#rl = createInterface({ input: options.input, output: options.output, terminal: this.terminal, historySize: this.terminal ? 100 : 0 });
    this.#rl.on('line', (line) => {
      this.#deliver(line);
    });
    this.#rl.on('close', () => {
      this.#ended = true;
      this.#settle(null);
    });
    this.#rl.on('SIGINT', () => {
      this.#interrupt();
    });
  }

  /** True once the input has ended and every queued line was read. */
  get ended(): boolean {
    return this.#ended && this.#queue.length === 0;
  }

  /** Prints the prompt and waits for the next line; null when the input ended or the user pressed Ctrl-C. */
  async ask(prompt: string): Promise<string | null> {
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      if (this.#queue.length < HIGH_WATER_LINES && !this.#ended) this.#rl.resume();
      this.#output.write(`${prompt}${queued}\n`);
      return queued;
    }
    if (this.#ended) {
      this.#output.write(`${prompt}\n`);
      return null;
    }
    this.#rl.setPrompt(prompt);
    this.#rl.prompt();
    // Without a terminal Ctrl-C is a real signal: at a prompt it ends the session cleanly instead of killing it.
    const onSignal = (): void => {
      this.#interrupt();
    };
    if (!this.terminal) process.on('SIGINT', onSignal);
    try {
      const line = await new Promise<string | null>((resolve) => {
        this.#waiting = resolve;
      });
      if (line !== null && !this.terminal) this.#output.write(`${line}\n`);
      if (line === null) this.#output.write('\n');
      return line;
    } finally {
      process.removeListener('SIGINT', onSignal);
    }
  }

  /** While work runs, Ctrl-C in a terminal goes to this handler (a run's cancel); null restores ending the session. */
  onInterrupt(handler: (() => void) | null): void {
    this.#interruptHandler = handler;
  }

  close(): void {
    this.#rl.close();
  }

  #deliver(line: string): void {
    if (this.#waiting !== null) {
      this.#settle(line);
      return;
    }
    this.#queue.push(line);
    if (this.#queue.length >= HIGH_WATER_LINES) this.#rl.pause();
  }

  #settle(line: string | null): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.(line);
  }

  #interrupt(): void {
    if (this.#waiting !== null) {
      this.interrupted = true;
      this.#settle(null);
      return;
    }
    this.#interruptHandler?.();
  }
}
