// Commands load only what they use: those that never touch data start without DuckDB's native library (the largest
// single cost of starting), those that never plan without the planner (only the named command's module is imported),
// and a command that runs a workflow loads both.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, UNBUNDLED_CLI_PATH } from '../helpers/run-cli.js';

const exec = promisify(execFile);
const HOOK = resolve(import.meta.dirname, '..', 'fixtures', 'cli', 'report-module-loads.mjs');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-lazy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI before bundling, whose module names the hook can tell apart (the bundle's chunks are named by hash). */
async function run(args: string[], cli = UNBUNDLED_CLI_PATH): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, ['--import', HOOK, cli, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CS_HELPER_HOME: join(dir, 'home') } });
}

describe('the engine is loaded only when needed', () => {
  it('--version, --help and `attack show` start without DuckDB, bundled (the package\'s bin) or not', async () => {
    for (const cli of [CLI_PATH, UNBUNDLED_CLI_PATH]) {
      for (const args of [['--version'], ['--help'], ['attack', 'show', 'T1059.001']]) {
        const { stdout, stderr } = await run(args, cli);
        expect(stdout.length).toBeGreaterThan(0);
        expect(stderr).not.toContain('duckdb-loaded');
      }
    }
  });

  it('--version, --help, `attack show`, `sessions list` and `metrics` start without the planner', async () => {
    for (const args of [['--version'], ['--help'], ['attack', 'show', 'T1059.001'], ['--log-dir', join(dir, 'logs'), 'sessions', 'list'], ['metrics']]) {
      const { stdout, stderr } = await run(args);
      expect(stdout.length).toBeGreaterThan(0);
      expect(stderr).not.toContain('planner-loaded');
    }
  });

  it('--help prints, from the command summaries alone, the overview commander prints with every command loaded', async () => {
    // `help` with no command imports every command's module and registers it for real.
    // The program's --help before a command is the program's help too, with every command listed.
    const [overview, loaded, beforeCommand] = await Promise.all([run(['--help']), run(['help']), run(['--help', 'sessions'])]);
    expect(overview.stderr).not.toContain('command-loaded');
    expect(beforeCommand.stderr).not.toContain('command-loaded');
    expect(loaded.stderr).toContain('command-loaded');
    expect(overview.stdout).toContain('dynamic-workflow [options] <problem>');
    expect(overview.stdout).toContain('interactive [options]');
    expect(overview.stdout).toBe(loaded.stdout);
    expect(beforeCommand.stdout).toBe(loaded.stdout);
  });

  it('`help <command>` loads that command alone and prints its own help', async () => {
    const [viaHelp, direct] = await Promise.all([run(['help', 'sessions']), run(['sessions', '--help'])]);
    expect(viaHelp.stderr.split('\n').filter((line) => line.startsWith('command-loaded'))).toEqual(['command-loaded: ./commands/sessions.js']);
    expect(viaHelp.stdout).toContain('Usage: cs-helper sessions');
    expect(viaHelp.stdout).toBe(direct.stdout);
  });

  it('a workflow run loads both', async () => {
    const { stderr } = await run(['dynamic-workflow', 'Show statistics for this CSV', '--input-files', join(REPO_ROOT, 'examples', 'threat_data.csv'), '--outputs', 'findings', '--output-dir', join(dir, 'out'), '--log-dir', join(dir, 'logs'), '--execute', '--no-cache']);
    expect(stderr).toContain('duckdb-loaded: @duckdb/node-api');
    expect(stderr).toContain('planner-loaded');
  });
});
