// The state folder ($CS_HELPER_HOME, default ~/.cs-helper) cannot be created, written or opened as CS Helper's database.
import { CsHelperError } from './cs-helper-error.js';

export type StateDirProblem = 'unwritable' | 'not-a-folder' | 'database';

export class StateDirError extends CsHelperError {
  override readonly name = 'StateDirError';
  readonly dir: string;
  readonly problem: StateDirProblem;

  constructor(dir: string, problem: StateDirProblem, detail: string, options: { cause?: unknown } = {}) {
    super(`state-dir-${problem}`, `cannot use the state folder ${dir}: ${detail}`, {
      hint:
        problem === 'database'
          ? 'the state database may be damaged: move the folder aside (it holds only caches and run statistics) or set CS_HELPER_HOME to another folder'
          : 'set CS_HELPER_HOME to a folder you can write (it holds the pattern and result caches and run statistics)',
      cause: options.cause,
    });
    this.dir = dir;
    this.problem = problem;
  }
}
