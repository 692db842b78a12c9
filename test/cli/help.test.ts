// The help a user reads, from the program main.ts builds (createProgram + every command module, registered in process):
// examples that are real commands, global options listed under each command, one default per option, and the input
// kinds the importers actually read.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { batchLineSchema } from '../../src/cli/batch/batch-file.js';
import { COMMANDS } from '../../src/cli/command-modules.js';
import { COMMAND_SUMMARIES } from '../../src/cli/command-summaries.js';
import { createProgram } from '../../src/cli/program.js';
import { lazyRegistry } from '../../src/cli/registry-loader.js';

interface Program {
  readonly program: Command;
  /** What commander wrote (help, errors) since the last `take()`. */
  take(): string;
}

/** The program as main.ts builds it with every command, its output kept; `stubActions` makes a parse run nothing. */
async function buildProgram(options: { readonly stubActions?: boolean } = {}): Promise<Program> {
  let written = '';
  const program = createProgram().configureOutput({
    writeOut: (text) => {
      written += text;
    },
    writeErr: (text) => {
      written += text;
    },
  });
  const registry = lazyRegistry();
  for (const load of COMMANDS.values()) (await load())(program, registry);
  if (options.stubActions === true) {
    for (const command of allCommands(program)) command.action(() => undefined);
  }
  return {
    program,
    take: () => {
      const text = written;
      written = '';
      return text;
    },
  };
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

function find(program: Command, path: string): Command {
  let command = program;
  for (const name of path.split(' ')) {
    const next = command.commands.find((c) => c.name() === name);
    if (next === undefined) throw new Error(`no command ${path}`);
    command = next;
  }
  return command;
}

/** The full help of a command, with the text added after the options (commander's outputHelp, not helpInformation). */
function helpOf(built: Program, path: string): string {
  built.take();
  (path === '' ? built.program : find(built.program, path)).outputHelp();
  return built.take();
}

/** The `$ cs-helper ...` lines of a help text, continuation lines joined, trailing `# comments` removed, as words. */
function exampleCommands(help: string): string[][] {
  const joined = help.replace(/ \\\n\s+/g, ' ');
  return joined
    .split('\n')
    .filter((line) => line.startsWith('  $ cs-helper '))
    .map((line) => {
      const words = [...line.slice('  $ cs-helper '.length).matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => ({ word: m[1] ?? m[2] ?? m[3] ?? '', quoted: m[3] === undefined }));
      const comment = words.findIndex((w) => !w.quoted && w.word.startsWith('#'));
      return (comment < 0 ? words : words.slice(0, comment)).map((w) => w.word);
    });
}

const WITH_EXAMPLES = ['run', 'explain', 'resume', 'metrics', 'templates list', 'templates show', 'templates run', 'components list', 'sessions list', 'sessions show', 'sessions stats', 'attack show', 'feeds import', 'feeds list'];

let built: Program;
beforeAll(async () => {
  built = await buildProgram();
});

describe('command help', () => {
  it.each(WITH_EXAMPLES)('`%s --help` ends with examples', (path) => {
    const help = helpOf(built, path);
    expect(help).toContain('\nExamples:\n  $ cs-helper ');
    // At least one example is of this very command.
    expect(exampleCommands(help).some((words) => words.filter((w) => !w.startsWith('-') && !w.startsWith('.')).slice(0, path.split(' ').length).join(' ') === path)).toBe(true);
  });

  it('every example in every command\'s help is a command the program accepts: its command, options and arguments', async () => {
    const parser = await buildProgram({ stubActions: true });
    const examples = [...new Set(['', ...allCommands(built.program).map((c) => commandPath(c))].flatMap((path) => exampleCommands(helpOf(built, path)).map((words) => JSON.stringify(words))))].map((w) => JSON.parse(w) as string[]);
    expect(examples.length).toBeGreaterThan(40);
    const refused: string[] = [];
    for (const words of examples) {
      parser.take();
      try {
        await parser.program.parseAsync(['node', 'cs-helper', ...words]);
      } catch {
        refused.push(`cs-helper ${words.join(' ')}: ${parser.take().trim()}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('lists the global options (--log-dir, --debug, --plugins) in the help of each command, where they work too', () => {
    for (const path of ['dynamic-workflow', 'sessions list', 'components list', 'mcp']) {
      const help = helpOf(built, path);
      const global = help.slice(help.indexOf('\nGlobal Options:\n'));
      expect(help).toContain('\nGlobal Options:\n');
      for (const flag of ['--log-dir <dir>', '--debug', '--plugins <dir>']) expect(global).toContain(flag);
    }
  });

  it('shows one default for mcp --root and none for --plugins', () => {
    const mcp = helpOf(built, 'mcp').replace(/\s+/g, ' ');
    expect(mcp).toContain('--root <dir> a folder clients may read and write; repeat for several (default: the working directory)');
    expect(mcp).not.toContain('(default: [])');
    expect(helpOf(built, '').replace(/\s+/g, ' ')).not.toContain('(default: [])');
  });

  it('names every input kind the importers read in --input-files, and in detect\'s summary', () => {
    for (const path of ['dynamic-workflow', 'explain']) {
      const inputFiles = find(built.program, path).options.find((o) => o.long === '--input-files')?.description ?? '';
      for (const kind of ['CSV/TSV', 'JSON Lines', 'Windows event JSON', 'CloudTrail', '.xlsx', 'Zeek', 'Apache/Nginx', 'Amazon S3 access logs', 'Linux audit logs', 'gzip', 'ZIP']) expect(inputFiles).toContain(kind);
    }
    for (const kind of ['Windows event JSON', 'CloudTrail', 'JSON Lines', 'CSV', 'S3 access logs', 'Zeek', 'Linux audit logs', '.gz', '.zip']) expect(COMMAND_SUMMARIES.detect.description).toContain(kind);
  });

  it('lists every field a batch line may have, with example lines the batch file reader accepts', () => {
    const help = helpOf(built, 'batch');
    for (const field of Object.keys(batchLineSchema.shape)) {
      expect(find(built.program, 'batch').registeredArguments[0]?.description).toContain(`"${field}"`);
      expect(help).toContain(`"${field}"`);
    }
    const lines = help.split('\n').filter((line) => line.startsWith('  {'));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(batchLineSchema.safeParse(JSON.parse(line)).success).toBe(true);
  });
});

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command = command; c.parent !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
