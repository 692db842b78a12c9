// The events of a session log: a discriminated union on `event`, named noun-verb.

export type WorkflowStatus = 'planned' | 'in_progress' | 'completed' | 'failed' | 'retried' | 'adapted' | 'skipped' | 'cancelled';

interface EventBase {
  readonly timestamp: string;
  readonly session_id: string;
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly parent_span_id?: string;
}

export type SessionEvent =
  | (EventBase & { event: 'session-start'; session_name: string; user_agent: string; tool_version: string; platform: string; node_version: string; argv: readonly string[] })
  | (EventBase & { event: 'session-end'; status: 'completed' | 'failed' | 'cancelled'; duration_ms: number; summary: Readonly<Record<string, unknown>> })
  | (EventBase & { event: 'interaction'; type: 'question' | 'answer'; text: string; context: string; metadata: Readonly<Record<string, unknown>> })
  | (EventBase & { event: 'workflow-execution'; workflow_name: string; step_name: string; status: WorkflowStatus; metadata: Readonly<Record<string, unknown>> })
  | (EventBase & { event: 'tool-call'; tool: string; parameters: Readonly<Record<string, unknown>>; duration_ms: number; rows_in: number | null; rows_out: number | null; result: string | null; error: string | null })
  | (EventBase & { event: 'decision'; decision: string; chosen: string; alternatives: readonly { option: string; score: number | null }[]; confidence: number | null; threshold: number | null; reasoning: string })
  | (EventBase & { event: 'data-operation'; operation: string; target: string; rows: number | null; bytes: number | null; columns: readonly string[] | null; detail: Readonly<Record<string, unknown>> })
  | (EventBase & { event: 'info'; level: 'info' | 'warn' | 'debug'; type: string; description: string; metadata: Readonly<Record<string, unknown>> })
  | (EventBase & { event: 'error'; type: string; message: string; code: string | null; metadata: Readonly<Record<string, unknown>>; stack?: string });

export type SessionEventName = SessionEvent['event'];

/** An event as callers hand it in: the logger adds time and ids. */
export type SessionEventInput = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'timestamp' | 'session_id'> : never) : never;
