// `cs-helper run <plan.json>`: runs an exported plan unchanged, after checking it like any plan.
import type { Command } from 'commander';
import type { RegistryLoader } from '../registry-loader.js';
import { readPlanFile } from '../../planner/load-plan.js';
import type { CliState } from '../open-state.js';
import { createPrinter } from '../output-stream.js';
import { printPlan } from '../print-plan.js';
import { runWithProgress } from '../run-with-progress.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { checkModelName } from '../../ml/model-store.js';
import { UsageError } from '../../model/errors/usage-error.js';
import type { WorkflowPlan } from '../../model/workflow-plan.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface RunOptions extends GlobalOptions {
  readonly outputDir?: string;
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
    .option('--output-dir <dir>', "write the outputs here instead of the plan's output folder")
    .option('--json', 'print the run summary as JSON on stdout and nothing else there')
    .option('--model <name>', "the ML classification step's model: save the trained model under NAME; on data without labels, load NAME and predict")
    .option('--no-cache', 'run every step, without reusing or storing results in the result cache of $CS_HELPER_HOME')
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
        const plan = withClassifyModel(await readPlanFile(planFile, registry), options.model);
        session.logDataOperation({ operation: 'read', target: planFile, detail: { kind: 'plan', plan_id: plan.id, fingerprint: plan.fingerprint } });
        printPlan(plan, out, options.outputDir);
        out.text();
        const result = await runWithProgress(plan, registry, session, out, { json: options.json === true, memory: memory.runMemory, ...(options.outputDir === undefined ? {} : { outputDir: options.outputDir }) });
        status = result.status;
        if (result.status !== 'completed') process.exitCode = 1;
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
