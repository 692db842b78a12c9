// `cs-helper templates list|show|run|delete`: plans saved by name with `--save-template`, run again on other files of the same kind.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { validatePlan } from '../../planner/load-plan.js';
import { checkOutputFolder } from '../output-folder.js';
import { rebindTemplate } from '../rebind-template.js';
import type { CliState } from '../open-state.js';
import { createPrinter } from '../output-stream.js';
import { withCacheForecast } from '../../planner/plan-estimate.js';
import { printPlan } from '../print-plan.js';
import type { RegistryLoader } from '../registry-loader.js';
import { runWithProgress } from '../run-with-progress.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';

interface RunTemplateOptions extends GlobalOptions {
  readonly inputFiles: string[];
  readonly outputDir?: string;
  readonly execute?: boolean;
  readonly json?: boolean;
}

export function registerTemplates(program: Command, loadRegistry: RegistryLoader): void {
  const templates = program.command('templates').description(COMMAND_SUMMARIES.templates.description);
  templates
    .command('list')
    .description('List the saved templates.')
    .option('--json', 'print JSON')
    .addHelpText('after', examplesHelp(['templates list', 'templates list --json']))
    .action(async (options: { json?: boolean }) => {
      await withState((state) => {
        const list = state.templates.list();
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(list.map((t) => ({ name: t.name, problem: t.problem, created_at: t.createdAt, used_at: t.usedAt })), null, 2)}\n`);
          return;
        }
        if (list.length === 0) {
          process.stdout.write('No templates yet: save one with `cs-helper dynamic-workflow "<problem>" --input-files ... --save-template NAME`.\n');
          return;
        }
        const table = new Table({ head: ['name', 'problem', 'saved', 'last used'], style: { head: [], border: [], compact: true } });
        for (const t of list) table.push([t.name, t.problem.slice(0, 60), t.createdAt.slice(0, 19), t.usedAt?.slice(0, 19) ?? '']);
        process.stdout.write(`${table.toString()}\n`);
      });
    });
  templates
    .command('show')
    .description('Show a template\'s plan.')
    .argument('<name>', 'the template')
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', examplesHelp(['templates show triage', 'templates show triage --json']))
    .action(async (name: string, options: { json?: boolean }) => {
      await withState(async (state) => {
        const registry = await loadRegistry();
        const plan = validatePlan(JSON.parse(state.templates.get(name).planJson), registry, `template ${name}`);
        const out = createPrinter(options.json === true);
        if (options.json === true) out.json(plan);
        else printPlan(plan, out);
      });
    });
  templates
    .command('delete')
    .description('Delete a saved template.')
    .argument('<name>', 'the template')
    .addHelpText('after', examplesHelp(['templates delete triage']))
    .action(async (name: string) => {
      await withState((state) => {
        // get() first: an unknown name is refused with the names there are.
        const entry = state.templates.get(name);
        state.templates.remove(name);
        process.stdout.write(`Deleted template '${name}' (${entry.problem.slice(0, 80)}).\n`);
      });
    });
  templates
    .command('run')
    .description('Run a template on other files: its steps are re-bound to them (paths, dialect, sizes), nothing else changes.')
    .argument('<name>', 'the template')
    .requiredOption('-i, --input-files <files...>', 'the data files (of the kind the template was made for)')
    .option('--output-dir <dir>', 'folder for the outputs', 'output')
    .option('-x, --execute', 'run it (otherwise the re-bound plan is shown)')
    .option('--json', 'print JSON on stdout: the run summary with --execute, else the plan')
    .addHelpText(
      'after',
      examplesHelp([
        'dynamic-workflow "Analyze this CSV for security threats" -i examples/threat_data.csv --save-template triage',
        'templates run triage --input-files tuesday.csv                 # shows the plan re-bound to tuesday.csv',
        'templates run triage --input-files tuesday.csv --execute --output-dir tuesday',
      ]),
    )
    .action(async (name: string, options: RunTemplateOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      await withState(async (state) => {
        const registry = await loadRegistry();
        if (options.execute === true) await checkOutputFolder(options.outputDir ?? 'output', `--output-dir ${options.outputDir ?? 'output'}`);
        const entry = state.templates.get(name);
        const template = validatePlan(JSON.parse(entry.planJson), registry, `template ${name}`);
        // The estimate as the result cache stands now (a template is saved with the full one).
        const rebound = await rebindTemplate(template, registry, { name, inputFiles: options.inputFiles, outputDir: options.outputDir ?? 'output' });
        const plan = await withCacheForecast(rebound, registry, state.planMemory.results);
        state.templates.used(name);
        const out = createPrinter(options.json === true);
        if (options.execute !== true) {
          if (options.json === true) out.json(plan);
          else {
            printPlan(plan, out);
            out.text();
            out.text('Nothing was run. Add --execute to run it.');
          }
          return;
        }
        const session = await startSession(global);
        let status: 'completed' | 'failed' | 'cancelled' = 'failed';
        try {
          session.logInteraction('question', `template ${name} on ${options.inputFiles.join(', ')}`, 'command_line', { template: name, input_files: options.inputFiles }, 'template');
          printPlan(plan, out);
          out.text();
          const result = await runWithProgress(plan, registry, session, out, { json: options.json === true, memory: state.runMemory });
          status = result.status;
          if (result.exitCode !== 0) process.exitCode = result.exitCode;
        } finally {
          await finishSession(session, status);
        }
      });
    });
}

async function withState(work: (state: CliState) => Promise<void> | void): Promise<void> {
  const { openCliState } = await import('../open-state.js');
  const state = await openCliState({ noCache: false });
  try {
    await work(state);
  } finally {
    state.close();
  }
}
