import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionLogError } from '../../src/model/errors/session-log-error.js';
import { compileSession, compileSessionFile } from '../../src/session/compile-session.js';
import { compiledSessionSchema } from '../../src/session/compiled-session.js';
import type { SessionEvent } from '../../src/session/session-event.js';
import { readSessionEvents } from '../../src/session/session-files.js';
import { rejectionOf } from '../helpers/rejection.js';
import { COMPLETED, copyFixtures, CRASHED, LEGACY, SESSION_FIXTURES } from '../helpers/session-fixtures.js';

const RUN = '0195606f-e284-7b1c-9c3a-1f0e2d3c4b5a';

async function eventsOf(file: string): Promise<Awaited<ReturnType<typeof readSessionEvents>>['events']> {
  return (await readSessionEvents(join(SESSION_FIXTURES, file))).events;
}

let temp: string;

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-compile-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('compileSession', () => {
  it('builds the guide\'s document from a completed session, every section with its events', async () => {
    const document = compileSession(await eventsOf(COMPLETED.file), { interrupted: false });
    expect(compiledSessionSchema.parse(document)).toEqual(document);
    expect(Object.keys(document)).toEqual(['format_version', 'session_metadata', 'performance_metrics', 'agent_interactions', 'workflow_executions', 'tool_calls', 'decision_points', 'data_operations', 'log_entries', 'errors']);
    expect(document.session_metadata).toEqual({
      session_id: COMPLETED.id,
      session_name: 'triage',
      start_time: '2025-03-04T09:15:00.000Z',
      end_time: '2025-03-04T09:15:00.600Z',
      duration_ms: 598.25,
      user_agent: 'cs-helper/0.1.0',
      status: 'completed',
      tool_version: '0.1.0',
      platform: 'linux 6.1.0 x64',
      node_version: 'v20.20.2',
      debug: false,
      argv: ['dynamic-workflow', 'Analyze this CSV for security threats and export enriched data', '--input-files', 'firewall.csv', '--execute'],
    });
    expect(document.performance_metrics).toEqual({
      total_tool_calls: 3,
      // import, enrich and export completed; the retry, the plan and the run rows are not steps.
      total_workflow_steps: 3,
      total_errors: 1,
      total_decisions: 1,
      total_data_operations: 2,
      session_duration_ms: 598.25,
      plan_generation_ms: [48],
      cache_hits: 0,
      cache_misses: 1,
      pattern_cache_hits: 0,
      pattern_cache_misses: 1,
      result_cache_hits: 0,
      result_cache_misses: 0,
      runs: { started: 1, completed: 1, failed: 0, cancelled: 0 },
    });
  });

  it('keys each interaction\'s text by its role and keeps its input type in the metadata', async () => {
    const document = compileSession(await eventsOf(COMPLETED.file), { interrupted: false });
    expect(document.agent_interactions).toEqual([
      { timestamp: '2025-03-04T09:15:00.010Z', type: 'question', question: 'Analyze this CSV for security threats and export enriched data', context: 'command_line', metadata: { input_files: ['firewall.csv'], input_type: 'argument' } },
      { timestamp: '2025-03-04T09:15:00.580Z', type: 'answer', answer: 'run completed in 470 ms; 1 files written', context: 'command_line', metadata: { run_id: RUN, input_type: 'run_summary' } },
    ]);
  });

  it('keeps every event\'s trace ids and each section\'s fields', async () => {
    const document = compileSession(await eventsOf(COMPLETED.file), { interrupted: false });
    expect(document.workflow_executions.map((w) => `${w.step_name}:${w.status}`)).toEqual([
      'plan:planned',
      'workflow:in_progress',
      'import:in_progress',
      'import:completed',
      'enrich:in_progress',
      'enrich:retried',
      'enrich:completed',
      'export-enriched_data:in_progress',
      'export-enriched_data:completed',
      'workflow:completed',
    ]);
    expect(document.workflow_executions[3]).toMatchObject({ trace_id: RUN, span_id: '0195606f-e28e-7001-8001-000000000001', parent_span_id: RUN, operation: 'execute_tool', metadata: { duration_ms: 180, estimated_ms: 100 } });
    expect(document.tool_calls.map((t) => [t.tool, t.duration_ms, t.rows_out])).toEqual([
      ['import.csv', 180, 1200],
      ['processing.enrich', 30, 1200],
      ['export.csv', 40, 1200],
    ]);
    expect(document.tool_calls[0]).toMatchObject({ trace_id: RUN, operation: 'execute_tool', error: null, result: '1,200 rows, 3 columns' });
    expect(document.decision_points).toEqual([
      { timestamp: '2025-03-04T09:15:00.050Z', decision: 'problem-type', chosen: 'threat_hunting', alternatives: [{ option: 'enrichment', score: 0.78 }], confidence: 0.85, threshold: 0.3, reasoning: 'matched threats, security', span_id: '0195606f-e252-7a10-8b20-0c1d2e3f4a5b', operation: 'plan' },
    ]);
    expect(document.data_operations.map((d) => [d.operation_type, d.target, d.rows])).toEqual([
      ['read', 'firewall.csv', 1200],
      ['write', 'output/enriched_data.csv', 1200],
    ]);
    expect(document.log_entries.map((l) => [l.level, l.type])).toEqual([
      ['warn', 'step-retry'],
      ['info', 'outputs-written'],
    ]);
    expect(document.errors).toEqual([
      { timestamp: '2025-03-04T09:15:00.200Z', type: 'feed-unreadable', message: 'feeds/partner.csv: no such file', code: 'input-file-not-found', metadata: { feed: 'feeds/partner.csv' }, trace_id: RUN, span_id: '0195606f-e28e-7001-8001-000000000001', parent_span_id: RUN, operation: 'execute_tool' },
    ]);
    // Events logged outside any span carry no ids at all, not empty ones.
    expect(Object.keys(document.log_entries[1] ?? {})).toEqual(['timestamp', 'level', 'type', 'description', 'metadata']);
  });

  it('ends an interrupted session at its last event, with the duration computed from the timestamps', async () => {
    const document = compileSession(await eventsOf(CRASHED.file), { interrupted: true });
    expect(document.session_metadata).toMatchObject({ status: 'interrupted', start_time: '2025-03-04T11:02:10.000Z', end_time: '2025-03-04T11:02:20.500Z', duration_ms: 10_500, debug: true });
    expect(document.performance_metrics).toMatchObject({ session_duration_ms: 10_500, total_workflow_steps: 1, total_tool_calls: 1, cache_hits: 1, cache_misses: 0, plan_generation_ms: [60], runs: { started: 1, completed: 0, failed: 0, cancelled: 0 } });
    expect(document.log_entries.map((l) => l.level)).toEqual(['debug']);
  });

  it('calls a session without an end `running` while its writer may be alive', async () => {
    const document = compileSession(await eventsOf(CRASHED.file), { interrupted: false });
    expect(document.session_metadata.status).toBe('running');
    expect(document.session_metadata.duration_ms).toBe(10_500);
  });

  it('compiles a failed session of the first contract version', async () => {
    const document = compileSession(await eventsOf(LEGACY.file), { interrupted: true });
    expect(document.session_metadata).toMatchObject({ status: 'failed', duration_ms: 1500, end_time: '2025-03-03T16:40:01.500Z', debug: false });
    expect(document.agent_interactions[0]).toMatchObject({ type: 'question', question: 'run plan.json', metadata: { input_type: 'plan_file' } });
    expect(document.data_operations[0]).toMatchObject({ operation_type: 'read', target: 'plan.json' });
    expect(document.errors[0]).toMatchObject({ type: 'command-failed', code: 'no-such-component' });
  });

  it('counts the lookups of both caches: the pattern cache per plan, the result cache per step', () => {
    const id = '01a2204c-3c0e-7093-9c08-db155cd28caa';
    const base = { session_id: id, timestamp: '2026-11-28T09:00:00.000Z' };
    const step = (step_name: string, metadata: Record<string, unknown>): SessionEvent => ({ ...base, event: 'workflow-execution', workflow_name: 'dynamic_p', step_name, status: 'completed', metadata });
    const events: SessionEvent[] = [
      { ...base, event: 'workflow-execution', workflow_name: 'dynamic_p', step_name: 'plan', status: 'planned', metadata: { generation_ms: 0.2, from_cache: true } },
      { ...base, event: 'workflow-execution', workflow_name: 'dynamic_q', step_name: 'plan', status: 'planned', metadata: { generation_ms: 40, from_cache: false } },
      // A rerun: two steps restored from the result cache, one that missed and ran, an export (never cached).
      step('import', { component: 'import.csv', cache: 'hit' }),
      step('patterns', { component: 'analysis.patterns', cache: 'hit' }),
      step('enrich', { component: 'processing.enrich', duration_ms: 30 }),
      { ...base, event: 'info', level: 'info', type: 'result-cache-miss', description: 'enrich ran: no result stored for its key', metadata: { node: 'enrich', cache: 'miss' } },
      step('export-enriched_data', { component: 'export.csv', duration_ms: 40 }),
    ];
    const document = compileSession(events, { interrupted: true });
    expect(document.performance_metrics).toMatchObject({ cache_hits: 3, cache_misses: 2, pattern_cache_hits: 1, pattern_cache_misses: 1, result_cache_hits: 2, result_cache_misses: 1 });
    expect(compiledSessionSchema.parse(document)).toEqual(document);
  });

  it('reads a document written before the caches were counted apart: its totals were the pattern cache\'s', async () => {
    const document = compileSession(await eventsOf(COMPLETED.file), { interrupted: false });
    const { pattern_cache_hits, pattern_cache_misses, result_cache_hits, result_cache_misses, ...legacy } = { ...document.performance_metrics, cache_hits: 2, cache_misses: 3 };
    expect([pattern_cache_hits, pattern_cache_misses, result_cache_hits, result_cache_misses]).toEqual([0, 1, 0, 0]);
    const read = compiledSessionSchema.parse({ ...document, performance_metrics: legacy });
    expect(read.performance_metrics).toMatchObject({ cache_hits: 2, cache_misses: 3, pattern_cache_hits: 2, pattern_cache_misses: 3, result_cache_hits: 0, result_cache_misses: 0 });
  });

  it('falls back on the file name when the start line was lost, and refuses to invent an identity', async () => {
    const events = (await eventsOf(CRASHED.file)).slice(1);
    const fallback = { sessionId: CRASHED.id, sessionName: 'crashed_run', startTime: '2025-03-04T11:02:10.000Z' };
    const document = compileSession(events, { interrupted: true, fallback });
    expect(document.session_metadata).toMatchObject({ session_id: CRASHED.id, session_name: 'crashed_run', user_agent: 'unknown', start_time: '2025-03-04T11:02:10.000Z', duration_ms: 10_500 });

    const empty = compileSession([], { interrupted: true, fallback });
    expect(empty.session_metadata).toMatchObject({ start_time: fallback.startTime, end_time: fallback.startTime, duration_ms: 0, status: 'interrupted' });
    expect(empty.performance_metrics.total_tool_calls).toBe(0);

    expect(() => compileSession([], { interrupted: true })).toThrow(SessionLogError);
  });
});

describe('compileSessionFile', () => {
  it('writes <name>_<id>.json beside the stream, complete, and keeps the stream unless told otherwise', async () => {
    const [stream = ''] = await copyFixtures(temp, [CRASHED.file]);
    const result = await compileSessionFile(stream);
    expect(result.path).toBe(join(temp, `crashed_run_${CRASHED.id}.json`));
    expect(result.tornLastLine).toBe(true);
    expect(result.invalidLines).toEqual([8, 9]);
    expect(result.document.session_metadata.status).toBe('interrupted');
    expect(JSON.parse(await readFile(result.path, 'utf8'))).toEqual(result.document);
    expect((await readdir(temp)).sort()).toEqual([`crashed_run_${CRASHED.id}.json`, CRASHED.file]);
  });

  it('removes the stream once the document is on disk when asked, leaving no temporary file', async () => {
    const [stream = ''] = await copyFixtures(temp, [COMPLETED.file]);
    const result = await compileSessionFile(stream, { removeStream: true });
    expect(await readdir(temp)).toEqual([`triage_${COMPLETED.id}.json`]);
    expect(result.document.session_metadata.status).toBe('completed');
  });

  it('refuses a file not named as a session stream', async () => {
    const error = await rejectionOf(compileSessionFile(join(SESSION_FIXTURES, 'other_123.json')), SessionLogError);
    expect(error.problem).toBe('not-a-session-file');
  });
});
