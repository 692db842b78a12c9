// Runs a plan for an MCP tool call through the engine: the connection's session log, progress notifications when
// asked for, the request's cancellation (and the server's shutdown) as the run's signal. For a single component it
// also keeps what that component produced (columns, a few rows, its summary), read while the workspace is open.
import type { AnyComponent, ComponentOutput } from '../components/component.js';
import { ComponentRegistry } from '../components/registry.js';
import type { DatasetHandle } from '../model/dataset.js';
import type { RunResult } from '../model/run-result.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { quoteIdent } from '../data/sql-text.js';
import type { PlainValue } from '../data/plain-value.js';
import type { ConnectionScope } from './connection-scope.js';
import type { McpDeps } from './mcp-deps.js';
import { progressNotifier, type ToolExtra } from './progress-notifier.js';

/** Rows shown of a result table: enough for a model to see the shape, never the data set. */
export const PREVIEW_ROWS = 10;
const MAX_CELL_CHARS = 200;
const MAX_SUMMARY_CHARS = 64 * 1024;

export interface TableView {
  readonly columns: { name: string; type: string; role: string | null }[];
  readonly row_count: number;
  readonly preview: Record<string, PlainValue>[];
}

export interface CapturedOutput {
  readonly message: string;
  readonly dataset: TableView | null;
  readonly findings: TableView | null;
  readonly summary: Record<string, PlainValue> | null;
}

export interface ToolRun {
  readonly result: RunResult;
  /** What the captured component produced; null when it did not run (failed, cancelled) or none was asked for. */
  readonly captured: CapturedOutput | null;
}

export async function runToolPlan(plan: WorkflowPlan, deps: McpDeps, scope: ConnectionScope, extra: ToolExtra, capture?: string): Promise<ToolRun> {
  const { executePlan } = await import('../engine/execute-plan.js');
  let captured: CapturedOutput | null = null;
  const registry = capture === undefined ? deps.registry : capturingRegistry(deps.registry, capture, (output) => {
    captured = output;
  });
  const progress = progressNotifier(extra);
  const { journal, ...memory } = deps.state.runMemory;
  const result = await scope.track(executePlan(plan, {
    registry,
    session: scope.session,
    signal: AbortSignal.any([extra.signal, deps.shutdown, scope.signal]),
    onEvent: (event) => {
      if (event.type === 'run-start') journal.started(event.runId, plan, plan.output_dir, null);
      progress?.(event);
    },
    // A captured component must really run: a cached result would skip the capture.
    ...(capture === undefined ? memory : { estimates: memory.estimates }),
  }));
  journal.ended(result.runId, result.status);
  return { result, captured };
}

/** The same components, the captured one wrapped so that its output is described before the workspace closes. */
function capturingRegistry(source: ComponentRegistry, id: string, keep: (output: CapturedOutput) => void): ComponentRegistry {
  const registry = new ComponentRegistry();
  for (const component of source.list()) {
    if (component.id !== id) {
      registry.register(component, source.sourceOf(component.id));
      continue;
    }
    const wrapped: AnyComponent = {
      ...component,
      run: async (context, inputs, params) => {
        const output: ComponentOutput = await component.run(context, inputs, params);
        const view = async (handle: DatasetHandle | undefined): Promise<TableView | null> => (handle === undefined ? null : tableView(handle, (sql) => context.sql.all(sql, [], context.signal)));
        keep({ message: output.message, dataset: await view(output.dataset), findings: await view(output.findings), summary: boundedSummary(output.summary) });
        return output;
      },
    };
    registry.register(wrapped, source.sourceOf(component.id));
  }
  return registry;
}

async function tableView(handle: DatasetHandle, all: (sql: string) => Promise<Record<string, PlainValue>[]>): Promise<TableView> {
  const names = handle.columns.map((c) => quoteIdent(c.name)).join(', ');
  const rows = names === '' ? [] : await all(`SELECT ${names} FROM ${quoteIdent(handle.table)} LIMIT ${PREVIEW_ROWS}`);
  return {
    columns: handle.columns.map((c) => ({ name: c.name, type: c.sqlType, role: c.role })),
    row_count: handle.rowCount,
    preview: rows.map((row) => {
      const out: Record<string, PlainValue> = {};
      for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'string' && value.length > MAX_CELL_CHARS ? `${value.slice(0, MAX_CELL_CHARS)}…` : value;
      return out;
    }),
  };
}

function boundedSummary(summary: Readonly<Record<string, PlainValue>> | undefined): Record<string, PlainValue> | null {
  if (summary === undefined) return null;
  const text = JSON.stringify(summary);
  if (text.length <= MAX_SUMMARY_CHARS) return { ...summary };
  return { truncated: true, note: `the summary is ${text.length} characters; the first keys are kept`, keys: Object.keys(summary).slice(0, 100) };
}
