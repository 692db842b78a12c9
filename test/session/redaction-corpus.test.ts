// Runs a seeded corpus of secrets through every event type and every free-text field; none may reach the file.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanError } from '../../src/model/errors/plan-error.js';
import { SessionLogger } from '../../src/session/session-logger.js';

interface Corpus {
  keyed: { key: string; value: string }[];
  inText: string[];
  secrets: string[];
}

const corpusPath = resolve(import.meta.dirname, '..', 'fixtures', 'session', 'secrets.json');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-redact-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('redaction across every event type', () => {
  it('writes none of at least 30 seeded secrets, whichever event or field carries them', async () => {
    const corpus = JSON.parse(await readFile(corpusPath, 'utf8')) as Corpus;
    expect(corpus.secrets.length).toBeGreaterThanOrEqual(30);
    const keyed = Object.fromEntries(corpus.keyed.map((k) => [k.key, k.value]));
    const nested = { request: { headers: keyed }, list: corpus.keyed.map((k) => ({ [k.key]: k.value })) };
    const logger = SessionLogger.start({ logDir: dir, debug: true, argv: ['dynamic-workflow', '--feeds', corpus.inText[4] ?? '', '--password', 'Argv-Secret-1', '-pArgvMysql2'] });
    const step = logger.child({ trace_id: 'run', span_id: 'step', operation: 'execute_tool' });
    for (const text of corpus.inText) {
      logger.logInteraction('question', `please check ${text}`, 'command_line', { ...keyed, note: text }, 'argument');
      logger.logInteraction('answer', text, 'command_line', nested);
      step.logWorkflowExecution({ workflowName: text, stepName: 'import', status: 'failed', metadata: { error: text, ...nested } });
      step.logToolCall({ tool: 'integration.siem', parameters: { ...keyed, query: text }, durationMs: 1, result: text, error: text });
      step.logDecision({ decision: `use ${text}`, chosen: text, alternatives: [{ option: text, score: 0.1 }], reasoning: text });
      step.logDataOperation({ operation: 'read', target: text, columns: [text], detail: { ...keyed, text } });
      step.logInfo('connect', text, { ...nested, text });
      step.logWarning('connect', text, keyed);
      step.logDebug('connect', text, keyed);
      step.logError('connect-failed', text, { ...keyed, text }, new PlanError('connect-failed', `failed with ${text}`));
    }
    logger.endSession({ ...keyed, last: corpus.inText.join(' ') }, 'failed');

    const written = await readFile(logger.path, 'utf8');
    const leaked = [...corpus.secrets, 'Argv-Secret-1', 'ArgvMysql2'].filter((secret) => written.includes(secret));
    expect(leaked).toEqual([]);
    // Every line still parses, and what is not secret is kept.
    const events = written.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['session-start', 'interaction', 'workflow-execution', 'tool-call', 'decision', 'data-operation', 'info', 'error', 'session-end']));
    expect(written).toContain('siem.example.org/api/search');
    expect(written).toContain('[REDACTED]');
  });

  it('writes none of them when a single field carries the secret and the rest of the event is clean', async () => {
    // The frequent events are written by hand and only their caller-supplied texts are searched: each text, alone.
    const corpus = JSON.parse(await readFile(corpusPath, 'utf8')) as Corpus;
    const logger = SessionLogger.start({ logDir: dir });
    const step = logger.child({ trace_id: 'run', span_id: 'step', operation: 'execute_tool' });
    for (const text of corpus.inText) {
      step.logToolCall({ tool: text, parameters: {}, durationMs: 1 });
      step.logToolCall({ tool: 'analysis.patterns', parameters: { query: text }, durationMs: 1 });
      step.logToolCall({ tool: 'analysis.patterns', parameters: { nested: [{ value: text }] }, durationMs: 1 });
      step.logToolCall({ tool: 'analysis.patterns', parameters: {}, durationMs: 1, result: text });
      step.logToolCall({ tool: 'analysis.patterns', parameters: {}, durationMs: 1, error: text });
      step.logWorkflowExecution({ workflowName: text, stepName: 'import', status: 'completed' });
      step.logWorkflowExecution({ workflowName: 'run', stepName: text, status: 'completed' });
      step.logWorkflowExecution({ workflowName: 'run', stepName: 'import', status: 'completed', metadata: { note: text } });
      step.logDataOperation({ operation: 'read', target: text });
      step.logDataOperation({ operation: text as 'read', target: 'events.csv' });
      step.logDataOperation({ operation: 'read', target: 'events.csv', columns: ['a', text] });
      step.logDataOperation({ operation: 'read', target: 'events.csv', detail: { note: text } });
      step.logInfo(text, 'connected');
      step.logInfo('connect', text);
      step.logInfo('connect', 'connected', { note: text });
    }
    logger.endSession();
    const written = await readFile(logger.path, 'utf8');
    expect(corpus.secrets.filter((secret) => written.includes(secret))).toEqual([]);
    expect(written.trim().split('\n')).toHaveLength(2 + corpus.inText.length * 15);
  });
});
