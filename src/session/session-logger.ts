// A session: its id and name, its live JSON Lines stream, its counters, and its end (compiled and rotated by the caller).
import { hostname, platform, release } from 'node:os';
import { join } from 'node:path';
import { uuidV7 } from '../ids/uuid-v7.js';
import { TOOL_VERSION, USER_AGENT } from '../version.js';
import { compileSessionFile } from './compile-session.js';
import { JsonlWriter } from './jsonl-writer.js';
import { eventMembers } from './event-members.js';
import { redactArgv } from './redact.js';
import type { SessionEventInput } from './session-event.js';
import { SessionLog, type SessionSink } from './session-log.js';

export interface SessionOptions {
  readonly logDir: string;
  readonly sessionName?: string;
  /** A session id chosen elsewhere (a queue job carries its own); a fresh UUIDv7 when absent. */
  readonly sessionId?: string;
  readonly debug?: boolean;
  readonly argv?: readonly string[];
  /** Longest time an event waits in memory (default 100 ms). */
  readonly flushIntervalMs?: number;
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

type Counter = 'tool_calls' | 'workflow_steps' | 'errors' | 'decisions' | 'data_operations';

export class SessionLogger extends SessionLog {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly logDir: string;
  readonly path: string;
  readonly debug: boolean;
  readonly #writer: JsonlWriter;
  readonly #startedAt = performance.now();
  readonly #counts: Record<Counter, number>;
  readonly #prefix: string;

  private constructor(options: SessionOptions, sessionId: string, sessionName: string, writer: JsonlWriter, counts: Record<Counter, number>, sink: SessionSink, prefix: string) {
    super(sink);
    this.sessionId = sessionId;
    this.sessionName = sessionName;
    this.logDir = options.logDir;
    this.path = writer.path;
    this.debug = options.debug ?? false;
    this.#writer = writer;
    this.#counts = counts;
    this.#prefix = prefix;
  }

  static start(options: SessionOptions): SessionLogger {
    const sessionId = options.sessionId ?? uuidV7();
    const sessionName = (options.sessionName ?? defaultSessionName(new Date())).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
    const writer = new JsonlWriter(join(options.logDir, `${sessionName}_${sessionId}.jsonl`), options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs });
    const prefix = `,"session_id":${JSON.stringify(sessionId)},`;
    const counts: Record<Counter, number> = { tool_calls: 0, workflow_steps: 0, errors: 0, decisions: 0, data_operations: 0 };
    const sink: SessionSink = {
      debug: options.debug ?? false,
      emit: (event, idsJson) => {
        writer.write(serialise(prefix, event, idsJson));
      },
      count: (kind) => {
        counts[kind] += 1;
      },
    };
    const logger = new SessionLogger(options, sessionId, sessionName, writer, counts, sink, prefix);
    sink.emit({
      event: 'session-start',
      session_name: sessionName,
      user_agent: USER_AGENT,
      tool_version: TOOL_VERSION,
      platform: `${platform()} ${release()} ${process.arch}`,
      node_version: process.version,
      argv: redactArgv(options.argv ?? []),
      debug: options.debug ?? false,
      pid: process.pid,
      host: hostname(),
    }, '');
    return logger;
  }

  getSessionSummary(): SessionSummary {
    return {
      session_id: this.sessionId,
      session_name: this.sessionName,
      log_file: this.path,
      duration_ms: Math.round((performance.now() - this.#startedAt) * 100) / 100,
      total_tool_calls: this.#counts.tool_calls,
      total_workflow_steps: this.#counts.workflow_steps,
      total_errors: this.#counts.errors,
      total_decisions: this.#counts.decisions,
      total_data_operations: this.#counts.data_operations,
    };
  }

  get ended(): boolean {
    return this.#writer.closed;
  }

  /** Where the session's record will be once it is closed: the compiled document beside the stream. */
  get compiledPath(): string {
    return this.path.replace(/\.jsonl$/, '.json');
  }

  /**
   * Ends the session and compiles its stream into `<name>_<id>.json` (the stream is then removed: the document is the
   * record). A compile failure leaves the stream, which is complete, and is reported to the caller, never thrown.
   */
  async close(summary: Record<string, unknown> = {}, status: 'completed' | 'failed' | 'cancelled' = 'completed'): Promise<{ summary: SessionSummary; path: string; problem: string | null }> {
    const result = this.endSession(summary, status);
    try {
      const compiled = await compileSessionFile(this.path, { removeStream: true });
      return { summary: result, path: compiled.path, problem: null };
    } catch (error) {
      return { summary: result, path: this.path, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Writes the session-end event, flushes, fsyncs and closes the stream. Idempotent. */
  endSession(summary: Record<string, unknown> = {}, status: 'completed' | 'failed' | 'cancelled' = 'completed'): SessionSummary {
    const result = this.getSessionSummary();
    if (!this.#writer.closed) {
      this.#writer.write(serialise(this.#prefix, { event: 'session-end', status, duration_ms: result.duration_ms, summary: { ...result, ...summary } }, ''));
      this.#writer.close();
    }
    return result;
  }
}

/** One JSON line: the timestamp and session id, the event's own members (redacted), then its scope's ids (`idsJson`, made once per scope). */
function serialise(prefix: string, event: SessionEventInput, idsJson: string): string {
  return `{"timestamp":"${isoNow()}"${prefix}${eventMembers(event)}${idsJson}}`;
}

export function defaultSessionName(date: Date): string {
  const iso = date.toISOString();
  return `session_${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
}

let lastMillis = -1;
let lastIso = '';

/** The current time as ISO 8601, formatted once per millisecond: events come in bursts, and formatting costs ~1 us. */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
