// An MCP request named a path outside the roots the server was started with (`--root`): refused before anything is read.
import { CsHelperError } from '../model/errors/cs-helper-error.js';

export class PathOutsideRootsError extends CsHelperError {
  override readonly name = 'PathOutsideRootsError';
  readonly path: string;

  constructor(path: string, roots: readonly string[]) {
    super('path-outside-roots', `${path}: is outside the folders this server may read and write`, {
      hint: `use a path inside ${roots.join(' or ')} (relative paths are read from ${roots[0] ?? 'the first root'}); links and .. that lead outside are refused too`,
    });
    this.path = path;
  }
}
