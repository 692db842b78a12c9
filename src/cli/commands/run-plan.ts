// `cs-helper run <plan.json>`: runs an exported plan unchanged, after checking it like any plan. A plan file is input:
// it writes only inside the folder it is run from (or to --output-dir), and reads only inside --root when given.
import type { Command } from 'commander';
import type { RegistryLoader } from '../registry-loader.js';
import { readPlanFile } from '../../planner/load-plan.js';
import type { CliState } from '../open-state.js';
import { createPrinter } from '../output-stream.js';
import { withCacheForecast } from '../../planner/plan-estimate.js';
import { printPlan } from '../print-plan.js';
import { runWithProgress } from '../run-with-progress.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { checkModelName } from '../../ml/model-store.js';
import { UsageError } from '../../model/errors/usage-error.js';
import type { WorkflowPlan } from '../../model/workflow-plan.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';
import { checkOutputFolder } from '../output-folder.js';
import { planOutputFolder } from '../plan-output-folder.js';
import type { ComponentRegistry } from '../../components/registry.js';
import { PlanError } from '../../model/errors/plan-error.js';

interface RunOptions extends GlobalOptions {
  readonly outputDir?: string;
  /** --root DIR...: every file the plan reads must lie inside these folders. */
  readonly root?: string[];
  readonly json?: boolean;
  /** --model NAME: the name processing.classify saves its model under, or loads it from for data without labels. */
  readonly model?: string;
  /** False with --no-cache. */
  readonly cache: boolean;
}

export function registerRunPlan(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('run')
    .description(COMMAND_SUMMARIES.run.description)
    .argument('<plan>', 'the plan JSON file')
    .option('--output-dir <dir>', "write the outputs here instead of the plan's output folder (which must lie inside the current folder)")
    .option('--root <dir>', 'read only files inside this folder (repeat for several): a plan naming any other file, or a link out, is refused before it runs; default: the files the plan names, wherever they are', (dir: string, dirs: string[] | undefined) => [...(dirs ?? []), dir])
    .option('--json', 'print the run summary as JSON on stdout and nothing else there')
    .option('--model <name>', "the ML classification step's model: save the trained model under NAME; on data without labels, load NAME and predict")
    .option('--no-cache', 'run every step, without reusing or storing results in the result cache of $CS_HELPER_HOME')
    .addHelpText(
      'after',
      examplesHelp([
        'dynamic-workflow "Process logs for compliance" -i examples/access_logs.csv --outputs compliance_report --export plan.json',
        'run plan.json',
        'run plan.json --output-dir monday --json',
        'run cases/plan.json --root cases --root examples   # a plan someone else wrote: it may read only inside these folders',
      ]),
    )
    .action(async (planFile: string, options: RunOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const out = createPrinter(options.json === true);
      const session = await startSession(global);
      let status: 'completed' | 'failed' | 'cancelled' = 'failed';
      let memory: CliState | null = null;
      try {
        // Loaded here: the state database (a native module) is not needed by --help or the commands that only read logs.
        const { openCliState } = await import('../open-state.js');
        memory = await openCliState({ noCache: !options.cache });
        session.logInteraction('question', `run ${planFile}`, 'command_line', {}, 'plan_file');
        const registry = await loadRegistry();
        const loaded = withClassifyModel(await readPlanFile(planFile, registry), options.model);
        session.logDataOperation({ operation: 'read', target: planFile, detail: { kind: 'plan', plan_id: loaded.id, fingerprint: loaded.fingerprint } });
        // Checked before anything runs: where the plan may write, then that it is a folder, then what it may read.
        const outputDir = await checkOutputFolder(
          planOutputFolder(loaded, { planFile, explicit: options.outputDir }),
          options.outputDir === undefined ? `${planFile}: output_dir '${loaded.output_dir}'` : `--output-dir ${options.outputDir}`,
        );
        const confined = options.root === undefined ? loaded : await confineReads(loaded, { roots: options.root, planFile, registry });
        // The estimate as the result cache stands now: the file's was made when the plan was exported.
        const plan = await withCacheForecast(confined, registry, memory.planMemory.results);
        printPlan(plan, out, outputDir);
        out.text();
        const result = await runWithProgress(plan, registry, session, out, { json: options.json === true, memory: memory.runMemory, outputDir });
        status = result.status;
        if (result.exitCode !== 0) process.exitCode = result.exitCode;
      } catch (error) {
        session.logError('command-failed', error instanceof Error ? error.message : String(error), {}, error);
        throw error;
      } finally {
        memory?.close();
        await finishSession(session, status);
      }
    });
}

/** The plan with --model set on its processing.classify steps; a plan without one cannot use a model. */
function withClassifyModel(plan: WorkflowPlan, model: string | undefined): WorkflowPlan {
  if (model === undefined) return plan;
  checkModelName(model);
  if (!plan.nodes.some((n) => n.component === 'processing.classify')) {
    throw new UsageError('--model was given, and this plan has no ML classification step (processing.classify)', 'plan one with a problem that asks to classify or predict, e.g. "classify these connections with machine learning"');
  }
  return { ...plan, nodes: plan.nodes.map((n) => (n.component === 'processing.classify' ? { ...n, params: { ...n.params, model } } : n)) };
}

/**
 * The plan with its base folder and every file it reads confined to the --root folders (real paths, so `..` and links
 * that lead out are refused too), as the MCP server and `worker --root` confine a plan; its output folder is decided
 * apart (planOutputFolder).
 */
async function confineReads(plan: WorkflowPlan, options: { readonly roots: readonly string[]; readonly planFile: string; readonly registry: ComponentRegistry }): Promise<WorkflowPlan> {
  const { planFile, registry } = options;
  // Loaded here: only --root needs them.
  const { PathRoots } = await import('../../mcp/path-roots.js');
  const { confinePlan } = await import('../../mcp/confine-plan.js');
  const { PathOutsideRootsError } = await import('../../mcp/path-outside-roots-error.js');
  const roots = await PathRoots.open(options.roots);
  try {
    return await confinePlan(plan, roots, registry, roots.base);
  } catch (error) {
    if (!(error instanceof PathOutsideRootsError)) throw error;
    throw new PlanError('path-outside-roots', `${planFile}: names ${error.path}, outside --root ${roots.roots.join(', ')}`, 'run the plan with a --root that holds its files, or export it again from files inside the root');
  }
}
