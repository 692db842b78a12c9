// The strategies beyond sequential/parallel, forced one by one: a condition that skips, a loop that adjusts a parameter
// until its bound, retries then a fallback, a time limit that aborts through the signal; each logged as a decision.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { defineComponent, type AnyComponent } from '../../src/components/component.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import { ComponentType, Complexity } from '../../src/model/component-kind.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import type { RetryPolicy } from '../../src/model/retry-policy.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { SessionLogger } from '../../src/session/session-logger.js';
import { fixturePlan } from '../helpers/component-harness.js';
import { planNode, planWith, registryWith } from '../helpers/test-plans.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'engine');
const FAST: RetryPolicy = { maximum_attempts: 3, initial_interval_ms: 1, backoff_coefficient: 1, maximum_interval_ms: 1, jitter: 0, non_retryable_codes: [] };

interface LoggedEvent {
  event: string;
  decision?: string;
  chosen?: string;
  reasoning?: string;
  status?: string;
  step_name?: string;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-strategies-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function eventsOf(session: SessionLogger): Promise<LoggedEvent[]> {
  session.endSession();
  return (await readFile(session.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as LoggedEvent);
}

/** A summary-only analysis step whose behaviour per call is given by `work` (throwing or not). */
function step(id: string, work: (call: number, signal: AbortSignal) => Promise<void>, fallback?: string): AnyComponent {
  let calls = 0;
  return defineComponent({
    id,
    version: '1',
    type: ComponentType.ANALYSIS,
    complexity: Complexity.COMPLEX,
    title: id,
    description: 'strategy test component',
    capabilities: [],
    consumes: ['dataset'],
    produces: ['summary'],
    order: 10,
    params: z.object({}),
    estimateMs: () => 1,
    ...(fallback === undefined ? {} : { fallback }),
    async run(context, inputs) {
      calls += 1;
      await work(calls, context.signal);
      return { rowsIn: inputs.datasets[0]?.rowCount ?? 0, rowsOut: 0, summary: { calls }, message: `${id} call ${calls}` };
    },
  });
}

describe('planned strategies on quiet data', () => {
  it('skips indicator matching when no column can hold an indicator, and lowers the outlier threshold until its bound', async () => {
    const registry = createBuiltInRegistry();
    const plan = await planWorkflow({ problem: 'Hunt for threats in these sensor readings', inputFiles: ['quiet-sensors.csv'], outputs: ['enriched_data'], baseDir: FIXTURES, outputDir: join(dir, 'out') }, registry);
    expect(plan.nodes.find((n) => n.id === 'ioc-match')?.condition).not.toBeNull();
    expect(plan.nodes.find((n) => n.id === 'patterns')?.loop).toMatchObject({ max_iterations: 3, adjust: { param: 'outlier_threshold' } });
    expect(plan.adaptation_points).toContainEqual(expect.objectContaining({ node: 'patterns', trigger: 'low-yield', action: 'adjust-parameter' }));

    const session = SessionLogger.start({ logDir: join(dir, 'logs') });
    const result = await executePlan(plan, { registry, session });
    expect(result.status).toBe('completed');
    const ioc = result.steps.find((s) => s.node === 'ioc-match');
    expect(ioc?.status).toBe('skipped');
    expect(ioc?.summary).toMatch(/^condition not met: /);
    const patterns = result.steps.find((s) => s.node === 'patterns');
    expect(patterns).toMatchObject({ status: 'completed', iterations: 3 });
    expect(patterns?.adaptations).toEqual(['outlier_threshold 4.5 -> 3.6', 'outlier_threshold 3.6 -> 2.88']);
    // Enrichment still ran on the data, with nothing to score.
    expect(result.steps.find((s) => s.node === 'enrich')?.status).toBe('completed');

    const events = await eventsOf(session);
    expect(events).toContainEqual(expect.objectContaining({ event: 'decision', decision: 'run ioc-match?', chosen: 'skip' }));
    expect(events.filter((e) => e.event === 'decision' && e.chosen === 'adjust-parameter')).toHaveLength(2);
    expect(events).toContainEqual(expect.objectContaining({ event: 'decision', decision: 'repeat patterns?', chosen: 'stop' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'workflow-execution', step_name: 'ioc-match', status: 'skipped' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'decision', decision: 'resources' }));
  });

  it('does not lower the threshold again when no measure column was judged', async () => {
    // An asset list: names and categories, no number to judge. Nothing stands out, and no threshold could change that.
    const registry = createBuiltInRegistry();
    const plan = await planWorkflow({ problem: 'Find anomalies in this asset inventory', inputFiles: ['quiet-inventory.csv'], outputs: ['enriched_data'], baseDir: FIXTURES, outputDir: join(dir, 'out') }, registry);
    const session = SessionLogger.start({ logDir: join(dir, 'logs') });
    const result = await executePlan(plan, { registry, session });
    expect(result.status).toBe('completed');
    const patterns = result.steps.find((s) => s.node === 'patterns');
    expect(patterns).toMatchObject({ status: 'completed', iterations: 1, adaptations: [] });
    const events = await eventsOf(session);
    expect(events.filter((e) => e.event === 'decision' && e.chosen === 'adjust-parameter')).toHaveLength(0);
  });

  it('stops the loop as soon as its condition holds', async () => {
    const registry = createBuiltInRegistry();
    const plan = await fixturePlan();
    const result = await executePlan(plan, { registry, outputDir: join(dir, 'out') });
    // The firewall fixture has outliers at the first threshold: one iteration, nothing adjusted.
    expect(result.steps.find((s) => s.node === 'patterns')).toMatchObject({ status: 'completed', iterations: 1, adaptations: [] });
  });
});

describe('adaptation when a step fails or is slow', () => {
  it('retries a transient failure, then falls back to the simpler component once retries are exhausted, logging both', async () => {
    const flaky = step('test.flaky', () => Promise.reject(new CsHelperError('feed-busy', 'the feed server is busy', { retryable: true })), 'test.steady');
    const steady = step('test.steady', () => Promise.resolve());
    const registry = registryWith(flaky, steady);
    const plan = planWith(await fixturePlan(), [planNode('flaky', flaky)], registry, [
      { node: 'flaky', trigger: 'failure', action: 'retry', detail: 'test', retry: FAST },
      { node: 'flaky', trigger: 'failure', action: 'fallback', detail: 'test', fallback: 'test.steady' },
    ]);
    const session = SessionLogger.start({ logDir: join(dir, 'logs') });
    const result = await executePlan(plan, { registry, session, outputDir: join(dir, 'out') });
    expect(result.status).toBe('completed');
    const stepResult = result.steps.find((s) => s.node === 'flaky');
    expect(stepResult).toMatchObject({ status: 'completed', component: 'test.steady', attempts: 4 });
    expect(stepResult?.adaptations).toEqual(['retried after: the feed server is busy', 'retried after: the feed server is busy', 'fell back to test.steady after: the feed server is busy']);
    const events = await eventsOf(session);
    const adaptations = events.filter((e) => e.event === 'decision' && e.decision === 'adaptation').map((e) => e.chosen);
    expect(adaptations).toEqual(['retry', 'retry', 'fallback to test.steady']);
    expect(events.filter((e) => e.event === 'workflow-execution' && e.step_name === 'flaky').map((e) => e.status)).toEqual(['in_progress', 'retried', 'retried', 'adapted', 'completed']);
  });

  it('does not retry a user mistake, and with no fallback the run fails naming the step', async () => {
    let calls = 0;
    const broken = step('test.broken', () => {
      calls += 1;
      return Promise.reject(new CsHelperError('bad-parameter', 'the column "srcip" does not exist'));
    });
    const registry = registryWith(broken);
    const plan = planWith(await fixturePlan(), [planNode('broken', broken)], registry, [{ node: 'broken', trigger: 'failure', action: 'retry', detail: 'test', retry: FAST }]);
    const result = await executePlan(plan, { registry, outputDir: join(dir, 'out') });
    expect(result.status).toBe('failed');
    expect(calls).toBe(1);
    expect(result.error?.message).toBe("step 'broken' (test.broken) failed: the column \"srcip\" does not exist");
  });

  it('aborts a slow step through its signal at its time limit, retries it, and fails with a timeout', async () => {
    let sawAbort = 0;
    const slow = step('test.slow', async (_call, signal) => {
      await new Promise<void>((resolvePromise, reject) => {
        const timer = setTimeout(resolvePromise, 10_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          sawAbort += 1;
          reject(new Error('aborted'));
        }, { once: true });
      });
    });
    const registry = registryWith(slow);
    const node = { ...planNode('slow', slow), timeout_ms: 150 };
    const plan = planWith(await fixturePlan(), [node], registry, [{ node: 'slow', trigger: 'timeout', action: 'retry', detail: 'test', retry: { ...FAST, maximum_attempts: 2 } }]);
    const started = performance.now();
    const result = await executePlan(plan, { registry, outputDir: join(dir, 'out') });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(sawAbort).toBe(2);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('took longer than 150 ms and was stopped');
    expect(result.steps.find((s) => s.node === 'slow')).toMatchObject({ status: 'failed', attempts: 2 });
  });
});
