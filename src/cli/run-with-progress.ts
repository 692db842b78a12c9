// Runs a plan from the command line: progress on stderr, Ctrl-C cancels cleanly, the summary at the end.
import type { ComponentRegistry } from '../components/registry.js';
import type { ExecuteOptions } from '../engine/execute-plan.js';
import type { RunResult } from '../model/run-result.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { SessionLogger } from '../session/session-logger.js';
import { cancelOnSignal } from './cancel-on-signal.js';
import type { Printer } from './output-stream.js';
import { printSummary, summaryJson } from './print-summary.js';
import { progressPrinter } from './progress.js';

export interface RunWithProgressOptions {
  readonly outputDir?: string;
  readonly json: boolean;
  /** Another way to cancel besides the process's SIGINT/SIGTERM: interactive mode reads Ctrl-C from the terminal itself. */
  readonly signal?: AbortSignal;
  /** The result cache and the learned estimates (cli/open-state.ts); without them nothing is reused or recorded. */
  readonly memory?: Pick<ExecuteOptions, 'resultCache' | 'estimates'>;
}

export async function runWithProgress(plan: WorkflowPlan, registry: ComponentRegistry, session: SessionLogger, out: Printer, options: RunWithProgressOptions): Promise<RunResult> {
  const cancellation = cancelOnSignal(out);
  try {
    // Loaded here: the engine brings DuckDB, which commands that only plan or read logs never need.
    const { executePlan } = await import('../engine/execute-plan.js');
    const result = await executePlan(plan, {
      registry,
      session,
      signal: options.signal === undefined ? cancellation.signal : AbortSignal.any([cancellation.signal, options.signal]),
      onEvent: progressPrinter(out),
      ...(options.outputDir === undefined ? {} : { outputDir: options.outputDir }),
      ...options.memory,
    });
    if (options.json) out.json(summaryJson(result));
    else printSummary(result, out);
    if (result.error !== undefined && !options.json) {
      out.note(`error: ${result.error.message}`);
      if (result.error.hint !== undefined) out.note(`hint: ${result.error.hint}`);
    }
    return result;
  } finally {
    cancellation.dispose();
  }
}
