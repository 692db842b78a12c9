// `cs-helper` with no arguments, or `cs-helper interactive`: the dialogue, in one session log for the whole run.
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../model/errors/usage-error.js';
import { Dialogue } from '../interactive/dialogue.js';
import { InteractiveMode } from '../interactive/interactive-mode.js';
import { LineReader } from '../interactive/line-reader.js';
import type { CliState } from '../open-state.js';
import { checkOutputFolder } from '../output-folder.js';
import { createPrinter } from '../output-stream.js';
import type { RegistryLoader } from '../registry-loader.js';
import { finishSession, isDebug, resolveLogDir, startSession, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface InteractiveOptions extends GlobalOptions {
  readonly outputDir: string;
  /** False with --no-cache. */
  readonly cache: boolean;
}

export function registerInteractive(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('interactive', { isDefault: true })
    .description(COMMAND_SUMMARIES.interactive.description)
    .option('--output-dir <dir>', 'folder for the outputs', 'output')
    .option('--no-cache', 'plan from scratch and run every step, without the pattern and result caches of $CS_HELPER_HOME')
    // As the default command it receives any word commander does not know: that word is a mistyped command, said so below.
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `
Answers are read line by line, from a terminal or a pipe:
  $ printf '%s\\n' "Analyze this CSV for security threats" examples/threat_data.csv "" y q | cs-helper interactive

At any prompt: help, components, sessions, back, quit (or Ctrl-D).`,
    )
    .action(async (options: InteractiveOptions, command: Command) => {
      const [word] = command.args;
      if (word !== undefined) throw new UsageError(`unknown command '${word}'`, 'run `cs-helper --help` for the commands, or `cs-helper` alone for interactive mode');
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      // Before the first question: a file where the output folder goes would otherwise fail after the whole dialogue and run.
      await checkOutputFolder(options.outputDir, `--output-dir ${options.outputDir}`);
      const out = createPrinter(false);
      const session = await startSession(global);
      const reader = new LineReader({ input: process.stdin, output: process.stdout });
      let status: 'completed' | 'failed' = 'failed';
      const memory = lazyState(!options.cache);
      try {
        const dialogue = new Dialogue(reader, out, session, { debug: isDebug(global) });
        await new InteractiveMode(dialogue, reader, out, session, loadRegistry, { outputDir: resolve(options.outputDir), logDir: resolveLogDir(global), memory: memory.open }).run();
        status = 'completed';
      } finally {
        reader.close();
        await memory.close();
        const path = await finishSession(session, status);
        out.note(`Session log: ${relative(process.cwd(), path) || path}`);
      }
    });
}

/** The state folder, opened on first use: `help` and `quit` need no state database (a native module). */
function lazyState(noCache: boolean): { open: () => Promise<CliState>; close: () => Promise<void> } {
  let opened: Promise<CliState> | null = null;
  return {
    open: () => (opened ??= import('../open-state.js').then(({ openCliState }) => openCliState({ noCache }))),
    close: async () => {
      // A state folder that failed to open was reported when it was needed; there is nothing to close.
      const state = await opened?.catch(() => null);
      state?.close();
    },
  };
}
