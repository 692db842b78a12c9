// The end-of-run summary: real time per step and in total, rows in and out, the files written, the session log.
import { relative } from 'node:path';
import Table from 'cli-table3';
import pc from 'picocolors';
import type { RunResult } from '../model/run-result.js';
import { bytes, count, ms } from './format.js';
import type { Printer } from './output-stream.js';

export function printSummary(result: RunResult, out: Printer): void {
  const table = new Table({ head: ['step', 'component', 'status', 'time', 'estimate', 'rows in', 'rows out'], style: { head: [], border: [], compact: true } });
  for (const step of result.steps) {
    table.push([step.node, step.component, step.status, ms(step.durationMs), ms(step.estimatedMs), count(step.rowsIn), count(step.rowsOut)]);
  }
  out.text();
  out.text(table.toString());
  for (const step of result.steps) {
    for (const adaptation of step.adaptations) out.text(pc.yellow(`  ${step.node}: ${adaptation}`));
  }
  const headline = `Run ${result.runId} ${result.status} in ${ms(result.durationMs)} (estimated ${ms(result.estimatedMs)})`;
  out.text(result.status === 'completed' ? pc.green(pc.bold(headline)) : pc.red(pc.bold(headline)));
  // A run that stopped before writing anything has no rows out, whatever its steps had read (engine/execute-plan.ts).
  out.text(`Rows: ${count(result.rowsIn)} in, ${result.status !== 'completed' && result.files.length === 0 ? 'nothing written' : `${count(result.rowsOut)} out`}`);
  if (result.files.length > 0) {
    out.text('Files written:');
    for (const file of result.files) {
      out.text(`  ${relative(process.cwd(), file.path) || file.path}  ${pc.dim(`${file.rows === null ? '' : `${count(file.rows)} rows, `}${bytes(file.bytes)}`)}`);
    }
  }
  if (result.status !== 'completed') out.text(`To continue from the first unfinished step: cs-helper resume ${result.runId.slice(0, 13)}`);
  if (result.sessionLog !== null) out.text(pc.dim(`Session log: ${relative(process.cwd(), result.sessionLog)}`));
}

/** The --json form of a run: stable snake_case keys for scripts. */
export function summaryJson(result: RunResult): Record<string, unknown> {
  return {
    run_id: result.runId,
    plan_id: result.planId,
    status: result.status,
    started_at: result.startedAt,
    duration_ms: result.durationMs,
    estimated_ms: result.estimatedMs,
    rows_in: result.rowsIn,
    rows_out: result.rowsOut,
    steps: result.steps.map((s) => ({
      node: s.node,
      component: s.component,
      status: s.status,
      duration_ms: s.durationMs,
      estimated_ms: s.estimatedMs,
      rows_in: s.rowsIn,
      rows_out: s.rowsOut,
      summary: s.summary,
      attempts: s.attempts,
      iterations: s.iterations,
      adaptations: s.adaptations,
      from_cache: s.fromCache === true,
      ...(s.error === undefined ? {} : { error: s.error }),
    })),
    files: result.files.map((f) => ({ output: f.output, path: f.path, format: f.format, bytes: f.bytes, rows: f.rows })),
    session_log: result.sessionLog,
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}
