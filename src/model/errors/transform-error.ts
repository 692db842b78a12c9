// A transformation cannot be done as asked: an expression that does not parse or is not allowed, a column the data
// does not have, a time zone the engine does not know. The message names the parameter and, in an expression, the
// character position.
import { CsHelperError } from './cs-helper-error.js';

export type TransformProblem = 'syntax' | 'not-allowed' | 'too-complex' | 'unknown-column' | 'unknown-function' | 'bad-argument' | 'bad-name' | 'bad-time-zone';

const HINTS: Readonly<Record<TransformProblem, string>> = {
  syntax: "write expressions like `bytes_sent + bytes_received`, `lower(domain)`, `status >= 400 and method == 'POST'`; text goes in single quotes, odd column names in double quotes",
  'not-allowed': 'an expression is one value or condition: no statements, comments or semicolons',
  'too-complex': 'split the expression into derived columns, or simplify it',
  'unknown-column': 'check the column names of the input (cs-helper explain lists them)',
  'unknown-function': 'the functions are: lower, upper, trim, length, substr, replace, concat, starts_with, ends_with, contains, matches, coalesce, abs, round, floor, ceil, ln, sqrt, least, greatest, number, text, date, hour, year, month, day, epoch',
  'bad-argument': 'check the number and kind of the function arguments',
  'bad-name': 'column names are 1-128 characters, unique in the output',
  'bad-time-zone': "use an IANA zone name such as 'UTC' or 'Europe/Berlin'",
};

export class TransformError extends CsHelperError {
  override readonly name = 'TransformError';
  readonly problem: TransformProblem;
  /** The parameter the problem is in: `filter`, `derive[2].expression`, `select`, `rename`, `dedupe`, `normalise_time`. */
  readonly parameter: string;
  readonly column: string | undefined;

  constructor(parameter: string, problem: TransformProblem, detail: string, options: { readonly column?: string; readonly hint?: string } = {}) {
    super(`transform-${problem}`, `processing.transform ${parameter}: ${detail}`, { hint: options.hint ?? HINTS[problem] });
    this.problem = problem;
    this.parameter = parameter;
    this.column = options.column;
  }
}
