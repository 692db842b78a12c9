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
import { examplesHelp } from './help-examples.js';

interface ResumeOptions extends GlobalOptions {
  readonly json?: boolean;
}

export function registerResume(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('resume')
    .description(COMMAND_SUMMARIES.resume.description)
    .argument('<run-id>', 'the run id (or its first characters) printed at the end of a run and listed by `cs-helper resume list`')
    .option('--json', 'print the run summary (with `list`: the runs) as JSON on stdout and nothing else there')
    .addHelpText(
      'after',
      examplesHelp(
        ['resume list                # the last 20 runs, newest first, with their status', 'resume list --json', 'resume 01a219e6           # the run whose id starts so: its finished steps come from the result cache', 'resume 01a219e6 --json'],
        'The runs that can be resumed are listed with `cs-helper resume list`.',
      ),
    )
    .action(async (runId: string, options: ResumeOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const out = createPrinter(options.json === true);
      const { openCliState } = await import('../open-state.js');
      const state: CliState = await openCliState({ noCache: false });
      try {
        if (runId === 'list') {
          const recent = state.journal.recent(20);
          if (options.json === true) out.json(recent.map(listRow));
          else if (recent.length === 0) out.text('No runs recorded yet: the runs of dynamic-workflow --execute, run, templates run and the interactive mode are listed here.');
          else for (const entry of recent) out.text(listLine(entry));
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

/** One run of `resume list --json`: snake_case keys for scripts; `resumable` says whether `resume <run_id>` would take it. */
function listRow(entry: JournalEntry): Record<string, string | number | boolean | null> {
  return {
    run_id: entry.runId,
    status: entry.status,
    started_at: entry.startedAt,
    ended_at: entry.endedAt,
    output_dir: entry.outputDir,
    pid: entry.process?.pid ?? null,
    host: entry.process?.host ?? null,
    resumed_from: entry.resumedFrom,
    completed_by: entry.completedBy,
    // A run whose process is alive on this host is refused by `resume` (resumable-run.ts): not resumable yet.
    resumable: entry.status !== 'completed' && entry.completedBy === null && !stillRunning(entry),
  };
}

/** One run of `resume list`: a run finished by a later resume shows as `resumed` (its own end in the note), never as open. */
function listLine(entry: JournalEntry): string {
  const status = entry.completedBy === null ? entry.status : 'resumed';
  const notes = [
    ...(entry.resumedFrom === null ? [] : [`resumes ${entry.resumedFrom}`]),
    ...(stillRunning(entry) ? [`process ${String(entry.process?.pid)} on this host`] : []),
    ...(entry.completedBy === null ? [] : [`${entry.status === 'running' ? 'interrupted' : entry.status}, completed by run ${entry.completedBy}`]),
  ];
  return `${entry.runId}  ${status.padEnd(11)}  ${entry.startedAt}  ${entry.outputDir}${notes.length === 0 ? '' : `  (${notes.join('; ')})`}`;
}

function stillRunning(entry: JournalEntry): boolean {
  return entry.status === 'running' && entry.process?.alive === true;
}
