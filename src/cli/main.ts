#!/usr/bin/env node
// The cs-helper command: parses arguments, runs a command, and turns errors into `error:` / `hint:` lines.
import { existsSync } from 'node:fs';
import { type Command, CommanderError, Help } from 'commander';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import { COMMANDS } from './command-modules.js';
import { COMMAND_SUMMARIES, type CommandSummary } from './command-summaries.js';
import { createProgram } from './program.js';
import { lazyRegistry } from './registry-loader.js';
import { terminalLine } from './terminal-line.js';

// `cs-helper sessions show ID | head`: a reader that stops reading is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const program = createProgram();
  const registry = lazyRegistry(() => program.opts<{ plugins?: string[] }>().plugins ?? []);
  // Only the named command's module is imported (each brings its own dependencies: the planner, the engine, the MCP
  // SDK, ...); no command (the dialogue), an unknown one or a bare `help` imports them all.
  const { command: named, index, flags } = leadingWords(argv);
  // `help <command>` prints that command's help, which needs its module only.
  const helpFor = named === 'help' ? argv[index + 1] : undefined;
  const only = named === null ? undefined : COMMANDS.get(helpFor !== undefined && COMMANDS.has(helpFor) ? helpFor : named);
  if (flags.has('--help') || flags.has('-h')) {
    // The program's own --help (before any command: `cs-helper --help sessions` too) prints the overview, which needs
    // each command's line only, not its module.
    registerOverview(program);
  } else if (!(named === null && (flags.has('--version') || flags.has('-V')))) {
    // `cs-helper --version` needs no command at all; otherwise the modules are imported together, then registered in
    // the listed order.
    const registers = await Promise.all((only === undefined ? [...COMMANDS.values()] : [only]).map((load) => load()));
    for (const register of registers) register(program, registry);
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.missingArgument') {
      const hint = swallowedArgumentHint(program, named, argv.slice(index + 1));
      if (hint !== null) process.stderr.write(`hint: ${terminalLine(hint)}\n`);
    }
    throw error;
  }
}

/**
 * When a command's argument is missing because an option that takes several values (`--input-files f.csv "the
 * problem"`) took it as its last value: names the value and the two ways to write it. The last value is taken for the
 * argument only when the list holds more than it and it reads as no file (words with spaces, or no such path); null
 * for any other missing argument.
 */
function swallowedArgumentHint(program: Command, named: string | null, words: readonly string[]): string | null {
  const command = program.commands.find((c) => c.name() === named);
  const missing = command?.registeredArguments.find((a) => a.required);
  if (command === undefined || missing === undefined) return null;
  const variadic = new Map(command.options.filter((o) => o.variadic).flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined).map((f) => [f, o.long ?? f] as const)));
  const lists: { option: string; values: string[] }[] = [];
  for (const word of words) {
    if (word === '--') break;
    if (word.startsWith('-')) {
      const option = variadic.get(word);
      if (option !== undefined) lists.push({ option, values: [] });
      else lists.push({ option: '', values: [] });
    } else lists.at(-1)?.values.push(word);
  }
  const swallowed = lists.find((l) => l.option !== '' && l.values.length > 1 && readsAsNoFile(l.values.at(-1) ?? ''));
  if (swallowed === undefined) return null;
  return `${swallowed.option} takes every value up to the next option, so it took "${swallowed.values.at(-1) ?? ''}" too: write the ${missing.name()} right after ${command.name()}, or end the ${swallowed.option} list with --`;
}

function readsAsNoFile(value: string): boolean {
  return /\s/.test(value) || !existsSync(value);
}

/** Every command as a line of the overview, from its summary: what `--help` prints with the commands registered. */
function registerOverview(program: Command): void {
  const summaries: Readonly<Record<string, CommandSummary>> = COMMAND_SUMMARIES;
  for (const name of COMMANDS.keys()) {
    const summary = summaries[name];
    if (summary !== undefined) program.command(name).description(summary.description);
  }
  const standard = new Help();
  // Added to the program's help settings (createProgram's), which the full help has too.
  program.configureHelp({ ...program.configureHelp(), subcommandTerm: (command) => summaries[command.name()]?.term ?? standard.subcommandTerm(command) });
}

/** Global options that take a value: the word after them is not the command. */
const OPTIONS_WITH_VALUE = new Set(['--log-dir', '--plugins']);

interface LeadingWords {
  /** The first word that is neither an option nor an option's value, if any, and its place in argv. */
  readonly command: string | null;
  readonly index: number;
  /** The program's own options before it (`--help`, `--version`, ...). */
  readonly flags: ReadonlySet<string>;
}

function leadingWords(argv: readonly string[]): LeadingWords {
  const flags = new Set<string>();
  for (let i = 2; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (!arg.startsWith('-')) return { command: arg, index: i, flags };
    flags.add(arg);
    if (OPTIONS_WITH_VALUE.has(arg)) i += 1;
  }
  return { command: null, index: -1, flags };
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has printed its own message (or the help); keep its exit code.
    process.exitCode = error.exitCode;
    return;
  }
  const debug = process.argv.includes('--debug') || process.env['CS_HELPER_DEBUG'] === '1';
  if (isCsHelperError(error)) {
    process.stderr.write(`error: ${terminalLine(error.message)}\n`);
    if (error.hint !== undefined) process.stderr.write(`hint: ${terminalLine(error.hint)}\n`);
    if (debug && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    process.exitCode = error.code === 'usage' ? 2 : 1;
    return;
  }
  process.stderr.write(`error: ${terminalLine(error instanceof Error ? error.message : String(error))}\n`);
  process.stderr.write(debug && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : 'hint: this is a bug in CS Helper; rerun with --debug for the stack trace and report it\n');
  process.exitCode = 70;
});
