// The session logger: every interaction, decision, step, tool call and data operation as a JSON line, with ids to read a run as a tree.
import { platform, release } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { DataOperation, StepLog } from '../model/step-log.js';
import { TOOL_VERSION, USER_AGENT } from '../version.js';
import { JsonlWriter } from './jsonl-writer.js';
import { redact, redactArgv, redactText } from './redact.js';
import type { SessionEvent, SessionEventInput, WorkflowStatus } from './session-event.js';

export interface SessionOptions {
  readonly logDir: string;
  readonly sessionName?: string;
  readonly debug?: boolean;
  readonly argv?: readonly string[];
}

export interface TraceIds {
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly parent_span_id?: string;
}

export interface SessionSummary {
  readonly session_id: string;
  readonly session_name: string;
  readonly log_file: string;
  readonly duration_ms: number;
  readonly total_tool_calls: number;
  readonly total_workflow_steps: number;
  readonly total_errors: number;
  readonly total_decisions: number;
  readonly total_data_operations: number;
}

export class SessionLogger {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly path: string;
  readonly debug: boolean;
  readonly #writer: JsonlWriter;
  readonly #startedAt = performance.now();
  readonly #counts = { tool_calls: 0, workflow_steps: 0, errors: 0, decisions: 0, data_operations: 0 };
  readonly #onExit = (): void => {
    this.#writer.close();
  };

  private constructor(options: SessionOptions) {
    this.sessionId = uuidv7();
    this.sessionName = (options.sessionName ?? defaultSessionName(new Date())).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
    this.path = join(options.logDir, `${this.sessionName}_${this.sessionId}.jsonl`);
    this.debug = options.debug ?? false;
    this.#writer = new JsonlWriter(this.path);
    process.once('exit', this.#onExit);
  }

  static start(options: SessionOptions): SessionLogger {
    const logger = new SessionLogger(options);
    logger.#emit({
      event: 'session-start',
      session_name: logger.sessionName,
      user_agent: USER_AGENT,
      tool_version: TOOL_VERSION,
      platform: `${platform()} ${release()}`,
      node_version: process.version,
      argv: redactArgv(options.argv ?? []),
    });
    return logger;
  }

  logInfo(type: string, description: string, metadata: Record<string, unknown> = {}, ids: TraceIds = {}): void {
    this.#emit({ event: 'info', level: 'info', type, description, metadata, ...ids });
  }

  logWarning(type: string, description: string, metadata: Record<string, unknown> = {}, ids: TraceIds = {}): void {
    this.#emit({ event: 'info', level: 'warn', type, description, metadata, ...ids });
  }

  logError(type: string, message: string, metadata: Record<string, unknown> = {}, ids: TraceIds = {}, error?: unknown): void {
    this.#counts.errors += 1;
    const code = error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : null;
    const stack = this.debug && error instanceof Error && error.stack !== undefined ? { stack: redactText(error.stack) } : {};
    this.#emit({ event: 'error', type, message, code, metadata, ...ids, ...stack });
  }

  logInteraction(type: 'question' | 'answer', text: string, context: string, metadata: Record<string, unknown> = {}): void {
    this.#emit({ event: 'interaction', type, text, context, metadata });
  }

  logWorkflowExecution(entry: { workflowName: string; stepName: string; status: WorkflowStatus; metadata?: Record<string, unknown> }, ids: TraceIds = {}): void {
    if (entry.stepName !== 'workflow' && (entry.status === 'completed' || entry.status === 'failed')) this.#counts.workflow_steps += 1;
    this.#emit({ event: 'workflow-execution', workflow_name: entry.workflowName, step_name: entry.stepName, status: entry.status, metadata: entry.metadata ?? {}, ...ids });
  }

  logToolCall(entry: { tool: string; parameters: Record<string, unknown>; durationMs: number; rowsIn?: number; rowsOut?: number; result?: string; error?: string }, ids: TraceIds = {}): void {
    this.#counts.tool_calls += 1;
    this.#emit({
      event: 'tool-call',
      tool: entry.tool,
      parameters: entry.parameters,
      duration_ms: round(entry.durationMs),
      rows_in: entry.rowsIn ?? null,
      rows_out: entry.rowsOut ?? null,
      result: entry.result ?? null,
      error: entry.error ?? null,
      ...ids,
    });
  }

  logDecision(entry: { decision: string; chosen: string; alternatives?: { option: string; score: number | null }[]; confidence?: number; threshold?: number; reasoning: string }, ids: TraceIds = {}): void {
    this.#counts.decisions += 1;
    this.#emit({
      event: 'decision',
      decision: entry.decision,
      chosen: entry.chosen,
      alternatives: entry.alternatives ?? [],
      confidence: entry.confidence ?? null,
      threshold: entry.threshold ?? null,
      reasoning: entry.reasoning,
      ...ids,
    });
  }

  logDataOperation(operation: DataOperation, ids: TraceIds = {}): void {
    this.#counts.data_operations += 1;
    this.#emit({
      event: 'data-operation',
      operation: operation.operation,
      target: operation.target,
      rows: operation.rows ?? null,
      bytes: operation.bytes ?? null,
      columns: operation.columns ?? null,
      detail: operation.detail ?? {},
      ...ids,
    });
  }

  /** The log a component sees: scoped to its step's span. */
  stepLog(ids: TraceIds): StepLog {
    return {
      info: (type, description, metadata = {}) => {
        this.logInfo(type, description, { ...metadata }, ids);
      },
      warn: (type, description, metadata = {}) => {
        this.logWarning(type, description, { ...metadata }, ids);
      },
      dataOperation: (operation) => {
        this.logDataOperation(operation, ids);
      },
    };
  }

  getSessionSummary(): SessionSummary {
    return {
      session_id: this.sessionId,
      session_name: this.sessionName,
      log_file: this.path,
      duration_ms: round(performance.now() - this.#startedAt),
      total_tool_calls: this.#counts.tool_calls,
      total_workflow_steps: this.#counts.workflow_steps,
      total_errors: this.#counts.errors,
      total_decisions: this.#counts.decisions,
      total_data_operations: this.#counts.data_operations,
    };
  }

  endSession(status: 'completed' | 'failed' | 'cancelled', summary: Record<string, unknown> = {}): SessionSummary {
    const result = this.getSessionSummary();
    if (!this.#writer.closed) {
      this.#emit({ event: 'session-end', status, duration_ms: result.duration_ms, summary: { ...result, ...summary } });
      this.#writer.close();
      process.removeListener('exit', this.#onExit);
    }
    return result;
  }

  #emit(event: SessionEventInput): void {
    const full = { timestamp: new Date().toISOString(), session_id: this.sessionId, ...event } as SessionEvent;
    this.#writer.write(JSON.stringify(redact(full)));
  }
}

export function defaultSessionName(date: Date): string {
  const iso = date.toISOString();
  return `session_${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
