// The estimate against the result cache: a plan whose steps the cache holds counts them at a restore's cost, before
// the run (the plan) and in it (the result, the session log); a changed input file, or no cache, gives the full
// estimate back; and finding the cached steps never reads an input file's content.
import { appendFile, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { DEFAULT_RESTORE_MS, ResultCacheForecast, forecastCachedSteps } from '../../src/engine/cache-forecast.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import { LearnedEstimates } from '../../src/engine/learned-estimates.js';
import { ResultCache } from '../../src/engine/result-cache.js';
import type { RunResult } from '../../src/model/run-result.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { estimatedSecondsOf } from '../../src/planner/plan-estimate.js';
import { planWithMemory } from '../../src/planner/plan-with-memory.js';
import type { CompiledSession } from '../../src/session/compiled-session.js';
import { SessionLogger } from '../../src/session/session-logger.js';
import { Counters } from '../../src/state/counters.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
const CACHEABLE = ['import', 'ioc-match', 'patterns', 'quality', 'enrich'].sort();
const PROBLEM = 'Analyze this CSV for security threats and export enriched data';

describe('the estimate against the result cache', () => {
  let dir: string;
  let data: string;
  let state: StateDatabase;
  let cache: ResultCache;
  let estimates: LearnedEstimates;
  let coldPlan: WorkflowPlan;
  let first: RunResult;

  /** Planned as the CLI plans, with or without the result cache (`--no-cache`). */
  const plan = (withCache = true, session?: SessionLogger): Promise<WorkflowPlan> =>
    planWithMemory({ problem: PROBLEM, inputFiles: ['data.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: dir }, registry, withCache ? { results: new ResultCacheForecast(cache, estimates) } : {}, session === undefined ? {} : { log: session });
  const run = (p: WorkflowPlan, out: string, options: { cache?: boolean; session?: SessionLogger } = {}): Promise<RunResult> =>
    executePlan(p, {
      registry,
      outputDir: join(dir, out),
      workspace: { threads: 2 },
      estimates,
      ...(options.cache === false ? {} : { resultCache: cache }),
      ...(options.session === undefined ? {} : { session: options.session }),
    });
  const expected = (p: WorkflowPlan): string[] => (p.cached_steps ?? []).map((s) => s.node).sort();
  const fromCache = (result: RunResult): string[] => result.steps.filter((s) => s.fromCache === true).map((s) => s.node).sort();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-cache-forecast-'));
    data = join(dir, 'data.csv');
    await copyFile(join(FIXTURES_DIR, 'firewall.csv'), data);
    state = StateDatabase.open({ home: join(dir, 'home') });
    cache = new ResultCache(state, new Counters(state));
    estimates = new LearnedEstimates(state);
    coldPlan = await plan();
    first = await run(coldPlan, 'first');
  });
  afterAll(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('expects nothing from an empty cache: the full estimate, as without the cache', async () => {
    expect(first.status).toBe('completed');
    expect(coldPlan.cached_steps).toBeUndefined();
    expect(coldPlan.estimated_seconds).toBe((await plan(false)).estimated_seconds);
    expect(first.estimatedMs).toBe(Math.round(coldPlan.estimated_seconds * 1000));
  });

  it('counts the steps the cache holds at a restore, in the plan, the run result and the session log', async () => {
    const session = SessionLogger.start({ logDir: join(dir, 'logs'), argv: [] });
    const warm = await plan(true, session);
    expect(expected(warm)).toEqual(CACHEABLE);
    // No restore measured yet: each counts the default figure, and the exports (never cached) their own.
    for (const step of warm.cached_steps ?? []) expect(step.estimated_ms, step.node).toBe(DEFAULT_RESTORE_MS);
    const restores = new Map(CACHEABLE.map((node) => [node, DEFAULT_RESTORE_MS]));
    expect(warm.estimated_seconds).toBe(estimatedSecondsOf(warm.nodes, warm.stages, restores));
    expect(warm.estimated_seconds).toBeLessThan(coldPlan.estimated_seconds * 0.75);

    const second = await run(warm, 'second', { session });
    const closed = await session.close();
    expect(second.status).toBe('completed');
    // The forecast made before the run is what the run found.
    expect(fromCache(second)).toEqual(expected(warm));
    expect(second.estimatedMs).toBe(Math.round(warm.estimated_seconds * 1000));
    expect(second.estimatedMs).toBeLessThan(first.estimatedMs * 0.75);
    for (const step of second.steps.filter((s) => s.fromCache === true)) expect(step.estimatedMs, step.node).toBe(DEFAULT_RESTORE_MS);

    const document = JSON.parse(await readFile(closed.path, 'utf8')) as CompiledSession;
    const started = document.workflow_executions.find((w) => w.step_name === 'workflow' && w.status === 'in_progress');
    expect(started?.metadata['estimated_duration']).toBe(warm.estimated_seconds);
    expect([...(started?.metadata['expected_from_cache'] as string[])].sort()).toEqual(CACHEABLE);
    const planned = document.workflow_executions.find((w) => w.status === 'planned');
    expect(planned?.metadata['estimated_duration']).toBe(warm.estimated_seconds);
    expect([...(planned?.metadata['expected_from_cache'] as string[])].sort()).toEqual(CACHEABLE);
  });

  it('estimates the next restores from the measured ones', async () => {
    const measured = estimates.restoreEstimateFor('import.csv');
    expect(measured).not.toBeNull();
    const next = await plan();
    expect(next.cached_steps?.find((s) => s.node === 'import')?.estimated_ms).toBe(Math.round(measured ?? -1));
  });

  it('keeps the full estimate with --no-cache, even for a plan made with the cache', async () => {
    const warm = await plan();
    expect(warm.cached_steps?.length).toBe(CACHEABLE.length);
    const uncached = await run(warm, 'no-cache', { cache: false });
    expect(fromCache(uncached)).toEqual([]);
    expect(uncached.estimatedMs).toBe(Math.round(estimatedSecondsOf(warm.nodes, warm.stages) * 1000));
    expect((await plan(false)).cached_steps).toBeUndefined();
  });

  it('gives the full estimate back when an input file changed, without reading it to find out', async () => {
    await appendFile(data, '2026-03-02T09:00:00Z,10.20.0.99,53000,203.0.113.200,443,TCP,allow,1500,900,kira.rossi,,,\n');
    expect(await cache.digests.known(data)).toBeNull();
    const changed = await plan();
    expect(changed.cached_steps).toBeUndefined();
    expect(changed.estimated_seconds).toBe((await plan(false)).estimated_seconds);
    expect(await forecastCachedSteps(changed, registry, cache)).toEqual(new Map());
    // Still not hashed: planning read the file's profile, never its whole content for a digest.
    expect(await cache.digests.known(data)).toBeNull();

    const result = await run(changed, 'changed');
    expect(result.status).toBe('completed');
    expect(fromCache(result)).toEqual([]);
    expect(result.estimatedMs).toBe(Math.round(changed.estimated_seconds * 1000));
  });
});
