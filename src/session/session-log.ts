// The logging API, scoped: a child logger adds its trace, span and operation to every event it writes.
import type { DataOperation, StepLog } from '../model/step-log.js';
import { redact } from './redact.js';
import type { SessionEventInput, TraceIds, WorkflowStatus } from './session-event.js';

/** Where scoped loggers send their events: the session's writer and counters. */
export interface SessionSink {
  readonly debug: boolean;
  /** `idsJson` is the scope's ids as JSON members (`,"trace_id":"…",…`), serialised once per scope rather than per event. */
  emit(event: SessionEventInput, idsJson: string): void;
  count(kind: 'tool_calls' | 'workflow_steps' | 'errors' | 'decisions' | 'data_operations'): void;
}

export interface ToolCallEntry {
  readonly tool: string;
  readonly parameters: Record<string, unknown>;
  readonly durationMs: number;
  readonly rowsIn?: number;
  readonly rowsOut?: number;
  readonly result?: string;
  readonly error?: string;
}

export interface DecisionEntry {
  readonly decision: string;
  readonly chosen: string;
  readonly alternatives?: readonly { option: string; score: number | null }[];
  readonly confidence?: number;
  readonly threshold?: number;
  readonly reasoning: string;
}

export interface WorkflowEntry {
  readonly workflowName: string;
  readonly stepName: string;
  readonly status: WorkflowStatus;
  readonly metadata?: Record<string, unknown>;
}

export class SessionLog {
  readonly #sink: SessionSink;
  readonly #ids: TraceIds;
  readonly #idsJson: string;

  constructor(sink: SessionSink, ids: TraceIds = {}) {
    this.#sink = sink;
    this.#ids = ids;
    this.#idsJson = idsAsJsonMembers(ids);
  }

  get ids(): TraceIds {
    return this.#ids;
  }

  /** A logger for a run or a step: its ids are added to every event (a span's parent is the span it came from). */
  child(ids: TraceIds): SessionLog {
    return new SessionLog(this.#sink, { ...this.#ids, ...(this.#ids.span_id === undefined || ids.span_id === undefined ? {} : { parent_span_id: this.#ids.span_id }), ...ids });
  }

  logInfo(type: string, description: string, metadata: Record<string, unknown> = {}): void {
    this.#sink.emit({ event: 'info', level: 'info', type, description, metadata }, this.#idsJson);
  }

  logWarning(type: string, description: string, metadata: Record<string, unknown> = {}): void {
    this.#sink.emit({ event: 'info', level: 'warn', type, description, metadata }, this.#idsJson);
  }

  /** Written only in debug mode (`--debug` or CS_HELPER_DEBUG=1). */
  logDebug(type: string, description: string, metadata: Record<string, unknown> = {}): void {
    if (this.#sink.debug) this.#sink.emit({ event: 'info', level: 'debug', type, description, metadata }, this.#idsJson);
  }

  logError(type: string, message: string, metadata: Record<string, unknown> = {}, error?: unknown): void {
    this.#sink.count('errors');
    const code = error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : null;
    const stack = this.#sink.debug && error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {};
    this.#sink.emit({ event: 'error', type, message, code, metadata, ...stack }, this.#idsJson);
  }

  logInteraction(type: 'question' | 'answer', text: string, context: string, metadata: Record<string, unknown> = {}, inputType: string | null = null): void {
    this.#sink.emit({ event: 'interaction', type, text, context, input_type: inputType, metadata }, this.#idsJson);
  }

  logWorkflowExecution(entry: WorkflowEntry): void {
    if (entry.stepName !== 'workflow' && entry.stepName !== 'plan' && (entry.status === 'completed' || entry.status === 'failed')) this.#sink.count('workflow_steps');
    this.#sink.emit({ event: 'workflow-execution', workflow_name: entry.workflowName, step_name: entry.stepName, status: entry.status, metadata: entry.metadata ?? {} }, this.#idsJson);
  }

  logToolCall(entry: ToolCallEntry): void {
    this.#sink.count('tool_calls');
    this.#sink.emit({
      event: 'tool-call',
      tool: entry.tool,
      parameters: entry.parameters,
      duration_ms: round(entry.durationMs),
      rows_in: entry.rowsIn ?? null,
      rows_out: entry.rowsOut ?? null,
      result: entry.result ?? null,
      error: entry.error ?? null,
    }, this.#idsJson);
  }

  logDecision(entry: DecisionEntry): void {
    this.#sink.count('decisions');
    this.#sink.emit({
      event: 'decision',
      decision: entry.decision,
      chosen: entry.chosen,
      alternatives: entry.alternatives ?? [],
      confidence: entry.confidence ?? null,
      threshold: entry.threshold ?? null,
      reasoning: entry.reasoning,
    }, this.#idsJson);
  }

  logDataOperation(operation: DataOperation): void {
    this.#sink.count('data_operations');
    this.#sink.emit({
      event: 'data-operation',
      operation_type: operation.operation,
      target: operation.target,
      rows: operation.rows ?? null,
      bytes: operation.bytes ?? null,
      columns: operation.columns ?? null,
      detail: operation.detail ?? {},
    }, this.#idsJson);
  }

  /** The narrow log a component sees. */
  stepLog(): StepLog {
    return {
      info: (type, description, metadata = {}) => {
        this.logInfo(type, description, { ...metadata });
      },
      warn: (type, description, metadata = {}) => {
        this.logWarning(type, description, { ...metadata });
      },
      dataOperation: (operation) => {
        this.logDataOperation(operation);
      },
      decision: (entry) => {
        this.logDecision(entry);
      },
    };
  }
}

/**
 * A scope's ids as the JSON members every one of its events ends with. Made once per scope, and redacted like any event
 * text (ids are ours, but a run's name can come from a user).
 */
function idsAsJsonMembers(ids: TraceIds): string {
  const safe = redact(ids) as Record<string, unknown>;
  let out = '';
  for (const [key, value] of Object.entries(safe)) if (value !== undefined) out += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export { redact };
