// A user's input file is missing, unreadable or malformed: the message names the file and, when known, the line.
import { CsHelperError } from './cs-helper-error.js';

export type InputFileProblem = 'not-found' | 'unreadable' | 'empty' | 'malformed' | 'too-large' | 'unsupported';

export class InputFileError extends CsHelperError {
  override readonly name = 'InputFileError';
  readonly file: string;
  readonly problem: InputFileProblem;
  readonly line: number | undefined;
  /**
   * Whether the hint is the default for its problem rather than advice from where the error was raised: a door that
   * knows better may restate it (over MCP, relative paths start at the first root, not the current directory).
   */
  readonly hintIsDefault: boolean;

  constructor(file: string, problem: InputFileProblem, detail: string, options: { hint?: string; line?: number; cause?: unknown } = {}) {
    const where = options.line === undefined ? file : `${file}:${options.line}`;
    super(`input-file-${problem}`, `${where}: ${detail}`, {
      hint: options.hint ?? defaultHint(problem),
      cause: options.cause,
    });
    this.file = file;
    this.problem = problem;
    this.line = options.line;
    this.hintIsDefault = options.hint === undefined;
  }
}

function defaultHint(problem: InputFileProblem): string {
  switch (problem) {
    case 'not-found':
      return 'check the path; relative paths are read from the current directory';
    case 'unreadable':
      return 'check the file permissions';
    case 'empty':
      return 'the file has no data rows; export it again from its source';
    case 'malformed':
      return 'fix the file at the place named, or export it again from its source';
    case 'too-large':
      return 'split the file, or raise the limit if you trust it';
    case 'unsupported':
      return 'CS Helper reads CSV/TSV and JSON (array or JSON Lines) in this version';
  }
}
