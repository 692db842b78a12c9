// A session log file cannot be read as one: missing, unreadable, too large, or not in the session log format.
import { CsHelperError } from './cs-helper-error.js';

export type SessionLogProblem = 'not-found' | 'unreadable' | 'too-large' | 'invalid' | 'not-a-session-file' | 'empty';

export class SessionLogError extends CsHelperError {
  override readonly name = 'SessionLogError';
  readonly file: string;
  readonly problem: SessionLogProblem;

  constructor(file: string, problem: SessionLogProblem, detail: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`session-log-${problem}`, `${file}: ${detail}`, { hint: options.hint ?? defaultHint(problem), cause: options.cause });
    this.file = file;
    this.problem = problem;
  }
}

function defaultHint(problem: SessionLogProblem): string {
  switch (problem) {
    case 'not-found':
      return 'the session may have been removed by log rotation; run `cs-helper sessions list`';
    case 'unreadable':
      return 'check the file permissions of the session log folder';
    case 'too-large':
      return 'a session log this large was not written by CS Helper; inspect it by hand';
    case 'invalid':
      return 'the file was changed or damaged after CS Helper wrote it; inspect it by hand';
    case 'not-a-session-file':
      return 'session logs are named <session_name>_<session_id>.jsonl, .json, .json.gz or .jsonl.gz';
    case 'empty':
      return 'the session wrote nothing before it stopped; there is nothing to show';
  }
}
