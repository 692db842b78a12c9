import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanError } from '../../src/model/errors/plan-error.js';
import { defaultSessionName, SessionLogger } from '../../src/session/session-logger.js';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface LoggedEvent {
  readonly event: string;
  readonly timestamp: string;
  readonly session_id: string;
  readonly [key: string]: unknown;
}

let temp: string;
const loggers: SessionLogger[] = [];

function start(options: Partial<Parameters<typeof SessionLogger.start>[0]> = {}): SessionLogger {
  const logger = SessionLogger.start({ logDir: temp, ...options });
  loggers.push(logger);
  return logger;
}

async function eventsOf(logger: SessionLogger): Promise<LoggedEvent[]> {
  const text = await readFile(logger.path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LoggedEvent);
}

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-session-'));
});
afterEach(async () => {
  for (const logger of loggers.splice(0)) logger.endSession({}, 'completed');
  await rm(temp, { recursive: true, force: true });
});

describe('SessionLogger', () => {
  it('writes session_<date>_<time>_<id>.jsonl in the log folder', () => {
    const logger = start();
    expect(dirname(logger.path)).toBe(temp);
    expect(basename(logger.path)).toMatch(/^session_\d{8}_\d{6}_[0-9a-f-]{36}\.jsonl$/);
    expect(basename(logger.path)).toBe(`${logger.sessionName}_${logger.sessionId}.jsonl`);
  });

  it('starts with a session-start event naming the tool and its version', async () => {
    const logger = start({ argv: ['dynamic-workflow', 'Analyze this CSV for security threats', '--input-files', 'firewall.csv'] });
    logger.endSession({}, 'completed');
    const [first] = await eventsOf(logger);
    expect(first).toMatchObject({
      event: 'session-start',
      session_id: logger.sessionId,
      session_name: logger.sessionName,
      user_agent: `cs-helper/${PACKAGE_VERSION}`,
      tool_version: PACKAGE_VERSION,
      node_version: process.version,
      argv: ['dynamic-workflow', 'Analyze this CSV for security threats', '--input-files', 'firewall.csv'],
    });
    expect(Number.isNaN(Date.parse(first?.timestamp ?? ''))).toBe(false);
  });

  it('ends with a session-end event whose counts match what was logged', async () => {
    const logger = start();
    logger.logInfo('plan', 'plan ready', { steps: 7 });
    logger.logDecision({ decision: 'component for anomaly-detection', chosen: 'analysis.patterns', alternatives: [{ option: 'analysis.statistics', score: 0.4 }], confidence: 0.9, reasoning: 'first provider' });
    logger.logWorkflowExecution({ workflowName: 'wf', stepName: 'workflow', status: 'in_progress' });
    logger.logWorkflowExecution({ workflowName: 'wf', stepName: 'import', status: 'in_progress' });
    logger.logWorkflowExecution({ workflowName: 'wf', stepName: 'import', status: 'completed' });
    logger.logWorkflowExecution({ workflowName: 'wf', stepName: 'patterns', status: 'completed' });
    logger.logWorkflowExecution({ workflowName: 'wf', stepName: 'ioc-match', status: 'failed' });
    logger.logWorkflowExecution({ workflowName: 'wf', stepName: 'workflow', status: 'failed' });
    logger.logToolCall({ tool: 'import.csv', parameters: { paths: ['firewall.csv'] }, durationMs: 12.3456, rowsIn: 20, rowsOut: 20 });
    logger.logToolCall({ tool: 'intel.ioc-match', parameters: {}, durationMs: 3, error: 'feed not found' });
    logger.logDataOperation({ operation: 'read', target: 'firewall.csv', rows: 20, bytes: 2945 });
    logger.logError('step-failed', 'ioc-match failed', { step: 'ioc-match' }, new PlanError('unknown-feed', 'no feed'));
    const summary = logger.endSession({ outputs: 0 }, 'failed');

    expect(summary).toMatchObject({ session_id: logger.sessionId, log_file: logger.path, total_tool_calls: 2, total_workflow_steps: 3, total_errors: 1, total_decisions: 1, total_data_operations: 1 });
    const events = await eventsOf(logger);
    expect(events.map((e) => e.event)).toEqual([
      'session-start', 'info', 'decision',
      'workflow-execution', 'workflow-execution', 'workflow-execution', 'workflow-execution', 'workflow-execution', 'workflow-execution',
      'tool-call', 'tool-call', 'data-operation', 'error', 'session-end',
    ]);
    expect(events.every((e) => e.session_id === logger.sessionId)).toBe(true);
    expect(events.at(-1)).toMatchObject({
      event: 'session-end',
      status: 'failed',
      summary: { total_tool_calls: 2, total_workflow_steps: 3, total_errors: 1, total_decisions: 1, total_data_operations: 1, outputs: 0 },
    });
    expect(events.find((e) => e.event === 'tool-call')).toMatchObject({ tool: 'import.csv', duration_ms: 12.35, rows_in: 20, rows_out: 20, result: null, error: null });
    expect(events.find((e) => e.event === 'error')).toMatchObject({ type: 'step-failed', message: 'ioc-match failed', code: 'unknown-feed', metadata: { step: 'ioc-match' } });
    expect(events.find((e) => e.event === 'error')).not.toHaveProperty('stack');
  });

  it('writes the end once, however often endSession is called', async () => {
    const logger = start();
    logger.endSession({}, 'completed');
    logger.endSession({}, 'failed');
    logger.logInfo('late', 'after the end');
    const events = await eventsOf(logger);
    expect(events.filter((e) => e.event === 'session-end')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ event: 'session-end', status: 'completed' });
  });

  it('keeps secrets in metadata, parameters, argv and stack traces out of the file', async () => {
    const logger = start({ debug: true, argv: ['--feeds', 'https://feeduser:FeedPass99@intel.contoso.com/feed.csv'] });
    logger.logInfo('connect', 'connecting to the SIEM', {
      password: 'hunter2-secret',
      api_key: 'sk-live-51HxYzSecret',
      headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig' },
      command: 'mysql -u root -p Tr0ub4dor -h db01',
    });
    logger.logToolCall({ tool: 'integration.siem', parameters: { token: 'tok_AbCdEf123456', query: 'index=fw' }, durationMs: 1 });
    logger.logError('connect-failed', 'login failed for https://admin:Adm1nPa55@siem.contoso.com', {}, new Error('AKIAIOSFODNN7EXAMPLE was refused'));
    logger.endSession({}, 'completed');

    const text = await readFile(logger.path, 'utf8');
    for (const secret of ['FeedPass99', 'hunter2-secret', 'sk-live-51HxYzSecret', 'eyJhbGciOiJIUzI1NiJ9', 'Tr0ub4dor', 'tok_AbCdEf123456', 'Adm1nPa55', 'AKIAIOSFODNN7EXAMPLE']) {
      expect(text, secret).not.toContain(secret);
    }
    // What is not secret stays readable.
    expect(text).toContain('index=fw');
    expect(text).toContain('https://feeduser:[REDACTED]@intel.contoso.com/feed.csv');
    expect((await eventsOf(logger)).find((e) => e.event === 'error')).toHaveProperty('stack');
  });

  it('keeps a hostile session name inside the log folder', () => {
    const logger = start({ sessionName: '../../etc/cron.d/x' });
    expect(dirname(logger.path)).toBe(temp);
    expect(logger.sessionName).toBe('______etc_cron_d_x');
  });

  it("writes each event's members in order: timestamp, session id, the event's own, then its scope's ids", async () => {
    const logger = start();
    const run = logger.child({ trace_id: 'run-1', operation: 'invoke_workflow' });
    const step = run.child({ span_id: 'step-1', operation: 'execute_tool' });
    step.logToolCall({ tool: 'analysis.statistics', parameters: { columns: ['a'] }, durationMs: 1.234, rowsIn: 3, rowsOut: 3, result: 'ok' });
    logger.endSession();
    const line = (await readFile(logger.path, 'utf8')).split('\n').find((l) => l.includes('"tool-call"')) ?? '';
    const event = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(['timestamp', 'session_id', 'event', 'tool', 'parameters', 'duration_ms', 'rows_in', 'rows_out', 'result', 'error', 'trace_id', 'operation', 'span_id']);
    expect(event).toMatchObject({ session_id: logger.sessionId, trace_id: 'run-1', span_id: 'step-1', operation: 'execute_tool', duration_ms: 1.23, parameters: { columns: ['a'] } });
  });

  it("redacts a secret in a scope's ids, which are serialised once per scope", async () => {
    const logger = start();
    logger.child({ trace_id: 'https://admin:hunter2@example.org/run' }).logInfo('progress', 'step done');
    logger.endSession();
    const text = await readFile(logger.path, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('admin:[REDACTED]@example.org');
  });

  it('gives each session its own file', () => {
    const a = start({ sessionName: 'case-4711' });
    const b = start({ sessionName: 'case-4711' });
    expect(a.path).not.toBe(b.path);
    expect(a.sessionId).not.toBe(b.sessionId);
  });
});

describe('defaultSessionName', () => {
  it('is session_<yyyymmdd>_<hhmmss> in UTC', () => {
    expect(defaultSessionName(new Date('2026-03-02T08:30:11.456Z'))).toBe('session_20260302_083011');
  });
});
