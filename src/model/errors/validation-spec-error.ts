// A user's schema or rules file cannot be used: unreadable, malformed, unsafe, or naming what the data does not have.
// The message names the file and, where there is one, the line, the rule and the column.
import { CsHelperError } from './cs-helper-error.js';

export type ValidationSpecProblem = 'not-found' | 'too-large' | 'malformed' | 'unsafe' | 'invalid' | 'unknown-column' | 'bad-pattern' | 'timeout';

export interface ValidationSpecErrorOptions {
  readonly hint?: string;
  readonly line?: number;
  /** The rule (validation.rules) or the schema path (`/properties/port`) the problem is in. */
  readonly rule?: string;
  readonly column?: string;
  readonly cause?: unknown;
}

export class ValidationSpecError extends CsHelperError {
  override readonly name = 'ValidationSpecError';
  readonly file: string;
  readonly problem: ValidationSpecProblem;
  readonly line: number | undefined;
  readonly rule: string | undefined;
  readonly column: string | undefined;

  constructor(file: string, problem: ValidationSpecProblem, detail: string, options: ValidationSpecErrorOptions = {}) {
    const where = options.line === undefined ? file : `${file}:${options.line}`;
    const rule = options.rule === undefined ? '' : ` ${options.rule}:`;
    super(`validation-spec-${problem}`, `${where}:${rule} ${detail}`, { hint: options.hint ?? defaultHint(problem), cause: options.cause });
    this.file = file;
    this.problem = problem;
    this.line = options.line;
    this.rule = options.rule;
    this.column = options.column;
  }
}

function defaultHint(problem: ValidationSpecProblem): string {
  switch (problem) {
    case 'not-found':
      return 'check the path; relative paths are read from the folder the plan was made in';
    case 'too-large':
      return 'a schema or rules file is a few kilobytes; split it, or check that the right file is named';
    case 'malformed':
      return 'fix the file at the place named (JSON, or YAML without custom tags)';
    case 'unsafe':
      return 'write the file as plain data: no custom tags, few aliases, moderate nesting';
    case 'invalid':
      return 'see docs/validation.md for the file formats and an example of each';
    case 'unknown-column':
      return 'use a column of the data (see the import step) or fix the spelling';
    case 'bad-pattern':
      return 'patterns use RE2 syntax (no look-around, no back-references) and at most 1,000 characters';
    case 'timeout':
      return 'simplify the pattern, or raise the rule time limit if the data is that large';
  }
}
