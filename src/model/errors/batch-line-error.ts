// One line of a batch file cannot be run as written: not JSON, not the expected object, a folder clash. The line is
// reported and skipped; the other lines still run.
import { CsHelperError } from './cs-helper-error.js';

export type BatchLineProblem = 'too-long' | 'not-json' | 'invalid' | 'duplicate' | 'outside-output-dir';

export class BatchLineError extends CsHelperError {
  override readonly name = 'BatchLineError';
  readonly line: number;
  readonly problem: BatchLineProblem;
  /** The message without its line number, for displays that show the line beside it. */
  readonly detail: string;

  constructor(line: number, problem: BatchLineProblem, detail: string, hint: string) {
    super(`batch-line-${problem}`, `line ${line}: ${detail}`, { hint });
    this.line = line;
    this.problem = problem;
    this.detail = detail;
  }
}
