// `cs-helper run <plan.json>`: runs an exported plan unchanged, after checking it like any plan.
import type { Command } from 'commander';
import type { RegistryLoader } from '../registry-loader.js';
import { readPlanFile } from '../../planner/load-plan.js';
import { createPrinter } from '../output-stream.js';
import { printPlan } from '../print-plan.js';
import { runWithProgress } from '../run-with-progress.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';

interface RunOptions extends GlobalOptions {
  readonly outputDir?: string;
  readonly json?: boolean;
}

export function registerRunPlan(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('run')
    .description('Run a plan saved with `dynamic-workflow --export`, exactly as it was planned.')
    .argument('<plan>', 'the plan JSON file')
    .option('--output-dir <dir>', "write the outputs here instead of the plan's output folder")
    .option('--json', 'print the run summary as JSON on stdout and nothing else there')
    .action(async (planFile: string, options: RunOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const out = createPrinter(options.json === true);
      const session = await startSession(global);
      let status: 'completed' | 'failed' | 'cancelled' = 'failed';
      try {
        session.logInteraction('question', `run ${planFile}`, 'command_line', {}, 'plan_file');
        const registry = await loadRegistry();
        const plan = await readPlanFile(planFile, registry);
        session.logDataOperation({ operation: 'read', target: planFile, detail: { kind: 'plan', plan_id: plan.id, fingerprint: plan.fingerprint } });
        printPlan(plan, out, options.outputDir);
        out.text();
        const result = await runWithProgress(plan, registry, session, out, { json: options.json === true, ...(options.outputDir === undefined ? {} : { outputDir: options.outputDir }) });
        status = result.status;
        if (result.status !== 'completed') process.exitCode = 1;
      } catch (error) {
        session.logError('command-failed', error instanceof Error ? error.message : String(error), {}, error);
        throw error;
      } finally {
        await finishSession(session, status);
      }
    });
}
