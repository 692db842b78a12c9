#!/usr/bin/env node
// The cs-helper command: parses arguments, runs a command, and turns errors into `error:` / `hint:` lines.
import { Command, CommanderError } from 'commander';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';
import { TOOL_VERSION } from '../version.js';
import { registerBatch } from './commands/batch.js';
import { registerComponents } from './commands/components.js';
import { registerDynamicWorkflow } from './commands/dynamic-workflow.js';
import { registerExplain } from './commands/explain.js';
import { registerResume } from './commands/resume.js';
import { registerTemplates } from './commands/templates.js';
import { registerMetrics } from './commands/metrics.js';
import { registerMcp } from './commands/mcp.js';
import { registerInteractive } from './commands/interactive.js';
import { registerRunPlan } from './commands/run-plan.js';
import { registerSessions } from './commands/sessions.js';
import { registerAttack } from './commands/attack.js';
import { registerDetect } from './commands/detect.js';
import { registerFeeds } from './commands/feeds.js';
import { registerWorker } from './commands/worker.js';
import { registerJobs } from './commands/jobs.js';
import { lazyRegistry } from './registry-loader.js';

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
  registerDynamicWorkflow(program, registry);
  registerRunPlan(program, registry);
  registerBatch(program, registry);
  registerExplain(program, registry);
  registerResume(program, registry);
  registerTemplates(program, registry);
  registerComponents(program, registry);
  registerSessions(program);
  registerAttack(program);
  registerDetect(program, registry);
  registerFeeds(program);
  registerMetrics(program);
  registerMcp(program, registry);
  registerWorker(program, registry);
  registerJobs(program);
  // The default command: `cs-helper` with no arguments starts the dialogue.
  registerInteractive(program, registry);
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has printed its own message (or the help); keep its exit code.
    process.exitCode = error.exitCode;
    return;
  }
  const debug = process.argv.includes('--debug') || process.env['CS_HELPER_DEBUG'] === '1';
  if (isCsHelperError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`hint: ${error.hint}\n`);
    if (debug && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    process.exitCode = error.code === 'usage' ? 2 : 1;
    return;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stderr.write(debug && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : 'hint: this is a bug in CS Helper; rerun with --debug for the stack trace and report it\n');
  process.exitCode = 70;
});
