// A job's id is a property of the workflow (steps, folders, input files), not of the planning run; its retries follow
// the plan's retry policy, with the engine's own delays.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MinimalJob } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { Workspace } from '../../src/data/workspace.js';
import { IndicatorCollector } from '../../src/intel/feeds/feed-indicator.js';
import { clearImportedFeeds, storeImportedFeeds } from '../../src/intel/feeds/imported-feeds.js';
import { stateHomePath } from '../../src/state/state-home.js';
import { DEFAULT_RETRY_POLICY, retryPolicySchema } from '../../src/model/retry-policy.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { JOB_ID_PATTERN, workflowJobId } from '../../src/queue/job-id.js';
import { firewallCsv, PROBLEM } from './queue-fixtures.js';
import { jobRetryOptions, jobRetryPolicy, planBackoffStrategy, PLAN_BACKOFF } from '../../src/queue/job-retry.js';

const registry = createBuiltInRegistry();
let work: string;
const plan = async (file = 'fw.csv'): Promise<Awaited<ReturnType<typeof planWorkflow>>> =>
  planWorkflow({ problem: PROBLEM, inputFiles: [file], outputs: ['enriched_data'], baseDir: work, outputDir: join(work, 'out') }, registry);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-jobid-'));
  await writeFile(join(work, 'fw.csv'), firewallCsv(20));
  await writeFile(join(work, 'other.csv'), firewallCsv(20));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('workflowJobId', () => {
  it('is the same for the same workflow planned twice, and a plain BullMQ id', async () => {
    const first = await plan();
    const second = await plan();
    expect(second.id).not.toBe(first.id);
    const id = await workflowJobId(first, work, join(work, 'out', 'a'));
    expect(id).toMatch(JOB_ID_PATTERN);
    expect(await workflowJobId(second, work, join(work, 'out', 'a'))).toBe(id);
  });

  it('changes with the output folder, the input file and the file content', async () => {
    const p = await plan();
    const id = await workflowJobId(p, work, join(work, 'out', 'a'));
    expect(await workflowJobId(p, work, join(work, 'out', 'b'))).not.toBe(id);
    expect(await workflowJobId(await plan('other.csv'), work, join(work, 'out', 'a'))).not.toBe(id);
    await appendFile(join(work, 'fw.csv'), '2024-01-02T11:00:00Z,10.0.0.99,203.0.113.99,443,5,deny\n');
    expect(await workflowJobId(p, work, join(work, 'out', 'a'))).not.toBe(id);
  });
});

describe('workflowJobId and the feeds imported into the state folder', () => {
  it('changes once a feed is imported, when the registry says which files indicator matching reads', async () => {
    const p = await plan();
    const out = join(work, 'out', 'feeds');
    const before = await workflowJobId(p, work, out, registry);
    expect(await workflowJobId(p, work, out, registry)).toBe(before);
    const workspace = await Workspace.open({ threads: 1 });
    const sql = await workspace.session();
    try {
      const collector = new IndicatorCollector('feed:test');
      collector.add('203.0.113.99');
      await storeImportedFeeds(sql, stateHomePath(), [{ name: 'test', feed: collector.finish('plain') }], new Date());
    } finally {
      sql.close();
      await workspace.close();
    }
    try {
      // The same workflow submitted after `feeds import` is a new job, not the finished one matched without the feed.
      expect(await workflowJobId(p, work, out, registry)).not.toBe(before);
    } finally {
      clearImportedFeeds(stateHomePath());
    }
  });
});

describe('job retries from the plan', () => {
  it("takes the plan's retry policy, or the default when it has none", async () => {
    const p = await plan();
    const own = p.adaptation_points.find((a) => a.action === 'retry')?.retry;
    expect(jobRetryPolicy(p)).toEqual(own ?? DEFAULT_RETRY_POLICY);
    expect(jobRetryPolicy({ ...p, adaptation_points: [] })).toEqual(DEFAULT_RETRY_POLICY);
    expect(jobRetryOptions(retryPolicySchema.parse({ maximum_attempts: 5 }))).toEqual({ attempts: 5, backoff: { type: PLAN_BACKOFF } });
  });

  it('waits as the policy the job carries says: growing by the coefficient, capped', () => {
    const retry = retryPolicySchema.parse({ initial_interval_ms: 100, backoff_coefficient: 3, maximum_interval_ms: 1_000, jitter: 0 });
    const job = { data: { retry } } as unknown as MinimalJob;
    expect([1, 2, 3, 4].map((attempt) => planBackoffStrategy(attempt, PLAN_BACKOFF, undefined, job))).toEqual([100, 300, 900, 1_000]);
  });

  it('falls back to the default policy for a job without a valid one', () => {
    const job = { data: { retry: { maximum_attempts: 'many' } } } as unknown as MinimalJob;
    const delay = planBackoffStrategy(1, PLAN_BACKOFF, undefined, job);
    const base = DEFAULT_RETRY_POLICY.initial_interval_ms;
    expect(delay).toBeGreaterThanOrEqual(base * (1 - DEFAULT_RETRY_POLICY.jitter));
    expect(delay).toBeLessThanOrEqual(base * (1 + DEFAULT_RETRY_POLICY.jitter));
  });
});
