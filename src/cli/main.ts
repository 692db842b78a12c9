#!/usr/bin/env node
// The cs-helper command: parses arguments, runs a command, and turns errors into `error:` / `hint:` lines.
import { Command, CommanderError, Help } from 'commander';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import { TOOL_VERSION } from '../version.js';
import { COMMAND_SUMMARIES, type CommandSummary } from './command-summaries.js';
import { lazyRegistry, type RegistryLoader } from './registry-loader.js';
import { terminalLine } from './terminal-line.js';

// `cs-helper sessions show ID | head`: a reader that stops reading is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('cs-helper')
    .description('Plans and runs security data workflows from a problem stated in plain words, and logs every session.')
    .version(TOOL_VERSION)
    .option('--log-dir <dir>', 'session log folder (default ./session-logs, or $CS_HELPER_LOG_DIR)')
    .option('--debug', 'add debug events and stack traces (or CS_HELPER_DEBUG=1)')
    .option('--plugins <dir>', 'load components from a folder (each .js/.mjs file exports components; they run as code); repeat for several', (dir: string, dirs: string[]) => [...dirs, dir], [] as string[])
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
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
  await program.parseAsync(argv);
}

/** Every command as a line of the overview, from its summary: what `--help` prints with the commands registered. */
function registerOverview(program: Command): void {
  const summaries: Readonly<Record<string, CommandSummary>> = COMMAND_SUMMARIES;
  for (const name of COMMANDS.keys()) {
    const summary = summaries[name];
    if (summary !== undefined) program.command(name).description(summary.description);
  }
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (command) => summaries[command.name()]?.term ?? standard.subcommandTerm(command) });
}

type Register = (program: Command, registry: RegistryLoader) => void;

/** Each command's module, imported only when it runs (or for the full help), in the order `--help` lists them. */
const COMMANDS: ReadonlyMap<string, () => Promise<Register>> = new Map<string, () => Promise<Register>>([
  ['dynamic-workflow', async () => (await import('./commands/dynamic-workflow.js')).registerDynamicWorkflow],
  ['run', async () => (await import('./commands/run-plan.js')).registerRunPlan],
  ['batch', async () => (await import('./commands/batch.js')).registerBatch],
  ['explain', async () => (await import('./commands/explain.js')).registerExplain],
  ['resume', async () => (await import('./commands/resume.js')).registerResume],
  ['templates', async () => (await import('./commands/templates.js')).registerTemplates],
  ['components', async () => (await import('./commands/components.js')).registerComponents],
  ['sessions', async () => (await import('./commands/sessions.js')).registerSessions],
  ['attack', async () => (await import('./commands/attack.js')).registerAttack],
  ['detect', async () => (await import('./commands/detect.js')).registerDetect],
  ['feeds', async () => (await import('./commands/feeds.js')).registerFeeds],
  ['metrics', async () => (await import('./commands/metrics.js')).registerMetrics],
  ['mcp', async () => (await import('./commands/mcp.js')).registerMcp],
  ['worker', async () => (await import('./commands/worker.js')).registerWorker],
  ['jobs', async () => (await import('./commands/jobs.js')).registerJobs],
  // The default command: `cs-helper` with no arguments starts the dialogue.
  ['interactive', async () => (await import('./commands/interactive.js')).registerInteractive],
]);

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
