// `cs-helper resume <run-id>`: continues a run that failed, was cancelled or died, from its first unfinished step; the
// steps it finished come back from the result cache instead of running again.
import type { Command } from 'commander';
import { PlanError } from '../../model/errors/plan-error.js';
import { validatePlan } from '../../planner/load-plan.js';
import type { CliState } from '../open-state.js';
import { createPrinter } from '../output-stream.js';
import { printPlan } from '../print-plan.js';
import type { RegistryLoader } from '../registry-loader.js';
import { runWithProgress } from '../run-with-progress.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface ResumeOptions extends GlobalOptions {
  readonly json?: boolean;
}

export function registerResume(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('resume')
    .description(COMMAND_SUMMARIES.resume.description)
    .argument('<run-id>', 'the run id (or its first characters) printed at the end of a run and listed by `cs-helper resume list`')
    .option('--json', 'print the run summary as JSON on stdout and nothing else there')
    .addHelpText('after', '\nThe runs that can be resumed are listed with `cs-helper resume list`.')
    .action(async (runId: string, options: ResumeOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const out = createPrinter(options.json === true);
      const { openCliState } = await import('../open-state.js');
      const state: CliState = await openCliState({ noCache: false });
      try {
        if (runId === 'list') {
          for (const entry of state.journal.recent(20)) out.text(`${entry.runId}  ${entry.status.padEnd(9)}  ${entry.startedAt}  ${entry.outputDir}`);
          return;
        }
        const matches = state.journal.find(runId);
        const entry = matches[0];
        if (entry === undefined) throw new PlanError('no-such-run', `no run '${runId}' in the run journal`, 'list runs with `cs-helper resume list`; runs made with --no-cache or before this version are not journalled');
        if (matches.length > 1) throw new PlanError('ambiguous-run', `'${runId}' names ${matches.length} runs`, `give more of the id: ${matches.map((m) => m.runId).join(', ')}`);
        if (entry.status === 'completed') throw new PlanError('run-completed', `run ${entry.runId} completed; there is nothing to resume`, 'to run its plan again, export it with dynamic-workflow --export and use `cs-helper run`');
        const registry = await loadRegistry();
        // The journal is a file on disk like any other: its plan is checked as a plan from anywhere else.
        const plan = validatePlan(JSON.parse(entry.planJson), registry, `run ${entry.runId}`);
        const session = await startSession(global);
        let status: 'completed' | 'failed' | 'cancelled' = 'failed';
        try {
          session.logInteraction('question', `resume ${entry.runId}`, 'command_line', { previous_status: entry.status }, 'resume');
          out.text(`Resuming run ${entry.runId} (${entry.status === 'running' ? 'interrupted' : entry.status}, started ${entry.startedAt})`);
          printPlan(plan, out, entry.outputDir);
          out.text();
          const result = await runWithProgress(plan, registry, session, out, { json: options.json === true, memory: state.runMemory, outputDir: entry.outputDir, resumedFrom: entry.runId });
          status = result.status;
          const reused = result.steps.filter((s) => s.fromCache === true).length;
          session.logInteraction('answer', `resumed run ${entry.runId} as ${result.runId}: ${result.status}, ${reused} finished steps reused`, 'command_line', { run_id: result.runId, reused }, 'run_summary');
          if (options.json !== true) out.text(`${reused} of ${result.steps.length} steps came back from the result cache.`);
          if (result.status !== 'completed') process.exitCode = 1;
        } finally {
          await finishSession(session, status);
        }
      } finally {
        state.close();
      }
    });
}
