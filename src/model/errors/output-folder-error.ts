// An output folder cannot be used as one: the path (or a folder above it) is a file, or a plan's own `output_dir`
// would leave the folder it may write in. Found before any work, not after the analysis at the first export.
import { CsHelperError } from './cs-helper-error.js';

export type OutputFolderProblem = 'not-a-folder' | 'outside-working-folder';

export class OutputFolderError extends CsHelperError {
  override readonly name = 'OutputFolderError';
  /** The folder as the user or the plan named it. */
  readonly folder: string;
  readonly problem: OutputFolderProblem;

  constructor(folder: string, problem: OutputFolderProblem, message: string, hint: string) {
    super(`output-folder-${problem}`, message, { hint });
    this.folder = folder;
    this.problem = problem;
  }
}
