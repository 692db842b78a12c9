import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { csvExport } from '../../src/components/export/csv.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import type { RetryPolicy } from '../../src/engine/retry-policy.js';
import type { RunEvent } from '../../src/engine/run-event.js';
import { CancelledError } from '../../src/model/errors/cancelled-error.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { fixturePlan } from '../helpers/component-harness.js';
import { abortedWithin, filesIn, planNode, planWith, registryWith, rendezvous, retryPoint, testComponent } from '../helpers/test-plans.js';

const FAST_RETRIES: RetryPolicy = { maximum_attempts: 3, initial_interval_ms: 1, backoff_coefficient: 1, maximum_interval_ms: 1, jitter: 0, non_retryable_codes: [] };

describe('executePlan when things go wrong', () => {
  let outputDir: string;
  const events: RunEvent[] = [];
  beforeEach(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'cs-helper-engine-'));
    events.length = 0;
  });
  afterEach(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  const started = (node: string): boolean => events.some((e) => e.type === 'step-start' && e.node === node);

  it('fails the run when a step fails, naming the step and the cause; its sibling is aborted and later stages do not run', async () => {
    const meet = rendezvous(2, 5_000);
    let siblingSawAbort = false;
    const failing = testComponent('test.fail', async (context) => {
      await meet(context.signal);
      throw new Error('the feed server closed the connection');
    });
    const sibling = testComponent('test.sibling', async (context) => {
      await meet(context.signal);
      siblingSawAbort = await abortedWithin(context.signal, 5_000);
      if (siblingSawAbort) throw new CancelledError();
    });
    const registry = registryWith(failing, sibling);
    const plan = planWith(
      await fixturePlan(),
      [planNode('fetch-intel', failing), planNode('sibling', sibling), planNode('export-enriched_data', csvExport, ['import', 'fetch-intel'], { output: 'enriched_data', file: 'enriched_data.csv' })],
      registry,
    );
    expect(plan.stages.map((s) => s.nodes)).toEqual([['import'], ['fetch-intel', 'sibling'], ['export-enriched_data']]);

    const result = await executePlan(plan, { registry, outputDir, onEvent: (e) => events.push(e), workspace: { threads: 2 } });

    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('step-failed');
    expect(result.error?.message).toBe("step 'fetch-intel' (test.fail) failed: the feed server closed the connection");
    expect(result.steps.map((s) => [s.node, s.status])).toEqual(expect.arrayContaining([['import', 'completed'], ['fetch-intel', 'failed'], ['sibling', 'cancelled']]));
    expect(siblingSawAbort).toBe(true);
    expect(result.steps.some((s) => s.node === 'export-enriched_data')).toBe(false);
    expect(started('export-enriched_data')).toBe(false);
    expect(result.files).toEqual([]);
    expect(await filesIn(outputDir)).toEqual([]);
    expect(result.rowsOut).toBe(0);
  });

  it('is cancelled before anything runs when the signal is already aborted', async () => {
    const result = await executePlan(await fixturePlan(), { registry: createBuiltInRegistry(), outputDir, signal: AbortSignal.abort(), onEvent: (e) => events.push(e) });

    expect(result.status).toBe('cancelled');
    expect(result.error?.code).toBe('cancelled');
    expect(result.steps).toEqual([]);
    expect(events.some((e) => e.type === 'step-start')).toBe(false);
    expect(events.at(-1)?.type).toBe('run-end');
    expect(await filesIn(outputDir)).toEqual([]);
  });

  it('is cancelled mid-run and leaves no output file, whole, partial or temporary', async () => {
    const controller = new AbortController();
    const onEvent = (event: RunEvent): void => {
      events.push(event);
      if (event.type === 'step-start' && event.node === 'export-enriched_data') controller.abort();
    };
    const result = await executePlan(await fixturePlan(), { registry: createBuiltInRegistry(), outputDir, signal: controller.signal, onEvent, workspace: { threads: 2 } });

    expect(result.status).toBe('cancelled');
    expect(result.error?.code).toBe('cancelled');
    expect(result.steps.find((s) => s.node === 'enrich')?.status).toBe('completed');
    expect(result.steps.find((s) => s.node === 'export-enriched_data')?.status).toBe('cancelled');
    expect(result.steps.filter((s) => s.status === 'completed').map((s) => s.node)).not.toContain('export-threat_report');
    expect(result.files).toEqual([]);
    expect(await filesIn(outputDir)).toEqual([]);
    // Rows were read, none came out: the enriched dataset went with the workspace.
    expect([result.rowsIn, result.rowsOut]).toEqual([24, 0]);
  });
});

describe('executePlan retries', () => {
  let outputDir: string;
  const events: RunEvent[] = [];
  beforeEach(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'cs-helper-engine-'));
    events.length = 0;
  });
  afterEach(async () => {
    await rm(outputDir, { recursive: true, force: true });
  });

  /** A step that fails its first `failures` attempts with the given error; the count of attempts is in `attempts()`. */
  const flaky = (failures: number, retryable: boolean): { component: ReturnType<typeof testComponent>; attempts: () => number } => {
    let count = 0;
    const component = testComponent('test.flaky', (_context, attempt) => {
      count = attempt;
      if (attempt <= failures) return Promise.reject(new CsHelperError('feed-busy', 'the feed file is locked by another process', { retryable }));
      return Promise.resolve();
    });
    return { component, attempts: () => count };
  };

  const run = async (failures: number, retryable: boolean, withRetryPoint: boolean): Promise<{ status: string; message: string | undefined; attempts: number }> => {
    const step = flaky(failures, retryable);
    const registry = registryWith(step.component);
    const plan = planWith(await fixturePlan(), [planNode('load-feed', step.component)], registry, withRetryPoint ? [retryPoint('load-feed')] : []);
    const result = await executePlan(plan, { registry, outputDir, retryPolicy: FAST_RETRIES, onEvent: (e) => events.push(e), workspace: { threads: 2 } });
    return { status: result.status, message: result.error?.message, attempts: step.attempts() };
  };

  const retries = (): RunEvent[] => events.filter((e) => e.type === 'step-retry');

  it('retries a retryable error where the plan says so, and succeeds on the second attempt', async () => {
    const outcome = await run(1, true, true);
    expect(outcome).toEqual({ status: 'completed', message: undefined, attempts: 2 });
    expect(retries()).toEqual([{ type: 'step-retry', node: 'load-feed', attempt: 1, delayMs: 1, error: 'the feed file is locked by another process' }]);
  });

  it('gives up after the policy\'s maximum attempts', async () => {
    const outcome = await run(5, true, true);
    expect(outcome.status).toBe('failed');
    expect(outcome.attempts).toBe(FAST_RETRIES.maximum_attempts);
    expect(outcome.message).toBe("step 'load-feed' (test.flaky) failed: the feed file is locked by another process");
    expect(retries()).toHaveLength(FAST_RETRIES.maximum_attempts - 1);
  });

  it('does not retry an error that is not retryable', async () => {
    const outcome = await run(1, false, true);
    expect(outcome).toEqual({ status: 'failed', message: "step 'load-feed' (test.flaky) failed: the feed file is locked by another process", attempts: 1 });
    expect(retries()).toEqual([]);
  });

  it('does not retry a step the plan has no retry point for', async () => {
    const outcome = await run(1, true, false);
    expect(outcome.status).toBe('failed');
    expect(outcome.attempts).toBe(1);
    expect(retries()).toEqual([]);
  });
});
