// Drives the built cs-helper binary through its stdin as a pipe: either every answer at once (as `printf ... | cs-helper`
// does), or one answer each time a prompt appears (as a person would), collecting stdout and stderr.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI_PATH } from './run-cli.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = CLI_PATH;

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  /** Fails the test instead of hanging when the program never ends. */
  readonly timeoutMs?: number;
  /**
   * Runs the program in a pseudo-terminal made by util-linux `script` (stdin, stdout and stderr are then a TTY, as for a
   * person at a terminal); keys are sent as typed: end a line with '\r', Ctrl-C is '\x03'.
   */
  readonly terminal?: boolean;
}

/** Whether `script` can make a pseudo-terminal here. */
export const HAS_SCRIPT = existsSync('/usr/bin/script');

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

export class Conversation {
  readonly #child: ChildProcessWithoutNullStreams;
  #stdout = '';
  #stderr = '';
  /** Where the next `waitFor` starts looking: each prompt is awaited once. */
  #seen = 0;
  readonly #finished: Promise<Finished>;
  #waiter: (() => void) | null = null;

  constructor(args: readonly string[], options: CliOptions) {
    const env = { ...process.env, NO_COLOR: '1', ...options.env };
    this.#child =
      options.terminal === true
        ? spawn('/usr/bin/script', ['-qec', [process.execPath, CLI, ...args].map(shellQuote).join(' '), '/dev/null'], { cwd: options.cwd, env, stdio: 'pipe' })
        : spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: 'pipe' });
    // A program that ends before reading every answer closes the pipe: that is a finding of the test, not a crash of it.
    this.#child.stdin.on('error', () => undefined);
    this.#child.stdout.setEncoding('utf8');
    this.#child.stderr.setEncoding('utf8');
    this.#child.stdout.on('data', (chunk: string) => {
      this.#stdout += chunk;
      this.#waiter?.();
    });
    this.#child.stderr.on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? 45_000;
    this.#finished = new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.#child.kill('SIGKILL');
        reject(new Error(`cs-helper did not end within ${timeoutMs} ms\nstdout:\n${this.#stdout}\nstderr:\n${this.#stderr}`));
      }, timeoutMs);
      this.#child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.#waiter?.();
        resolvePromise({ code, signal, stdout: this.#stdout, stderr: this.#stderr });
      });
    });
  }

  get stdout(): string {
    return this.#stdout;
  }

  /** Waits until stdout shows `text` after what earlier waits consumed. */
  async waitFor(text: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.#stdout.indexOf(text, this.#seen);
      if (at >= 0) {
        this.#seen = at + text.length;
        return;
      }
      if (this.#child.exitCode !== null || Date.now() > deadline) throw new Error(`no '${text}' in stdout:\n${this.#stdout}\nstderr:\n${this.#stderr}`);
      await new Promise<void>((resolveWait) => {
        const timer = setTimeout(resolveWait, 200);
        this.#waiter = () => {
          clearTimeout(timer);
          resolveWait();
        };
      });
      this.#waiter = null;
    }
  }

  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** Writes keys as they are, without a newline (for a pseudo-terminal: '\r' ends a line, '\x03' is Ctrl-C). */
  type(keys: string): void {
    this.#child.stdin.write(keys);
  }

  /** Closes stdin: the end of input, as Ctrl-D in a terminal. */
  end(): void {
    this.#child.stdin.end();
  }

  finished(): Promise<Finished> {
    return this.#finished;
  }
}

/** Every answer written at once and stdin closed: the program must take them in order from the pipe. */
export function pipeAnswers(args: readonly string[], answers: readonly string[], options: CliOptions): Promise<Finished> {
  const conversation = new Conversation(args, options);
  for (const answer of answers) conversation.send(answer);
  conversation.end();
  return conversation.finished();
}
