// Runs a plan from the command line: progress on stderr, Ctrl-C cancels cleanly, the summary at the end.
import type { ComponentRegistry } from '../components/registry.js';
import type { RunResult } from '../model/run-result.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { SessionLogger } from '../session/session-logger.js';
import type { Printer } from './output-stream.js';
import { printSummary, summaryJson } from './print-summary.js';
import { progressPrinter } from './progress.js';

export async function runWithProgress(plan: WorkflowPlan, registry: ComponentRegistry, session: SessionLogger, out: Printer, options: { outputDir?: string; json: boolean }): Promise<RunResult> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    out.note('cancelling... (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Loaded here: the engine brings DuckDB, which commands that only plan or read logs never need.
    const { executePlan } = await import('../engine/execute-plan.js');
    const result = await executePlan(plan, {
      registry,
      session,
      signal: controller.signal,
      onEvent: progressPrinter(out),
      ...(options.outputDir === undefined ? {} : { outputDir: options.outputDir }),
    });
    if (options.json) out.json(summaryJson(result));
    else printSummary(result, out);
    if (result.error !== undefined && !options.json) {
      out.note(`error: ${result.error.message}`);
      if (result.error.hint !== undefined) out.note(`hint: ${result.error.hint}`);
    }
    return result;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
