// Compiles a session's event stream into the session document of the guide (see compiled-session.ts), and writes it
// beside the stream. Compiling is pure and total: any sequence of events gives a document, so a crashed session still
// has a readable record (status `interrupted`, ending at its last event).
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SessionLogError } from '../model/errors/session-log-error.js';
import { writeFileAtomic } from './atomic-file.js';
import { COMPILED_SESSION_FORMAT, type CompiledSession, type CompiledSessionStatus } from './compiled-session.js';
import type { SessionEvent, SessionStartEvent, TraceIds } from './session-event.js';
import { parseSessionFileName, readSessionEvents, sessionFileName, uuidv7Time } from './session-files.js';

export interface CompileOptions {
  /**
   * Whether the writer is known to be gone. A session without `session-end` is then `interrupted`; otherwise it may
   * still be running and is reported as `running` (only ever shown, never written).
   */
  readonly interrupted: boolean;
  /** Identity from the file name, for a stream whose `session-start` line was lost. */
  readonly fallback?: { readonly sessionId: string; readonly sessionName: string; readonly startTime: string };
}

export interface CompiledSessionFile {
  readonly path: string;
  readonly document: CompiledSession;
  readonly tornLastLine: boolean;
  readonly invalidLines: readonly number[];
}

/** Steps are the plan's nodes; `workflow` rows are the run itself and `plan` rows the planning. */
const NOT_STEPS = new Set(['workflow', 'plan']);

export function compileSession(events: readonly SessionEvent[], options: CompileOptions): CompiledSession {
  const start = events.find((e): e is SessionStartEvent => e.event === 'session-start');
  const end = events.findLast((e) => e.event === 'session-end');
  const first = events[0];
  const last = events.at(-1);
  const sessionId = start?.session_id ?? options.fallback?.sessionId ?? first?.session_id;
  if (sessionId === undefined) throw new SessionLogError('(events)', 'empty', 'no events and no session id to compile');

  const startTime = start?.timestamp ?? options.fallback?.startTime ?? first?.timestamp ?? new Date(0).toISOString();
  const endTime = end?.timestamp ?? latest(startTime, last?.timestamp);
  const status: CompiledSessionStatus = end?.status ?? (options.interrupted ? 'interrupted' : 'running');
  const durationMs = end?.duration_ms ?? Math.max(0, Date.parse(endTime) - Date.parse(startTime));

  const document: CompiledSession = {
    format_version: COMPILED_SESSION_FORMAT,
    session_metadata: {
      session_id: sessionId,
      session_name: start?.session_name ?? options.fallback?.sessionName ?? 'unknown',
      start_time: startTime,
      end_time: endTime,
      duration_ms: durationMs,
      user_agent: start?.user_agent ?? 'unknown',
      status,
      tool_version: start?.tool_version ?? 'unknown',
      platform: start?.platform ?? 'unknown',
      node_version: start?.node_version ?? 'unknown',
      debug: start?.debug ?? false,
      argv: [...(start?.argv ?? [])],
    },
    performance_metrics: {
      total_tool_calls: 0,
      total_workflow_steps: 0,
      total_errors: 0,
      total_decisions: 0,
      total_data_operations: 0,
      session_duration_ms: durationMs,
      plan_generation_ms: [],
      cache_hits: 0,
      cache_misses: 0,
      pattern_cache_hits: 0,
      pattern_cache_misses: 0,
      result_cache_hits: 0,
      result_cache_misses: 0,
      runs: { started: 0, completed: 0, failed: 0, cancelled: 0 },
    },
    agent_interactions: [],
    workflow_executions: [],
    tool_calls: [],
    decision_points: [],
    data_operations: [],
    log_entries: [],
    errors: [],
  };

  const plans: PlanTally = { withoutLookup: 0 };
  for (const event of events) collect(document, event, plans);

  const metrics = document.performance_metrics;
  metrics.total_tool_calls = document.tool_calls.length;
  metrics.total_errors = document.errors.length;
  metrics.total_decisions = document.decision_points.length;
  metrics.total_data_operations = document.data_operations.length;
  // Both caches: the keys the guide's readers know count every cache lookup, the per-cache keys say where.
  metrics.cache_hits = metrics.pattern_cache_hits + metrics.result_cache_hits;
  metrics.cache_misses = metrics.pattern_cache_misses + metrics.result_cache_misses;
  if (plans.withoutLookup > 0) document.performance_metrics = withPlansWithoutLookup(metrics, plans.withoutLookup);
  return document;
}

/** What the document counts outside its own members while the events are read. */
interface PlanTally {
  withoutLookup: number;
}

/**
 * The metrics with `pattern_cache_without_lookup` beside the pattern cache's counts: the plans made with no lookup, so
 * that hits + misses + these add up to the plans, as in `cs-helper metrics`. Written only when there are such plans: a
 * session that had none keeps the document's shape of before.
 */
function withPlansWithoutLookup(metrics: CompiledSession['performance_metrics'], count: number): CompiledSession['performance_metrics'] {
  const { result_cache_hits, result_cache_misses, runs, ...before } = metrics;
  return { ...before, pattern_cache_without_lookup: count, result_cache_hits, result_cache_misses, runs };
}

function collect(document: CompiledSession, event: SessionEvent, plans: PlanTally): void {
  const ids = idsOf(event);
  const { timestamp } = event;
  const metrics = document.performance_metrics;
  switch (event.event) {
    case 'session-start':
    case 'session-end':
      return;
    case 'interaction': {
      // The guide keys the text by its role: `question` for what the user asked, `answer` for what CS Helper said.
      const rest = { context: event.context, metadata: { ...event.metadata, input_type: event.input_type }, ...ids };
      document.agent_interactions.push(event.type === 'question' ? { timestamp, type: 'question', question: event.text, ...rest } : { timestamp, type: 'answer', answer: event.text, ...rest });
      return;
    }
    case 'workflow-execution': {
      document.workflow_executions.push({ timestamp, workflow_name: event.workflow_name, step_name: event.step_name, status: event.status, metadata: { ...event.metadata }, ...ids });
      if (event.status === 'planned') {
        const generation = event.metadata['generation_ms'];
        if (typeof generation === 'number' && Number.isFinite(generation)) metrics.plan_generation_ms.push(generation);
        // A plan made without a lookup (--no-cache, a plan of several datasets: `cache_lookup: false`) is neither a hit
        // nor a miss, as `cs-helper metrics` counts it. A plan logged before `cache_lookup` was is taken to have looked,
        // as metrics takes its plans of then.
        const fromCache = event.metadata['from_cache'];
        if (fromCache === true) metrics.pattern_cache_hits += 1;
        else if (fromCache === false && event.metadata['cache_lookup'] === false) plans.withoutLookup += 1;
        else if (fromCache === false) metrics.pattern_cache_misses += 1;
      }
      // A step restored from the result cache (engine/run-memory.ts); its misses are info events, below.
      if (event.status === 'completed' && event.metadata['cache'] === 'hit') metrics.result_cache_hits += 1;
      if (event.step_name === 'workflow') {
        if (event.status === 'in_progress') metrics.runs.started += 1;
        if (event.status === 'completed' || event.status === 'failed' || event.status === 'cancelled') metrics.runs[event.status] += 1;
      } else if (!NOT_STEPS.has(event.step_name) && (event.status === 'completed' || event.status === 'failed')) {
        metrics.total_workflow_steps += 1;
      }
      return;
    }
    case 'tool-call':
      document.tool_calls.push({ timestamp, tool: event.tool, parameters: { ...event.parameters }, duration_ms: event.duration_ms, rows_in: event.rows_in, rows_out: event.rows_out, result: event.result, error: event.error, ...ids });
      return;
    case 'decision':
      document.decision_points.push({
        timestamp,
        decision: event.decision,
        chosen: event.chosen,
        alternatives: event.alternatives.map((a) => ({ option: a.option, score: a.score })),
        confidence: event.confidence,
        threshold: event.threshold,
        reasoning: event.reasoning,
        ...ids,
      });
      return;
    case 'data-operation':
      document.data_operations.push({ timestamp, operation_type: event.operation_type, target: event.target, rows: event.rows, bytes: event.bytes, columns: event.columns === null ? null : [...event.columns], detail: { ...event.detail }, ...ids });
      return;
    case 'info':
      if (event.type === 'result-cache-miss') metrics.result_cache_misses += 1;
      document.log_entries.push({ timestamp, level: event.level, type: event.type, description: event.description, metadata: { ...event.metadata }, ...ids });
      return;
    case 'error':
      document.errors.push({ timestamp, type: event.type, message: event.message, code: event.code, metadata: { ...event.metadata }, ...(event.stack === undefined ? {} : { stack: event.stack }), ...ids });
      return;
  }
}

/**
 * Reads a stream, writes `<name>_<id>.json` beside it (complete or not at all), and with `removeStream` deletes the
 * stream once the document is on disk: the document is then the session's record. The writer must be gone: a
 * session without `session-end` is recorded as `interrupted`.
 */
export async function compileSessionFile(streamPath: string, options: { readonly removeStream?: boolean; readonly signal?: AbortSignal } = {}): Promise<CompiledSessionFile> {
  const name = parseSessionFileName(basename(streamPath));
  if (name?.kind !== 'stream') throw new SessionLogError(streamPath, 'not-a-session-file', 'not a session stream named <session_name>_<session_id>.jsonl');
  const read = await readSessionEvents(streamPath, options.signal === undefined ? {} : { signal: options.signal });
  const document = compileSession(read.events, {
    interrupted: true,
    fallback: { sessionId: name.sessionId, sessionName: name.sessionName, startTime: new Date(uuidv7Time(name.sessionId)).toISOString() },
  });
  const path = join(dirname(streamPath), sessionFileName(name.sessionName, name.sessionId, 'compiled'));
  options.signal?.throwIfAborted();
  await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
  if (options.removeStream === true) await rm(streamPath, { force: true });
  return { path, document, tornLastLine: read.tornLastLine, invalidLines: read.invalidLines };
}

function idsOf(event: TraceIds): TraceIds {
  return {
    ...(event.trace_id === undefined ? {} : { trace_id: event.trace_id }),
    ...(event.span_id === undefined ? {} : { span_id: event.span_id }),
    ...(event.parent_span_id === undefined ? {} : { parent_span_id: event.parent_span_id }),
    ...(event.operation === undefined ? {} : { operation: event.operation }),
  };
}

function latest(a: string, b: string | undefined): string {
  return b !== undefined && Date.parse(b) > Date.parse(a) ? b : a;
}
