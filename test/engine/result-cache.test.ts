// The result cache: an unchanged step is served from the cache on the next run, with the same rows and summary; a
// change of input content or parameters misses; without the cache every step runs.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { Workspace } from '../../src/data/workspace.js';
import { IndicatorCollector } from '../../src/intel/feeds/feed-indicator.js';
import { clearImportedFeeds, storeImportedFeeds } from '../../src/intel/feeds/imported-feeds.js';
import { stateHomePath } from '../../src/state/state-home.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import { LearnedEstimates } from '../../src/engine/learned-estimates.js';
import { ResultCache } from '../../src/engine/result-cache.js';
import type { RunEvent } from '../../src/engine/run-event.js';
import type { RunResult, StepResult } from '../../src/model/run-result.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import type { CompiledSession } from '../../src/session/compiled-session.js';
import { SessionLogger } from '../../src/session/session-logger.js';
import { Counter, Counters } from '../../src/state/counters.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
const CACHEABLE = ['import', 'quality', 'ioc-match', 'patterns', 'enrich'];

describe('the result cache', () => {
  let dir: string;
  let state: StateDatabase;
  let counters: Counters;
  let cache: ResultCache;
  let plan: WorkflowPlan;
  let first: RunResult;

  const run = (p: WorkflowPlan, out: string, options: { cache?: ResultCache | null; session?: SessionLogger; events?: RunEvent[] } = {}): Promise<RunResult> =>
    executePlan(p, {
      registry,
      outputDir: join(dir, out),
      workspace: { threads: 2 },
      ...(options.cache === null ? {} : { resultCache: options.cache ?? cache }),
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.events === undefined ? {} : { onEvent: (e: RunEvent) => options.events?.push(e) }),
    });
  const step = (result: RunResult, node: string): StepResult => {
    const found = result.steps.find((s) => s.node === node);
    if (found === undefined) throw new Error(`no step ${node}`);
    return found;
  };
  const cachedNodes = (result: RunResult): string[] => result.steps.filter((s) => s.fromCache === true).map((s) => s.node).sort();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-result-cache-'));
    await copyFile(join(FIXTURES_DIR, 'firewall.csv'), join(dir, 'data.csv'));
    state = StateDatabase.open({ home: join(dir, 'home') });
    counters = new Counters(state);
    cache = new ResultCache(state, counters);
    plan = await planWorkflow({ problem: 'Analyze this CSV for security threats and export enriched data', inputFiles: ['data.csv'], outputs: ['enriched_data', 'threat_report'], baseDir: dir }, registry);
    first = await run(plan, 'first');
  });
  afterAll(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every finished step but the exports', () => {
    expect(first.status).toBe('completed');
    expect(cachedNodes(first)).toEqual([]);
    expect(cache.stats().entries).toBe(CACHEABLE.length);
    expect(counters.get(Counter.resultMiss)).toBe(CACHEABLE.length);
  });

  it('serves unchanged steps from the cache on the next run: same rows, same summary, said so, and logged', async () => {
    const logDir = join(dir, 'logs');
    const session = SessionLogger.start({ logDir, argv: [] });
    const events: RunEvent[] = [];
    const second = await run(plan, 'second', { session, events });
    const closed = await session.close();

    expect(second.status).toBe('completed');
    expect(cachedNodes(second)).toEqual([...CACHEABLE].sort());
    for (const node of CACHEABLE) {
      const before = step(first, node);
      const after = step(second, node);
      expect([after.rowsIn, after.rowsOut], node).toEqual([before.rowsIn, before.rowsOut]);
      expect(after.summary, node).toBe(`${before.summary} (from the result cache)`);
    }
    // Exports always run, and write exactly what the first run wrote (row order and threat columns included).
    expect(step(second, 'export-enriched_data').fromCache).toBeUndefined();
    expect(await readFile(join(dir, 'second', 'enriched_data.csv'), 'utf8')).toBe(await readFile(join(dir, 'first', 'enriched_data.csv'), 'utf8'));
    expect(counters.get(Counter.resultHit)).toBe(CACHEABLE.length);

    // The progress display sees the same summary; the session log says where each result came from.
    const ends = events.flatMap((e) => (e.type === 'step-end' && e.step.node === 'enrich' ? [e.step.summary] : []));
    expect(ends[0]).toContain('from the result cache');
    const document = JSON.parse(await readFile(closed.path, 'utf8')) as CompiledSession;
    const hits = document.workflow_executions.filter((w) => w.metadata['cache'] === 'hit').map((w) => w.step_name).sort();
    expect(hits).toEqual([...CACHEABLE].sort());
    expect(document.decision_points.filter((d) => d.chosen === 'reuse cached result')).toHaveLength(CACHEABLE.length);
  });

  it('misses from the changed step on when a parameter changes', async () => {
    const changed = structuredClone(plan);
    const patterns = changed.nodes.find((n) => n.id === 'patterns');
    if (patterns === undefined) throw new Error('no patterns step');
    patterns.params = { ...patterns.params, outlier_threshold: 2.7 };
    const result = await run(changed, 'params');
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    // Enrichment reads the pattern findings: its key changes with theirs.
    expect(cachedNodes(result)).toEqual(['import', 'ioc-match', 'quality']);
    expect(step(result, 'patterns').fromCache).toBeUndefined();
    expect(step(result, 'enrich').fromCache).toBeUndefined();
  });

  it('runs indicator matching again once a feed is imported, though no file the plan names changed', async () => {
    // The imported feeds live in the state folder (CS_HELPER_HOME, a temporary one per test file): not in the plan.
    const sql = await (await Workspace.open({ threads: 1 })).session();
    try {
      const collector = new IndicatorCollector('feed:test');
      collector.add('168.61.173.149');
      await storeImportedFeeds(sql, stateHomePath(), [{ name: 'test', feed: collector.finish('plain') }], new Date());
    } finally {
      sql.close();
    }
    const result = await run(plan, 'feed-imported');
    expect(result.status).toBe('completed');
    expect(step(result, 'ioc-match').fromCache).toBeUndefined();
    expect(step(result, 'ioc-match').rowsOut).toBeGreaterThan(step(first, 'ioc-match').rowsOut);
    // Import, quality and patterns do not read feeds; enrichment reads the findings, so it runs too.
    expect(cachedNodes(result)).toEqual(['import', 'patterns', 'quality']);
    // The same store again: served from the cache.
    expect(cachedNodes(await run(plan, 'feed-imported-again'))).toEqual([...CACHEABLE].sort());
    clearImportedFeeds(stateHomePath());
  });

  it('misses everything when the input file content changes, even at the same path and size', async () => {
    const path = join(dir, 'data.csv');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('kira.rossi', 'kira.rosse'));
    const result = await run(plan, 'changed');
    expect(result.status).toBe('completed');
    expect(cachedNodes(result)).toEqual([]);
    // And once run, the new content is cached in its turn.
    expect(cachedNodes(await run(plan, 'changed-again'))).toEqual([...CACHEABLE].sort());
  });

  it('runs every step without a cache (--no-cache)', async () => {
    const result = await run(plan, 'uncached', { cache: null });
    expect(result.status).toBe('completed');
    expect(cachedNodes(result)).toEqual([]);
  });

  it('keeps within its size cap, evicting the least recently used entries (and their files)', async () => {
    const own = StateDatabase.open({ home: join(dir, 'small-home') });
    try {
      const small = new ResultCache(own, new Counters(own), { maxBytes: 6_000 });
      await run(plan, 'small', { cache: small });
      const stats = small.stats();
      expect(stats.bytes).toBeGreaterThan(0);
      expect(stats.bytes).toBeLessThanOrEqual(6_000);
      expect(stats.entries).toBeLessThan(CACHEABLE.length);
      const folders = (await readdir(small.dir, { recursive: true })).filter((f) => f.endsWith('.parquet'));
      const indexed = own.db.prepare("SELECT count(*) AS n FROM results WHERE entry_json LIKE '%.parquet%'").get() as { n: number };
      expect(folders.length).toBeLessThanOrEqual(2 * indexed.n);
      // The oldest entry went first: the import, stored before everything else.
      expect(own.db.prepare("SELECT count(*) AS n FROM results WHERE node = 'import'").get()).toEqual({ n: 0 });
    } finally {
      own.close();
    }
  });
});

describe('the result cache keeps row order', () => {
  it('restores a large table in its original row order, with its row ids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cs-helper-row-order-'));
    const state = StateDatabase.open({ home: join(dir, 'home') });
    const cache = new ResultCache(state, new Counters(state));
    const workspace = await Workspace.open({ threads: 2 });
    try {
      const sql = await workspace.session();
      // Values in no particular order, so that any reordering shows.
      await sql.run('CREATE TABLE t AS SELECT (i * 7919) % 200003 AS v, md5(i::VARCHAR) AS h FROM range(200000) r(i)');
      const handle = await workspace.handle(sql, 't', ['t.csv']);
      const plan = await planWorkflow({ problem: 'statistics', inputFiles: ['firewall.csv'], baseDir: FIXTURES_DIR }, createBuiltInRegistry());
      const node = plan.nodes[0];
      if (node === undefined) throw new Error('empty plan');
      const component = registry.get(node.component);
      await cache.put('k'.repeat(64), node, component, { dataset: handle, rowsIn: 1, rowsOut: 1, message: 'm' }, { sql, inputs: { datasets: [], findings: [], summaries: [] } });
      const entry = cache.get('k'.repeat(64));
      if (entry === null) throw new Error('not stored');
      const restored = await cache.restore(entry, { sql, tableName: (p) => workspace.tableName(p), runId: 'run-1', inputs: { datasets: [], findings: [], summaries: [] } });
      const view = restored.dataset;
      if (view === undefined) throw new Error('no dataset restored');
      expect(view.rowCount).toBe(200_000);
      expect(view.columns.map((c) => c.name)).toEqual(['v', 'h']);
      // Exports read tables without ORDER BY: what they write must come out in the same order.
      await sql.run(`COPY (SELECT v, h FROM t) TO '${join(dir, 'a.csv')}'`);
      await sql.run(`COPY (SELECT v, h FROM "${view.table}") TO '${join(dir, 'b.csv')}'`);
      expect(await readFile(join(dir, 'b.csv'), 'utf8')).toBe(await readFile(join(dir, 'a.csv'), 'utf8'));
      const mismatched = await sql.scalar(`SELECT count(*) FROM "${view.table}" c JOIN (SELECT rowid AS r, v FROM t) o ON o.r = c.${view.rowId} WHERE o.v <> c.v`);
      expect(mismatched).toBe(0);
      sql.close();
      await cache.release('run-1');
    } finally {
      await workspace.close();
      state.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('learned estimates recorded by a run', () => {
  it('records each step against its estimate, and the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cs-helper-estimates-run-'));
    const state = StateDatabase.open({ home: join(dir, 'home') });
    try {
      const plan = await planWorkflow({ problem: 'Analyze this CSV for security threats', inputFiles: ['firewall.csv'], outputs: ['findings'], baseDir: FIXTURES_DIR }, registry);
      const estimates = new LearnedEstimates(state);
      const result = await executePlan(plan, { registry, outputDir: join(dir, 'out'), workspace: { threads: 2 }, estimates });
      expect(result.status).toBe('completed');
      const runs = state.db.prepare('SELECT run_id, status, steps FROM runs').all() as { run_id: string; status: string; steps: number }[];
      expect(runs).toEqual([{ run_id: result.runId, status: 'completed', steps: plan.nodes.length }]);
      const steps = state.db.prepare('SELECT node, estimated_ms, duration_ms FROM step_runs ORDER BY node').all() as { node: string; estimated_ms: number; duration_ms: number }[];
      expect(steps.map((s) => s.node)).toEqual(plan.nodes.map((n) => n.id).sort());
      for (const s of steps) expect(s.estimated_ms).toBe(plan.nodes.find((n) => n.id === s.node)?.estimated_ms);
    } finally {
      state.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
