// Runs the built cs-helper binary (dist/bundle/cs-helper.js, the package's bin) as a user would, and returns its exit
// code and output.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI_PATH = join(REPO_ROOT, 'dist', 'bundle', 'cs-helper.js');
/** The CLI before bundling: its modules as tsc wrote them, for tests of which modules a command loads. */
export const UNBUNDLED_CLI_PATH = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  /** Added to the environment (NO_COLOR is always set, so output is plain text). */
  readonly env?: Readonly<Record<string, string>>;
  readonly maxBuffer?: number;
}

/** Exit code 0 with the output, or the failing code with whatever was printed; never throws for a non-zero exit. */
export async function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
