// `cs-helper templates list|show|run`: plans saved by name with `--save-template`, run again on other files of the same kind.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { PlanError } from '../../model/errors/plan-error.js';
import type { WorkflowPlan } from '../../model/workflow-plan.js';
import { validatePlan } from '../../planner/load-plan.js';
import { checkOutputFolder } from '../output-folder.js';
import { planWorkflow } from '../../planner/plan-workflow.js';
import { copyJson } from '../../planner/json-copy.js';
import type { CliState } from '../open-state.js';
import { createPrinter } from '../output-stream.js';
import { withCacheForecast } from '../../planner/plan-estimate.js';
import { printPlan } from '../print-plan.js';
import type { RegistryLoader } from '../registry-loader.js';
import { runWithProgress } from '../run-with-progress.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

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
    .command('run')
    .description('Run a template on other files: its steps are re-bound to them (paths, dialect, sizes), nothing else changes.')
    .argument('<name>', 'the template')
    .requiredOption('-i, --input-files <files...>', 'the data files (of the kind the template was made for)')
    .option('--output-dir <dir>', 'folder for the outputs', 'output')
    .option('-x, --execute', 'run it (otherwise the re-bound plan is shown)')
    .option('--json', 'print JSON on stdout: the run summary with --execute, else the plan')
    .action(async (name: string, options: RunTemplateOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      await withState(async (state) => {
        const registry = await loadRegistry();
        if (options.execute === true) await checkOutputFolder(options.outputDir ?? 'output', `--output-dir ${options.outputDir ?? 'output'}`);
        const entry = state.templates.get(name);
        const template = validatePlan(JSON.parse(entry.planJson), registry, `template ${name}`);
        // The estimate as the result cache stands now (a template is saved with the full one).
        const plan = await withCacheForecast(await rebindTemplate(template, options.inputFiles, options.outputDir ?? 'output', registry), registry, state.planMemory.results);
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

/** The template's own problem and outputs, planned on the new files with the template's steps as the only pattern. */
async function rebindTemplate(template: WorkflowPlan, inputFiles: readonly string[], outputDir: string, registry: Awaited<ReturnType<RegistryLoader>>): Promise<WorkflowPlan> {
  // Steps are re-bound file by file: a plan of several datasets (one branch each, planner/dataset-groups.ts) cannot be.
  const branches = (plan: WorkflowPlan): number => plan.nodes.filter((n) => n.type === 'DATA_IMPORT').length;
  if (branches(template) > 1) {
    throw new PlanError('template-mismatch', `the template was made for ${branches(template)} datasets (one branch each); a template re-binds the steps of one dataset`, 'plan afresh with dynamic-workflow, or save a template made on one dataset (--sheets names one worksheet)');
  }
  const steps = { nodes: template.nodes, unavailable: template.unavailable, files: template.profile.files.map((f) => f.path) };
  const plan = await planWorkflow(
    { problem: template.profile.problem, inputFiles, outputs: template.outputs.map((o) => `${o.name}.${o.format}`), outputDir, feeds: feedsOf(template) },
    registry,
    { patterns: { lookup: () => copyJson(steps) } },
  );
  if (branches(plan) > 1) {
    throw new PlanError('template-mismatch', `these files make ${branches(plan)} datasets of different shapes; a template re-binds the steps of one`, 'run the template once per dataset, or plan afresh with dynamic-workflow');
  }
  const expected = template.nodes.find((n) => n.type === 'DATA_IMPORT')?.component;
  const needed = plan.profile.files[0]?.kind === 'csv' ? 'import.csv' : 'import.json';
  if (expected !== undefined && expected !== needed) {
    throw new PlanError('template-mismatch', `the template was made for files read by ${expected}, and these need ${needed}`, 'use a template made for this kind of file, or plan afresh with dynamic-workflow');
  }
  return plan;
}

function feedsOf(plan: WorkflowPlan): string[] {
  const feeds = plan.nodes.find((n) => n.component === 'intel.ioc-match')?.params['feeds'];
  return Array.isArray(feeds) ? feeds.filter((f): f is string => typeof f === 'string') : [];
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
