// The events of a session log: a discriminated union on `event`, named noun-verb, one JSON object per line.
// Ids make a run readable as a tree: `trace_id` per workflow run, `span_id` per step with `parent_span_id`, and
// `operation` named after the OpenTelemetry GenAI conventions (`plan`, `invoke_workflow`, `execute_tool`) so the log
// can later be exported to tracing tools.

export type WorkflowStatus = 'planned' | 'in_progress' | 'completed' | 'failed' | 'retried' | 'adapted' | 'skipped' | 'cancelled';

export type SessionStatus = 'completed' | 'failed' | 'cancelled' | 'interrupted';

export type Operation = 'plan' | 'invoke_workflow' | 'execute_tool';

export interface TraceIds {
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly parent_span_id?: string;
  readonly operation?: Operation;
}

interface EventBase extends TraceIds {
  readonly timestamp: string;
  readonly session_id: string;
}

export interface SessionStartEvent extends EventBase {
  readonly event: 'session-start';
  readonly session_name: string;
  readonly user_agent: string;
  readonly tool_version: string;
  readonly platform: string;
  readonly node_version: string;
  readonly argv: readonly string[];
  readonly debug: boolean;
  /** The writing process and its machine: a reader on the same machine tells a dead writer at once (older logs: absent). */
  readonly pid?: number | undefined;
  readonly host?: string | undefined;
}

export interface SessionEndEvent extends EventBase {
  readonly event: 'session-end';
  readonly status: Exclude<SessionStatus, 'interrupted'>;
  readonly duration_ms: number;
  readonly summary: Readonly<Record<string, unknown>>;
}

export interface InteractionEvent extends EventBase {
  readonly event: 'interaction';
  readonly type: 'question' | 'answer';
  readonly text: string;
  /** Where it happened: `command_line`, `interactive_mode`, `mcp`. */
  readonly context: string;
  readonly input_type: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface WorkflowExecutionEvent extends EventBase {
  readonly event: 'workflow-execution';
  readonly workflow_name: string;
  readonly step_name: string;
  readonly status: WorkflowStatus;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface ToolCallEvent extends EventBase {
  readonly event: 'tool-call';
  /** A component id or an MCP tool name. */
  readonly tool: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly duration_ms: number;
  readonly rows_in: number | null;
  readonly rows_out: number | null;
  readonly result: string | null;
  readonly error: string | null;
}

export interface DecisionEvent extends EventBase {
  readonly event: 'decision';
  readonly decision: string;
  readonly chosen: string;
  readonly alternatives: readonly { readonly option: string; readonly score: number | null }[];
  readonly confidence: number | null;
  readonly threshold: number | null;
  readonly reasoning: string;
}

export interface DataOperationEvent extends EventBase {
  readonly event: 'data-operation';
  readonly operation_type: string;
  readonly target: string;
  readonly rows: number | null;
  readonly bytes: number | null;
  readonly columns: readonly string[] | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface InfoEvent extends EventBase {
  readonly event: 'info';
  readonly level: 'info' | 'warn' | 'debug';
  readonly type: string;
  readonly description: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface ErrorEvent extends EventBase {
  readonly event: 'error';
  readonly type: string;
  readonly message: string;
  readonly code: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Only in debug mode. */
  readonly stack?: string;
}

export type SessionEvent =
  | SessionStartEvent
  | SessionEndEvent
  | InteractionEvent
  | WorkflowExecutionEvent
  | ToolCallEvent
  | DecisionEvent
  | DataOperationEvent
  | InfoEvent
  | ErrorEvent;

export type SessionEventName = SessionEvent['event'];

/** An event as callers hand it in: the logger adds the time and the session id. */
export type SessionEventInput = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'timestamp' | 'session_id'> : never) : never;
