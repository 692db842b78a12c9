// The runs of a session read back as a tree: each workflow run (one trace id) with its steps, their final status and
// measured time, from the flat `workflow_executions` rows of a compiled document.
import type { CompiledSession, CompiledWorkflowExecution } from './compiled-session.js';

export interface RunStepView {
  readonly step: string;
  readonly component: string | null;
  /** The step's last status; `interrupted` when the session died before the step ended. */
  readonly status: string;
  readonly started_at: string;
  readonly duration_ms: number | null;
  readonly estimated_ms: number | null;
  readonly rows_in: number | null;
  readonly rows_out: number | null;
  readonly attempts: number | null;
  readonly error: string | null;
}

export interface RunView {
  readonly trace_id: string | null;
  readonly workflow_name: string;
  readonly status: string;
  readonly started_at: string;
  readonly duration_ms: number | null;
  readonly estimated_ms: number | null;
  readonly steps: readonly RunStepView[];
}

const FINAL = new Set(['completed', 'failed', 'cancelled', 'skipped']);

export function sessionRuns(document: CompiledSession): RunView[] {
  const live = document.session_metadata.status === 'running';
  const unfinished = (status: string): string => (FINAL.has(status) || live ? status : 'interrupted');
  const byRun = new Map<string, CompiledWorkflowExecution[]>();
  for (const row of document.workflow_executions) {
    // Planning happens before a run exists; it is shown with the decisions, not as a run.
    if (row.step_name === 'plan') continue;
    const key = row.trace_id ?? row.workflow_name;
    const rows = byRun.get(key);
    if (rows === undefined) byRun.set(key, [row]);
    else rows.push(row);
  }
  return [...byRun.values()].map((rows): RunView => {
    const first = rows[0];
    const workflowRows = rows.filter((r) => r.step_name === 'workflow');
    const end = workflowRows.at(-1);
    const steps = new Map<string, CompiledWorkflowExecution[]>();
    for (const row of rows) {
      if (row.step_name === 'workflow') continue;
      const list = steps.get(row.step_name);
      if (list === undefined) steps.set(row.step_name, [row]);
      else list.push(row);
    }
    return {
      trace_id: first?.trace_id ?? null,
      workflow_name: first?.workflow_name ?? '',
      status: unfinished(end?.status ?? 'in_progress'),
      started_at: workflowRows[0]?.timestamp ?? first?.timestamp ?? '',
      duration_ms: numberIn(workflowRows, 'duration_ms'),
      estimated_ms: numberIn(workflowRows, 'estimated_ms'),
      steps: [...steps.entries()].map(([step, stepRows]) => ({
        step,
        component: stringIn(stepRows, 'component'),
        status: unfinished(stepRows.at(-1)?.status ?? 'in_progress'),
        started_at: stepRows[0]?.timestamp ?? '',
        duration_ms: numberIn(stepRows, 'duration_ms'),
        estimated_ms: numberIn(stepRows, 'estimated_ms'),
        rows_in: numberIn(stepRows, 'rows_in'),
        rows_out: numberIn(stepRows, 'rows_out'),
        attempts: numberIn(stepRows, 'attempts'),
        // A retried step that then completed carries its earlier error in the `retried` row: not the step's outcome.
        error: stepRows.at(-1)?.status === 'failed' || stepRows.at(-1)?.status === 'cancelled' ? stringIn(stepRows, 'error') : null,
      })),
    };
  });
}

/** The value of a metadata key in the latest row that has it. */
function numberIn(rows: readonly CompiledWorkflowExecution[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i -= 1) {
    const value = rows[i]?.metadata[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

function stringIn(rows: readonly CompiledWorkflowExecution[], key: string): string | null {
  for (let i = rows.length - 1; i >= 0; i -= 1) {
    const value = rows[i]?.metadata[key];
    if (typeof value === 'string') return value;
  }
  return null;
}
