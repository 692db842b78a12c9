// The session's pattern-cache counts agree with `cs-helper metrics`: a plan made without a cache lookup (--no-cache, a
// plan of several datasets) is neither a hit nor a miss, and is counted apart; plans that looked are hits or misses.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { logPlanDecisions } from '../../src/planner/log-plan-decisions.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { compileSession } from '../../src/session/compile-session.js';
import { compiledSessionSchema, type CompiledSession } from '../../src/session/compiled-session.js';
import type { SessionEvent } from '../../src/session/session-event.js';
import { SessionLogger } from '../../src/session/session-logger.js';
import { sessionStats } from '../../src/session/session-stats.js';

const PLANNER = fileURLToPath(new URL('../fixtures/planner/', import.meta.url));
const PROBLEM = 'Analyze this data for security threats and export enriched data';
const registry = createBuiltInRegistry();
const NO_CHOICES = { alternatives: {}, capabilitiesByNode: {} };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function compiled(session: SessionLogger): Promise<CompiledSession> {
  const { path } = await session.close();
  return compiledSessionSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

describe('pattern-cache counts of a session', () => {
  it('sets a plan of several datasets apart: the planner made no lookup for it', async () => {
    const session = SessionLogger.start({ logDir: dir });
    let lookups = 0;
    const patterns = {
      lookup: () => {
        lookups += 1;
        return null;
      },
    };
    await planWorkflow({ problem: PROBLEM, inputFiles: ['firewall.csv', 'alerts.jsonl'], outputs: ['enriched_data'], baseDir: PLANNER }, registry, { log: session, patterns });
    await planWorkflow({ problem: PROBLEM, inputFiles: ['firewall.csv'], outputs: ['enriched_data'], baseDir: PLANNER }, registry, { log: session, patterns });
    // The planner consulted the cache once: for the plan of one dataset.
    expect(lookups).toBe(1);
    const document = await compiled(session);
    expect(document.workflow_executions.filter((w) => w.status === 'planned').map((w) => w.metadata['cache_lookup'])).toEqual([false, true]);
    expect(document.performance_metrics).toMatchObject({ pattern_cache_hits: 0, pattern_cache_misses: 1, pattern_cache_without_lookup: 1, cache_misses: 1 });
  });

  it('counts a plan the planner says it made without a lookup (--no-cache) apart, and one that looked as a miss', async () => {
    const plan = await planWorkflow({ problem: PROBLEM, inputFiles: ['firewall.csv'], outputs: ['enriched_data'], baseDir: PLANNER }, registry);
    const session = SessionLogger.start({ logDir: dir });
    logPlanDecisions(session, plan, NO_CHOICES, 1, { cacheLookup: false });
    logPlanDecisions(session, plan, NO_CHOICES, 1, { cacheLookup: true });
    logPlanDecisions(session, { ...plan, from_cache: true }, NO_CHOICES, 1);
    const document = await compiled(session);
    expect(document.workflow_executions.filter((w) => w.status === 'planned').map((w) => w.metadata['cache_lookup'])).toEqual([false, true, true]);
    expect(document.performance_metrics).toMatchObject({ pattern_cache_hits: 1, pattern_cache_misses: 1, pattern_cache_without_lookup: 1, cache_hits: 1, cache_misses: 1 });
    // `sessions stats` reads the same counts: one hit in two lookups.
    expect(sessionStats([document]).pattern_cache).toEqual({ hits: 1, misses: 1, hit_rate: 0.5 });
  });

  it('keeps reading a plan logged without cache_lookup as a lookup, and writes no new key when every plan looked', () => {
    const base = { session_id: '01a2204c-3c0e-7093-9c08-db155cd28caa', timestamp: '2026-11-28T09:00:00.000Z', event: 'workflow-execution', workflow_name: 'dynamic_p', step_name: 'plan', status: 'planned' } as const;
    const events: SessionEvent[] = [
      { ...base, metadata: { generation_ms: 1, from_cache: false } },
      { ...base, metadata: { generation_ms: 1, from_cache: false, cache_lookup: true } },
    ];
    const document = compileSession(events, { interrupted: true });
    expect(document.performance_metrics.pattern_cache_misses).toBe(2);
    expect('pattern_cache_without_lookup' in document.performance_metrics).toBe(false);
    expect(compiledSessionSchema.parse(document)).toEqual(document);
  });
});
