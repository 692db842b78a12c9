// Runs a plan from the command line: progress on stderr, Ctrl-C cancels cleanly, the summary at the end.
import type { ComponentRegistry } from '../components/registry.js';
import type { ExecuteOptions } from '../engine/execute-plan.js';
import type { RunResult } from '../model/run-result.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { resolve } from 'node:path';
import type { SessionLogger } from '../session/session-logger.js';
import type { RunJournal } from '../state/run-journal.js';
import { cancelOnSignal } from './cancel-on-signal.js';
import type { Printer } from './output-stream.js';
import { printSummary, summaryJson } from './print-summary.js';
import { progressPrinter } from './progress.js';
import { terminalLine } from './terminal-line.js';

export interface RunWithProgressOptions {
  readonly outputDir?: string;
  readonly json: boolean;
  /** Another way to cancel besides the process's SIGINT/SIGTERM: interactive mode reads Ctrl-C from the terminal itself. */
  readonly signal?: AbortSignal;
  /** The result cache and the learned estimates (cli/open-state.ts); without them nothing is reused or recorded. */
  readonly memory?: Pick<ExecuteOptions, 'resultCache' | 'estimates'> & { readonly journal?: RunJournal };
  /** The run this one continues (`cs-helper resume`), for the journal. */
  readonly resumedFrom?: string;
}

export interface CliRunResult extends RunResult {
  /** The command's exit code for this run: 0 completed, 130 or 143 cancelled by SIGINT or SIGTERM, 1 otherwise. */
  readonly exitCode: number;
}

export async function runWithProgress(plan: WorkflowPlan, registry: ComponentRegistry, session: SessionLogger, out: Printer, options: RunWithProgressOptions): Promise<CliRunResult> {
  const cancellation = cancelOnSignal(out);
  try {
    // Loaded here: the engine brings DuckDB, which commands that only plan or read logs never need.
    const { executePlan } = await import('../engine/execute-plan.js');
    const { journal, ...memory } = options.memory ?? {};
    const progress = progressPrinter(out);
    const outputDir = resolve(plan.base_dir, options.outputDir ?? plan.output_dir);
    const result = await executePlan(plan, {
      registry,
      session,
      signal: options.signal === undefined ? cancellation.signal : AbortSignal.any([cancellation.signal, options.signal]),
      onEvent: (event) => {
        // The journal holds the plan from the start: a run that dies can be resumed.
        if (event.type === 'run-start') journal?.started(event.runId, plan, outputDir, options.resumedFrom ?? null);
        progress(event);
      },
      outputDir,
      ...memory,
    });
    journal?.ended(result.runId, result.status);
    if (options.json) out.json(summaryJson(result));
    else printSummary(result, out);
    if (result.error !== undefined && !options.json) {
      out.note(`error: ${terminalLine(result.error.message)}`);
      if (result.error.hint !== undefined) out.note(`hint: ${terminalLine(result.error.hint)}`);
    }
    return { ...result, exitCode: result.status === 'completed' ? 0 : result.status === 'cancelled' ? (cancellation.exitCode ?? 1) : 1 };
  } finally {
    cancellation.dispose();
  }
}
