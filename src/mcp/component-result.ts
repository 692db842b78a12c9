// The structured result of a component tool: the run's figures, what the component produced (columns, a preview of
// rows, its summary) and the files it wrote. The zod schema is the tool's output schema.
import { z } from 'zod';
import type { RunResult } from '../model/run-result.js';
import type { CapturedOutput } from './run-tool-plan.js';

const tableViewSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string(), role: z.string().nullable() })),
  row_count: z.number().int().nonnegative(),
  preview: z.array(z.record(z.string(), z.unknown())).describe('The first rows, long text cut at 200 characters'),
});

export const writtenFileSchema = z.object({ output: z.string(), path: z.string(), format: z.string(), bytes: z.number(), rows: z.number().nullable() });

export const stepSummarySchema = z.object({
  node: z.string(),
  component: z.string(),
  status: z.enum(['completed', 'failed', 'skipped', 'cancelled']),
  duration_ms: z.number(),
  rows_in: z.number(),
  rows_out: z.number(),
  summary: z.string(),
});

export const componentResultSchema = z.object({
  component: z.string(),
  run_id: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  duration_ms: z.number().describe('Measured wall-clock time of the run, import included'),
  message: z.string().describe("The component's own one-line account of what it did"),
  rows_in: z.number(),
  rows_out: z.number(),
  dataset: tableViewSchema.nullable().describe('The table the component produced, if any'),
  findings: tableViewSchema.nullable().describe('The findings the component produced (row_id, kind, label, score, source, entity, detail), if any'),
  summary: z.record(z.string(), z.unknown()).nullable().describe('Figures the component computed'),
  files: z.array(writtenFileSchema),
  steps: z.array(stepSummarySchema),
});
export type ComponentResult = z.infer<typeof componentResultSchema>;

export function stepSummaries(result: RunResult): z.infer<typeof stepSummarySchema>[] {
  return result.steps.map((s) => ({ node: s.node, component: s.component, status: s.status, duration_ms: s.durationMs, rows_in: s.rowsIn, rows_out: s.rowsOut, summary: s.summary }));
}

export function componentResult(componentId: string, result: RunResult, captured: CapturedOutput | null): ComponentResult {
  const own = result.steps.find((s) => s.component === componentId);
  return {
    component: componentId,
    run_id: result.runId,
    status: result.status,
    duration_ms: result.durationMs,
    message: captured?.message ?? own?.summary ?? '',
    rows_in: own?.rowsIn ?? result.rowsIn,
    rows_out: own?.rowsOut ?? result.rowsOut,
    dataset: captured?.dataset ?? null,
    findings: captured?.findings ?? null,
    summary: captured?.summary ?? null,
    files: result.files.map((f) => ({ output: f.output, path: f.path, format: f.format, bytes: f.bytes, rows: f.rows })),
    steps: stepSummaries(result),
  };
}
