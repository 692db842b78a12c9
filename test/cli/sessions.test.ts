// Runs the built cs-helper binary: real sessions from `dynamic-workflow`, then `sessions list | show | stats` on them.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledSession } from '../../src/session/compiled-session.js';
import { listSessionFiles } from '../../src/session/session-files.js';
import type { SessionStats } from '../../src/session/session-stats.js';
import { age, copyFixtures, CRASHED, FOREIGN_FILES, HOUR, writeOpenStream } from '../helpers/session-fixtures.js';
import { CLI_PATH, runCli, type CliResult } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const cli = CLI_PATH;
const PROBLEM = 'Analyze this CSV for security threats and export enriched data';


async function csHelper(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: work, env: { ...env } });
}

async function json<T>(args: readonly string[]): Promise<T> {
  const result = await csHelper(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface ListRow {
  session_id: string;
  session_name: string;
  status: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  steps: number;
  errors: number;
  tool_calls: number;
  runs: { started: number; completed: number; failed: number; cancelled: number };
  source: string;
}

let work: string;
let logs: string;
let completedId: string;
let failedId: string;
let liveId: string;
let sessionIdsBefore: string[];

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-sessions-'));
  logs = join(work, 'logs');
  const completed = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', join(root, 'examples', 'threat_data.csv'), '--outputs', 'enriched_data', '--output-dir', join(work, 'out'), '--log-dir', logs, '--execute', '--json']);
  expect(completed.code).toBe(0);
  completedId = (await listSessionFiles(logs))[0]?.sessionId ?? '';
  const failed = await csHelper(['dynamic-workflow', 'Analyze this CSV', '--input-files', 'nope.csv', '--execute', '--log-dir', logs]);
  expect(failed.code).toBe(1);
  failedId = (await listSessionFiles(logs)).find((g) => g.sessionId !== completedId)?.sessionId ?? '';
  // A session whose process died an hour ago, and one still being written (its file touched just now).
  const [crashed = ''] = await copyFixtures(logs, [CRASHED.file, ...FOREIGN_FILES]);
  await age(crashed, HOUR);
  liveId = (await writeOpenStream(logs, 'interactive', Date.now())).id;
  sessionIdsBefore = (await listSessionFiles(logs)).map((g) => g.sessionId);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cs-helper sessions list', () => {
  it('lists every session newest first with its status, steps, errors and duration', async () => {
    const rows = await json<ListRow[]>(['--log-dir', logs, 'sessions', 'list', '--json']);
    expect(rows.map((r) => r.session_id)).toEqual([liveId, failedId, completedId, CRASHED.id]);
    expect(rows.map((r) => r.status)).toEqual(['running', 'failed', 'completed', 'interrupted']);

    const [live, failed, completed, crashed] = rows;
    expect(live).toMatchObject({ session_name: 'interactive', steps: 0, errors: 0, source: 'stream', runs: { started: 0 } });
    expect(failed).toMatchObject({ steps: 0, errors: 1, tool_calls: 0, runs: { started: 0, completed: 0 } });
    // import, quality, patterns, ioc-match, enrich, export: each a completed step with its tool call.
    expect(completed).toMatchObject({ steps: 6, errors: 0, tool_calls: 6, runs: { started: 1, completed: 1, failed: 0, cancelled: 0 } });
    expect(completed?.duration_ms).toBeGreaterThan(0);
    expect(Date.parse(completed?.end_time ?? '') - Date.parse(completed?.start_time ?? '')).toBeGreaterThanOrEqual(Math.floor(completed?.duration_ms ?? 0) - 5);
    expect(crashed).toMatchObject({ session_name: 'crashed_run', start_time: '2025-03-04T11:02:10.000Z', end_time: '2025-03-04T11:02:20.500Z', duration_ms: 10_500, steps: 1, runs: { started: 1, completed: 0 } });
  });

  it('shows the newest n with --limit, and a readable table without --json', async () => {
    const rows = await json<ListRow[]>(['--log-dir', logs, 'sessions', 'list', '--json', '--limit', '2']);
    expect(rows.map((r) => r.session_id)).toEqual([liveId, failedId]);
    const table = await csHelper(['--log-dir', logs, 'sessions', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/id\s+│ name\s+│ start \(UTC\)\s+│ duration\s+│ status\s+│ steps\s+│ errors/);
    expect(table.stdout).toMatch(new RegExp(`${CRASHED.id}\\s+│ crashed_run\\s+│ 2025-03-04 11:02:10\\s+│ 10\\.50 s\\s+│ interrupted\\s+│ 1\\s+│ 0`));
    expect(table.stdout.indexOf(liveId)).toBeLessThan(table.stdout.indexOf(completedId));
  });

  it('reads the folder from CS_HELPER_LOG_DIR, and finds nothing (creating nothing) in a folder that does not exist', async () => {
    const fromEnv = await csHelper(['sessions', 'list', '--json'], { CS_HELPER_LOG_DIR: logs });
    expect((JSON.parse(fromEnv.stdout) as ListRow[]).map((r) => r.session_id)).toHaveLength(4);
    const missing = join(work, 'no-logs-here');
    expect(await json<ListRow[]>(['--log-dir', missing, 'sessions', 'list', '--json'])).toEqual([]);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses a --limit that is not a positive whole number', async () => {
    const result = await csHelper(['--log-dir', logs, 'sessions', 'list', '--limit', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --limit must be a whole number of 1 or more, not '0'$/m);
    expect(result.stderr).toMatch(/^hint: /m);
  });
});

describe('cs-helper sessions show', () => {
  it('prints the compiled document of a session named by a unique prefix of its id', async () => {
    const list = await json<ListRow[]>(['--log-dir', logs, 'sessions', 'list', '--json']);
    const document = await json<CompiledSession>(['--log-dir', logs, 'sessions', 'show', completedId.slice(0, 23), '--json']);
    expect(document.session_metadata).toMatchObject({ session_id: completedId, status: 'completed' });
    expect(document.session_metadata.user_agent).toMatch(/^cs-helper\//);
    expect(document.session_metadata.duration_ms).toBe(list.find((r) => r.session_id === completedId)?.duration_ms);
    expect(document.agent_interactions[0]).toMatchObject({ type: 'question', question: PROBLEM, context: 'command_line', metadata: { input_type: 'argument' } });
    expect(document.agent_interactions[1]?.type).toBe('answer');
    expect(document.tool_calls.map((t) => t.tool)).toEqual(expect.arrayContaining(['import.csv', 'validation.quality', 'analysis.patterns', 'intel.ioc-match', 'processing.enrich', 'export.csv']));
    expect(document.performance_metrics.plan_generation_ms).toHaveLength(1);
    const run = document.workflow_executions.find((w) => w.step_name === 'workflow' && w.status === 'completed');
    expect(run?.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.tool_calls.every((t) => t.trace_id === run?.trace_id && t.parent_span_id === run?.trace_id)).toBe(true);
  });

  it('shows a session readably: metadata, the question, the run with its steps, decisions, data operations', async () => {
    const result = await csHelper(['--log-dir', logs, 'sessions', 'show', completedId]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Session ${completedId}`);
    expect(result.stdout).toMatch(/status\s+completed/);
    expect(result.stdout).toContain(`question  ${PROBLEM}`);
    expect(result.stdout).toMatch(/Run [0-9a-f-]{36}\s+completed in /);
    expect(result.stdout).toMatch(/│ import\s+│ import\.csv\s+│ completed\s+│ \d/);
    expect(result.stdout).toContain('Decisions');
    expect(result.stdout).toContain('Data operations');
    expect(result.stdout).not.toContain('Errors');
    // Every line the real logger wrote is an event of the contract: nothing torn, nothing left out.
    expect(result.stdout).not.toContain('left out');
  });

  it('shows an interrupted session with what never finished, and the failed one with its error', async () => {
    const crashed = await csHelper(['--log-dir', logs, 'sessions', 'show', CRASHED.id]);
    expect(crashed.stdout).toMatch(/status\s+interrupted/);
    expect(crashed.stdout).toContain('torn line');
    expect(crashed.stdout).toContain('left out: 8, 9');
    expect(crashed.stdout).toMatch(/│ patterns\s+│ analysis\.patterns\s+│ interrupted/);
    const failed = await csHelper(['--log-dir', logs, 'sessions', 'show', failedId]);
    expect(failed.stdout).toMatch(/Errors \(1\)\n.*command-failed \[input-file-not-found\]\s+nope\.csv: no such file/);
  });

  it('names an unknown or ambiguous id clearly, with a hint', async () => {
    const unknown = await csHelper(['--log-dir', logs, 'sessions', 'show', 'ffff']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`error: no session 'ffff' in ${logs}\nhint: run \`cs-helper sessions list\` to see the sessions; use --log-dir if they are in another folder\n`);

    const prefix = '0';
    const ambiguous = await csHelper(['--log-dir', logs, 'sessions', 'show', prefix]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(new RegExp(`^error: '0' matches 4 sessions in ${logs.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(ambiguous.stderr).toMatch(/^hint: type more of the id: /m);

    const notAnId = await csHelper(['--log-dir', logs, 'sessions', 'show', '../../etc/passwd']);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toMatch(/^error: '\.\.\/\.\.\/etc\/passwd' is not a session id$/m);
  });
});

describe('cs-helper sessions stats', () => {
  it('adds up the sessions: success rate, errors, components, estimates, planning and cache', async () => {
    const stats = await json<SessionStats>(['--log-dir', logs, 'sessions', 'stats', '--json']);
    expect(stats.sessions).toBe(4);
    expect(stats.statuses).toEqual({ completed: 1, failed: 1, cancelled: 0, interrupted: 1, running: 1 });
    // The real run completed; the crashed fixture's run never ended.
    expect(stats.runs).toEqual({ started: 2, completed: 1, failed: 0, cancelled: 0 });
    expect(stats.success_rate).toBe(0.5);
    expect(stats.errors).toEqual({ total: 1, by_type: [{ type: 'command-failed', code: 'input-file-not-found', count: 1 }] });
    const importCsv = stats.slowest_components.find((c) => c.tool === 'import.csv');
    expect(importCsv).toMatchObject({ calls: 2, max_ms: 2500 });
    expect(stats.slowest_components[0]?.tool).toBe('import.csv');
    expect(stats.slowest_components.map((c) => c.tool).sort()).toEqual(['analysis.patterns', 'export.csv', 'import.csv', 'intel.ioc-match', 'processing.enrich', 'validation.quality']);
    const importAccuracy = stats.estimated_vs_actual.find((e) => e.component === 'import.csv');
    expect(importAccuracy?.steps).toBe(2);
    expect(importAccuracy?.mean_ratio).toBeGreaterThan(0);
    // One plan made in the real session, one in the crashed fixture (which came from the cache).
    expect(stats.plan_generation.count).toBe(2);
    expect(stats.plan_generation.mean_ms).toBeGreaterThan(0);
    expect(stats.cache.hits).toBe(1);
  });

  it('prints the statistics readably', async () => {
    const result = await csHelper(['--log-dir', logs, 'sessions', 'stats']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Sessions: 4 (1 completed, 1 failed, 1 interrupted, 1 running)');
    expect(result.stdout).toContain('success rate 50.0%');
    expect(result.stdout).toContain('Slowest components');
    expect(result.stdout).toContain('Estimated vs actual');
  });
});

describe('the sessions commands', () => {
  it('write no session log of their own and change no file in the log folder', async () => {
    const after = await listSessionFiles(logs);
    expect(after.map((g) => g.sessionId)).toEqual(sessionIdsBefore);
    expect(after.every((g) => g.files.length === 1)).toBe(true);
    expect(existsSync(join(logs, 'notes.txt'))).toBe(true);
  });
});
