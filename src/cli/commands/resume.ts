// `cs-helper resume <run-id>`: continues a run that failed, was cancelled or died, from its first unfinished step; the
// steps it finished come back from the result cache instead of running again.
import type { Command } from 'commander';
import { validatePlan } from '../../planner/load-plan.js';
import { withCacheForecast } from '../../planner/plan-estimate.js';
import type { JournalEntry } from '../../state/run-journal.js';
import type { CliState } from '../open-state.js';
import { createPrinter } from '../output-stream.js';
import { printPlan } from '../print-plan.js';
import { resumableRun } from '../resumable-run.js';
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
          for (const entry of state.journal.recent(20)) out.text(listLine(entry));
          return;
        }
        const entry = resumableRun(state.journal, runId);
        const registry = await loadRegistry();
        // The journal is a file on disk like any other: its plan is checked as a plan from anywhere else.
        // Its estimate as the result cache stands now, not as it stood when the run started: the finished steps are there.
        const plan = await withCacheForecast(validatePlan(JSON.parse(entry.planJson), registry, `run ${entry.runId}`), registry, state.planMemory.results);
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
          if (result.exitCode !== 0) process.exitCode = result.exitCode;
        } finally {
          await finishSession(session, status);
        }
      } finally {
        state.close();
      }
    });
}

/** One run of `resume list`: a run finished by a later resume shows as `resumed` (its own end in the note), never as open. */
function listLine(entry: JournalEntry): string {
  const status = entry.completedBy === null ? entry.status : 'resumed';
  const notes = [
    ...(entry.resumedFrom === null ? [] : [`resumes ${entry.resumedFrom}`]),
    ...(entry.completedBy === null ? [] : [`${entry.status === 'running' ? 'interrupted' : entry.status}, completed by run ${entry.completedBy}`]),
  ];
  return `${entry.runId}  ${status.padEnd(9)}  ${entry.startedAt}  ${entry.outputDir}${notes.length === 0 ? '' : `  (${notes.join('; ')})`}`;
}
