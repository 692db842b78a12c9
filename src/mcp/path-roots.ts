// The folders an MCP client may touch (`--root`, default the working directory). Every path from a request is resolved
// against the first root and then through realpath, so `..`, symbolic links and absolute paths that lead outside are
// refused whatever their spelling.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../model/errors/usage-error.js';
import { PathOutsideRootsError } from './path-outside-roots-error.js';

/** Longest path a request may name: far above any real path, low enough to bound the work. */
const MAX_PATH_LENGTH = 4096;

export class PathRoots {
  readonly roots: readonly string[];

  private constructor(roots: readonly string[]) {
    this.roots = roots;
  }

  /** Each root must exist and be a folder; it is kept as its real path so later comparisons see through links. */
  static async open(dirs: readonly string[]): Promise<PathRoots> {
    const wanted = dirs.length === 0 ? [process.cwd()] : dirs;
    const roots: string[] = [];
    for (const dir of wanted) {
      try {
        roots.push(await realpath(resolve(dir)));
      } catch {
        throw new UsageError(`--root ${dir}: no such folder`, 'name an existing folder the MCP client may read and write');
      }
    }
    return new PathRoots([...new Set(roots)]);
  }

  /** The first root: relative paths in requests are read from here. */
  get base(): string {
    return this.roots[0] ?? process.cwd();
  }

  /**
   * The real path of `path` when it lies inside a root. A path that does not exist yet (an output folder) is checked
   * through its nearest existing ancestor, so a link higher up cannot smuggle it out.
   */
  async confine(path: string, baseDir: string = this.base): Promise<string> {
    if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH || path.includes('\0')) {
      throw new UsageError(`invalid path '${path.slice(0, 80)}'`, 'give a file path of at most 4096 characters');
    }
    const absolute = isAbsolute(path) ? resolve(path) : resolve(baseDir, path);
    const real = await realpathOfNearest(absolute);
    if (!this.contains(real)) throw new PathOutsideRootsError(path, this.roots);
    return real;
  }

  contains(realPath: string): boolean {
    return this.roots.some((root) => {
      const rel = relative(root, realPath);
      return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
    });
  }
}

async function realpathOfNearest(absolute: string): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : join(real, ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return absolute;
      missing.push(basename(current));
      current = parent;
    }
  }
}
