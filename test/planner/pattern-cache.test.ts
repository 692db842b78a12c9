// The pattern cache: a plan that ran well is reused for the next problem of the same shape, re-bound to its files.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { PatternCache } from '../../src/planner/pattern-cache.js';
import { planWithMemory, rememberPattern } from '../../src/planner/plan-with-memory.js';
import { planWorkflow, type WorkflowRequest } from '../../src/planner/plan-workflow.js';
import { Counter, Counters } from '../../src/state/counters.js';
import { readMetrics } from '../../src/state/read-metrics.js';
import { RunRecords } from '../../src/state/run-records.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
const PROBLEM = 'Analyze this CSV for security threats and export enriched data';

describe('the pattern cache', () => {
  let dir: string;
  let state: StateDatabase;
  let counters: Counters;
  let patterns: PatternCache;
  let records: RunRecords;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-patterns-'));
    await copyFile(join(FIXTURES_DIR, 'firewall.csv'), join(dir, 'first.csv'));
    // The same columns, fewer rows, another folder: the same shape, another file.
    await mkdir(join(dir, 'elsewhere'));
    const lines = (await readFile(join(FIXTURES_DIR, 'firewall.csv'), 'utf8')).split('\n');
    await writeFile(join(dir, 'elsewhere', 'second.csv'), `${lines.slice(0, 11).join('\n')}\n`);
    state = StateDatabase.open({ home: join(dir, 'home') });
    counters = new Counters(state);
    patterns = new PatternCache(state, counters, { maxEntries: 10 });
    records = new RunRecords(state);
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (file: string, outputs: readonly string[] = ['enriched_data', 'threat_report'], extra: Partial<WorkflowRequest> = {}): WorkflowRequest => ({ problem: PROBLEM, inputFiles: [file], outputs, baseDir: dir, outputDir: 'out', ...extra });
  const plan = (file: string, outputs?: readonly string[], extra?: Partial<WorkflowRequest>): Promise<WorkflowPlan> => planWithMemory(request(file, outputs, extra), registry, { patterns, records });

  it('returns the stored pattern on the second call for a same-shaped file at another path, and counts the hit', async () => {
    const first = await plan('first.csv');
    expect(first.from_cache).toBe(false);
    expect(counters.get(Counter.patternMiss)).toBe(1);
    rememberPattern(patterns, first, 'completed');

    const second = await plan('elsewhere/second.csv', undefined, { outputDir: 'other-out' });
    expect(second.from_cache).toBe(true);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(counters.get(Counter.patternHit)).toBe(1);
    expect(counters.get(Counter.patternMiss)).toBe(1);
    expect(second.id).not.toBe(first.id);
    expect(second.output_dir).toBe('other-out');
    // Bound to the new file: the import reads it, the profile describes it.
    const importNode = second.nodes.find((n) => n.id === 'import');
    expect(importNode?.params['paths']).toEqual(['elsewhere/second.csv']);
    expect(second.profile.files.map((f) => f.path)).toEqual(['elsewhere/second.csv']);
    expect(second.profile.files[0]?.estimated_rows).toBe(10);
  });

  it('re-binds to exactly the plan the planner would make for the new file (but for id, time and origin)', async () => {
    rememberPattern(patterns, await plan('first.csv'), 'completed');
    const cached = await plan('elsewhere/second.csv', undefined, { feeds: ['feed.txt'] });
    const fresh = await planWorkflow(request('elsewhere/second.csv', undefined, { feeds: ['feed.txt'] }), registry);
    expect(cached.from_cache).toBe(true);
    const comparable = (p: WorkflowPlan): Omit<WorkflowPlan, 'id' | 'created_at' | 'from_cache'> => {
      const { id: _id, created_at: _created, from_cache: _from, ...rest } = p;
      return rest;
    };
    expect(comparable(cached)).toEqual(comparable(fresh));
  });

  it.each([
    ['a JSON Lines alert file, for compliance', 'alerts.jsonl', 'Process these alerts for compliance and report data quality', ['compliance_report']],
    ['a semicolon CSV, statistics only', 'dns-semicolon.csv', 'Give me statistics of this DNS log', ['results.json']],
    ['a TSV proxy log, enrichment', 'proxy.tsv', 'Enrich these proxy logs with threat intelligence', ['enriched_data.jsonl']],
  ])('re-binds %s exactly as the planner would plan it', async (_label, fixture, problem, outputs) => {
    const planner = join(FIXTURES_DIR, '..', 'planner');
    await copyFile(join(planner, fixture), join(dir, fixture));
    await copyFile(join(planner, fixture), join(dir, 'elsewhere', `copy-${fixture}`));
    const ask = (file: string): WorkflowRequest => ({ problem, inputFiles: [file], outputs, baseDir: dir });
    rememberPattern(patterns, await planWithMemory(ask(fixture), registry, { patterns }), 'completed');
    const cached = await planWithMemory(ask(`elsewhere/copy-${fixture}`), registry, { patterns });
    const fresh = await planWorkflow(ask(`elsewhere/copy-${fixture}`), registry);
    expect(cached.from_cache).toBe(true);
    expect({ ...cached, id: '', created_at: '', from_cache: false }).toEqual({ ...fresh, id: '', created_at: '' });
  });

  it('never hands out its own objects: changing a returned plan changes nothing stored', async () => {
    const first = await plan('first.csv');
    rememberPattern(patterns, first, 'completed');
    first.nodes[0]?.depends_on.push('tampered');
    const second = await plan('first.csv');
    const importParams = second.nodes.find((n) => n.id === 'import')?.params;
    if (importParams === undefined) throw new Error('no import step');
    importParams['paths'] = ['/etc/passwd'];
    second.nodes.push({ ...(second.nodes[0] as WorkflowPlan['nodes'][number]), id: 'extra' });
    const third = await plan('first.csv');
    expect(third.from_cache).toBe(true);
    expect(third.nodes.map((n) => n.id)).toEqual(first.nodes.map((n) => n.id).filter((id) => id !== 'extra'));
    expect(third.nodes.find((n) => n.id === 'import')?.params['paths']).toEqual(['first.csv']);
    expect(third.nodes[0]?.depends_on).not.toContain('tampered');
  });

  it('shares only frozen parts between the plans it hands out: a change to them throws and changes nothing', async () => {
    rememberPattern(patterns, await plan('first.csv'), 'completed');
    const hit = await plan('elsewhere/second.csv');
    expect(hit.from_cache).toBe(true);
    const quality = hit.nodes.find((n) => n.component === 'validation.quality');
    if (quality === undefined) throw new Error('no quality step');
    // The step object is the plan's own; the parts that do not depend on the files are the pattern's, read-only.
    quality.estimated_ms = 1;
    expect(() => quality.depends_on.push('tampered')).toThrow(TypeError);
    expect(() => {
      quality.params['max_offending_rows'] = 0;
    }).toThrow(TypeError);
    expect(() => hit.stages[0]?.nodes.push('tampered')).toThrow(TypeError);
    const next = await plan('elsewhere/second.csv');
    const again = next.nodes.find((n) => n.component === 'validation.quality');
    expect(again?.depends_on).not.toContain('tampered');
    expect(again?.estimated_ms).toBeGreaterThan(1);
    expect(next.stages[0]?.nodes).not.toContain('tampered');
  });

  it('remembers only plans whose run completed', async () => {
    const first = await plan('first.csv');
    rememberPattern(patterns, first, 'failed');
    rememberPattern(patterns, first, 'cancelled');
    expect((await plan('first.csv')).from_cache).toBe(false);
    expect(patterns.size()).toBe(0);
  });

  it('evicts the least recently used pattern beyond its size cap', async () => {
    const small = new PatternCache(state, counters, { maxEntries: 2 });
    const planWith = (outputs: readonly string[]): Promise<WorkflowPlan> => planWithMemory(request('first.csv', outputs), registry, { patterns: small });
    const a = await planWith(['enriched_data']);
    small.record(a);
    const b = await planWith(['findings']);
    small.record(b);
    // Using A makes B the least recently used.
    expect((await planWith(['enriched_data'])).from_cache).toBe(true);
    const c = await planWith(['threat_report']);
    small.record(c);
    expect(small.size()).toBe(2);
    expect((await planWith(['findings'])).from_cache).toBe(false);
    expect((await planWith(['enriched_data'])).from_cache).toBe(true);
    expect((await planWith(['threat_report'])).from_cache).toBe(true);
  });

  it('persists: another process (a new cache on the same folder) finds the pattern in the database', async () => {
    rememberPattern(patterns, await plan('first.csv'), 'completed');
    const other = new PatternCache(state, counters);
    const again = await planWithMemory(request('elsewhere/second.csv'), registry, { patterns: other });
    expect(again.from_cache).toBe(true);
  });

  it('is bypassed without a cache (--no-cache): planned from scratch, nothing counted', async () => {
    rememberPattern(patterns, await plan('first.csv'), 'completed');
    const before = counters.get(Counter.patternHit) + counters.get(Counter.patternMiss);
    const uncached = await planWithMemory(request('first.csv'), registry, { records });
    expect(uncached.from_cache).toBe(false);
    expect(counters.get(Counter.patternHit) + counters.get(Counter.patternMiss)).toBe(before);
  });

  it('records the generation time of cached and uncached plans', async () => {
    rememberPattern(patterns, await plan('first.csv'), 'completed');
    await plan('first.csv');
    records.flush();
    const rows = state.db.prepare('SELECT from_cache, generation_ms FROM plan_events ORDER BY id').all() as { from_cache: number; generation_ms: number }[];
    expect(rows.map((r) => r.from_cache)).toEqual([0, 1]);
    for (const row of rows) expect(row.generation_ms).toBeGreaterThan(0);
  });

  it('sets apart the plans made without a lookup (--no-cache, several datasets), so metrics\' hits and misses add up', async () => {
    await copyFile(join(FIXTURES_DIR, '..', 'planner', 'assets-bom.csv'), join(dir, 'assets.csv'));
    rememberPattern(patterns, await plan('first.csv'), 'completed');
    await plan('first.csv');
    await planWithMemory(request('first.csv'), registry, { records });
    const branched = await planWithMemory({ ...request('first.csv'), inputFiles: ['first.csv', 'assets.csv'] }, registry, { patterns, records });
    expect(branched.nodes.filter((n) => n.type === 'DATA_IMPORT')).toHaveLength(2);
    counters.flush();
    records.flush();
    const metrics = readMetrics(state);
    expect([metrics.plan_generation.all.count, metrics.plan_generation.cached.count, metrics.plan_generation.uncached.count]).toEqual([4, 1, 3]);
    expect(metrics.plan_generation.without_lookup.count).toBe(2);
    expect([metrics.pattern_cache.hits, metrics.pattern_cache.misses]).toEqual([1, 1]);
    expect(metrics.pattern_cache.hits + metrics.pattern_cache.misses).toBe(metrics.plan_generation.all.count - metrics.plan_generation.without_lookup.count);
  });
});
