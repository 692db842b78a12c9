// The end of a batch: one row per workflow (status, rows, measured time, files, error), the totals, and the --json form.
import { basename, relative } from 'node:path';
import Table from 'cli-table3';
import pc from 'picocolors';
import { count, ms } from '../format.js';
import type { Printer } from '../output-stream.js';
import type { BatchResult } from './run-batch.js';

export interface BatchTotals {
  readonly workflows: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly rows_in: number;
  readonly rows_out: number;
  readonly files: number;
}

export interface BatchSummary {
  readonly file: string;
  readonly outputDir: string;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly sessionLog: string;
  readonly results: readonly BatchResult[];
}

/** Long errors are cut in the table; each is printed whole, with its hint, below it. */
const ERROR_CELL_CHARS = 60;

export function batchTotals(results: readonly BatchResult[]): BatchTotals {
  return {
    workflows: results.length,
    completed: results.filter((r) => r.status === 'completed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    cancelled: results.filter((r) => r.status === 'cancelled').length,
    rows_in: results.reduce((sum, r) => sum + r.rowsIn, 0),
    rows_out: results.reduce((sum, r) => sum + r.rowsOut, 0),
    files: results.reduce((sum, r) => sum + r.files.length, 0),
  };
}

export function printBatch(summary: BatchSummary, out: Printer): void {
  const table = new Table({ head: ['line', 'id', 'status', 'rows in', 'rows out', 'time', 'files', 'error'], style: { head: [], border: [], compact: true } });
  for (const r of summary.results) {
    const error = r.error === null ? '' : r.error.message.length > ERROR_CELL_CHARS ? `${r.error.message.slice(0, ERROR_CELL_CHARS - 1)}…` : r.error.message;
    table.push([r.line, r.id ?? '', r.status, count(r.rowsIn), count(r.rowsOut), r.durationMs === 0 ? '' : ms(r.durationMs), r.files.map((f) => basename(f.path)).join(', '), error]);
  }
  out.text(table.toString());
  for (const r of summary.results) {
    if (r.error === null) continue;
    out.text(pc.red(`line ${r.line}${r.id === null ? '' : ` (${r.id})`}: ${r.error.message}`));
    if (r.error.hint !== undefined) out.text(`  hint: ${r.error.hint}`);
  }
  const t = batchTotals(summary.results);
  const headline = `${t.workflows} workflows in ${ms(summary.durationMs)} (concurrency ${summary.concurrency}): ${t.completed} completed, ${t.failed} failed, ${t.cancelled} cancelled`;
  out.text(t.completed === t.workflows ? pc.green(pc.bold(headline)) : pc.red(pc.bold(headline)));
  out.text(`Rows: ${count(t.rows_in)} in, ${count(t.rows_out)} out; ${t.files} files written under ${shown(summary.outputDir)}`);
  out.text(pc.dim(`Session log: ${shown(summary.sessionLog)}`));
}

/** The --json form: stable snake_case keys for scripts, every workflow in line order. */
export function batchJson(summary: BatchSummary): Record<string, unknown> {
  const totals = batchTotals(summary.results);
  return {
    status: totals.completed === totals.workflows ? 'completed' : totals.cancelled > 0 && totals.failed === 0 ? 'cancelled' : 'failed',
    file: summary.file,
    output_dir: summary.outputDir,
    concurrency: summary.concurrency,
    duration_ms: summary.durationMs,
    totals,
    results: summary.results.map((r) => ({
      line: r.line,
      id: r.id,
      status: r.status,
      problem: r.problem,
      output_dir: r.outputDir,
      plan_id: r.planId,
      run_id: r.runId,
      rows_in: r.rowsIn,
      rows_out: r.rowsOut,
      duration_ms: r.durationMs,
      files: r.files.map((f) => ({ output: f.output, path: f.path, format: f.format, bytes: f.bytes, rows: f.rows })),
      error: r.error,
    })),
    session_log: summary.sessionLog,
  };
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}
