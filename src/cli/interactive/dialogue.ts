// One turn at a time: asks through the line reader, and records every user input as a `question` and every response as
// an `answer` in the session, with context `interactive_mode`; errors are shown as `error:` / `hint:` and logged.
import { isCsHelperError } from '../../model/errors/cs-helper-error.js';
import { UsageError } from '../../model/errors/usage-error.js';
import type { SessionLog } from '../../session/session-log.js';
import type { Printer } from '../output-stream.js';
import { MAX_ANSWER_CHARS, type LineReader } from './line-reader.js';

export const INTERACTIVE_CONTEXT = 'interactive_mode';

/** What a user input was, as recorded in the session's `input_type`. */
export type InputType = 'menu_selection' | 'problem' | 'file_list' | 'outputs' | 'confirmation';

/** What a response was, as recorded in the answer's `input_type` (it says which kind of response, for reading logs back). */
export type ResponseType = 'welcome' | 'help' | 'components' | 'sessions' | 'files' | 'plan' | 'not_run' | 'run_summary' | 'results' | 'follow_up' | 'error' | 'goodbye';

export class Dialogue {
  readonly #reader: LineReader;
  readonly #out: Printer;
  readonly #log: SessionLog;
  readonly #debug: boolean;

  constructor(reader: LineReader, out: Printer, log: SessionLog, options: { debug: boolean }) {
    this.#reader = reader;
    this.#out = out;
    this.#log = log;
    this.#debug = options.debug;
  }

  /**
   * Asks until an answer of acceptable length comes; null at the end of input or on Ctrl-C. The answer is logged, typed
   * by `inputType` (a function when the type depends on the answer, as at the first prompt: a command or a problem).
   */
  async ask(prompt: string, inputType: InputType | ((answer: string) => InputType)): Promise<string | null> {
    for (;;) {
      const raw = await this.#reader.ask(prompt);
      if (raw === null) return null;
      const answer = raw.trim();
      if (answer.length > MAX_ANSWER_CHARS) {
        // The text itself is not logged: an over-long line is usually a paste gone wrong, and could be megabytes.
        this.#log.logInteraction('question', `${answer.slice(0, 200)}...`, INTERACTIVE_CONTEXT, { prompt, length: answer.length, truncated: true }, typeof inputType === 'string' ? inputType : inputType(answer));
        this.fail(new UsageError(`that answer is ${answer.length} characters long; the limit is ${MAX_ANSWER_CHARS}`, 'type a shorter answer'));
        continue;
      }
      this.#log.logInteraction('question', answer, INTERACTIVE_CONTEXT, { prompt }, typeof inputType === 'string' ? inputType : inputType(answer));
      return answer;
    }
  }

  /** Records a response that was printed (or is about to be). */
  answer(text: string, responseType: ResponseType, metadata: Record<string, unknown> = {}): void {
    this.#log.logInteraction('answer', text, INTERACTIVE_CONTEXT, metadata, responseType);
  }

  /** Shows an error as `error:` / `hint:` on stderr, logs it, and lets the dialogue go on. */
  fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const known = isCsHelperError(error);
    const hint = known ? error.hint : 'this is a bug in CS Helper; rerun with --debug for the stack trace and report it';
    this.#out.note(`error: ${message}`);
    if (hint !== undefined) this.#out.note(`hint: ${hint}`);
    if (this.#debug && !known && error instanceof Error && error.stack !== undefined) this.#out.note(error.stack);
    this.#log.logError(known ? 'interactive-input' : 'interactive-internal', message, {}, error);
    this.answer(`error: ${message}`, 'error', { code: known ? error.code : 'internal', ...(hint === undefined ? {} : { hint }) });
  }
}
