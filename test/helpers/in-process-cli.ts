// Commands run in process, registered as main.ts registers them, with stdout and stderr captured: for tests that need
// the command's own state (a run journal written beside it) without spawning the built binary.
import { afterEach, beforeEach, vi } from 'vitest';
import { COMMANDS } from '../../src/cli/command-modules.js';
import { createProgram } from '../../src/cli/program.js';
import { lazyRegistry } from '../../src/cli/registry-loader.js';

export interface CapturedOutput {
  stdout: string;
  stderr: string;
}

/** Captures process.stdout and process.stderr for each test of the file; the returned object holds what was written. */
export function captureOutput(): CapturedOutput {
  const output: CapturedOutput = { stdout: '', stderr: '' };
  beforeEach(() => {
    output.stdout = '';
    output.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.stderr += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return output;
}

/**
 * Runs `cs-helper <args>` in process with the named commands registered; a CsHelperError comes back as a rejection
 * (main.ts maps one with code `usage` to exit 2, any other to exit 1).
 */
export async function runInProcess(output: CapturedOutput, commands: readonly string[], args: readonly string[]): Promise<void> {
  const program = createProgram().configureOutput({ writeOut: (s) => (output.stdout += s), writeErr: (s) => (output.stderr += s) });
  for (const name of commands) {
    const load = COMMANDS.get(name);
    if (load !== undefined) (await load())(program, lazyRegistry());
  }
  await program.parseAsync(['node', 'cs-helper', ...args]);
}
