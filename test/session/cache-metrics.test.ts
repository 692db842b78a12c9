// The session log's cache counts on real runs: a first run misses the result cache on every cacheable step, a rerun is
// served by it, and the compiled document says so in `cache_hits`/`cache_misses` and the per-cache keys, the same
// numbers as the state folder's counters that `cs-helper metrics` reads.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import { ResultCache } from '../../src/engine/result-cache.js';
import type { RunResult } from '../../src/model/run-result.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { compiledSessionSchema, type CompiledSession } from '../../src/session/compiled-session.js';
import { SessionLogger } from '../../src/session/session-logger.js';
import { Counter, Counters } from '../../src/state/counters.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();

describe('cache counts in the session log', () => {
  let dir: string;
  let state: StateDatabase;
  let counters: Counters;
  let cache: ResultCache;
  let plan: WorkflowPlan;

  /** One session around one run of the plan, closed and read back as its compiled document. */
  async function runLogged(out: string): Promise<{ result: RunResult; document: CompiledSession }> {
    const session = SessionLogger.start({ logDir: join(dir, 'logs'), argv: [] });
    const result = await executePlan(plan, { registry, outputDir: join(dir, out), workspace: { threads: 2 }, resultCache: cache, session });
    const closed = await session.close();
    return { result, document: compiledSessionSchema.parse(JSON.parse(await readFile(closed.path, 'utf8'))) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-cache-metrics-'));
    await copyFile(join(FIXTURES_DIR, 'firewall.csv'), join(dir, 'data.csv'));
    state = StateDatabase.open({ home: join(dir, 'home') });
    counters = new Counters(state);
    cache = new ResultCache(state, counters);
    plan = await planWorkflow({ problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['data.csv'], outputs: ['enriched_data'], baseDir: dir }, registry);
  });
  afterAll(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts result-cache misses on a first run and hits on the rerun, as the counters do', async () => {
    const first = await runLogged('first');
    expect(first.result.status).toBe('completed');
    const misses = counters.get(Counter.resultMiss);
    expect(misses).toBeGreaterThan(0);
    expect(first.document.performance_metrics).toMatchObject({ result_cache_hits: 0, result_cache_misses: misses, pattern_cache_hits: 0, pattern_cache_misses: 0, cache_hits: 0, cache_misses: misses });

    const rerun = await runLogged('rerun');
    const reused = rerun.result.steps.filter((s) => s.fromCache === true).length;
    expect(reused).toBe(misses);
    expect(counters.get(Counter.resultHit)).toBe(reused);
    expect(rerun.document.performance_metrics).toMatchObject({ result_cache_hits: reused, result_cache_misses: 0, cache_hits: reused, cache_misses: 0 });
  });
});
