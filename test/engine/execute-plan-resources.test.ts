// A plan's `resources` are input like the rest of a plan file: a spill folder that cannot be used fails the run as a
// user error naming the field (and the run journal records the run as failed, not `running`); a memory limit above
// the machine's memory is refused when the plan is loaded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import type { RunEvent } from '../../src/engine/run-event.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { MAX_MEMORY_LIMIT_MB } from '../../src/model/workflow-plan.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { RunJournal } from '../../src/state/run-journal.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { fixturePlan } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();

describe("a plan's resources", () => {
  let dir: string;
  let state: StateDatabase;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-plan-resources-'));
    state = StateDatabase.open({ home: join(dir, 'home') });
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  const withResources = (plan: WorkflowPlan, resources: Partial<NonNullable<WorkflowPlan['resources']>>): WorkflowPlan => ({
    ...plan,
    resources: { threads: 1, memory_limit_mb: 512, spill_dir: null, reason: 'edited', ...resources },
  });

  it.each([
    ['does not exist', () => join(dir, 'no', 'such', 'folder')],
    ['is not a folder', () => join(dir, 'a-file')],
  ])('fails the run, journalled as failed, when resources.spill_dir %s', async (why, spillDir) => {
    await writeFile(join(dir, 'a-file'), 'not a folder');
    const plan = withResources(await fixturePlan(), { spill_dir: spillDir() });
    const journal = new RunJournal(state);
    const events: RunEvent[] = [];
    // As run-with-progress.ts journals a run: started on run-start, ended with the result.
    const result = await executePlan(plan, {
      registry,
      outputDir: join(dir, 'out'),
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'run-start') journal.started(event.runId, plan, join(dir, 'out'));
      },
    });
    journal.ended(result.runId, result.status);

    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'spill-dir-unusable', message: `the plan's resources.spill_dir '${spillDir()}' ${why}` });
    expect(result.error?.hint).toContain('resources.spill_dir');
    expect(events.at(-1)?.type).toBe('run-end');
    expect(journal.match(result.runId).entries[0]?.status).toBe('failed');
  });

  it('reads a relative spill_dir from the plan\'s base folder', async () => {
    const plan = { ...withResources(await fixturePlan(), { spill_dir: 'spill' }), base_dir: dir };
    const result = await executePlan(plan, { registry, outputDir: join(dir, 'out') });
    expect(result.error?.message).toBe(`the plan's resources.spill_dir '${join(dir, 'spill')}' does not exist`);
  });

  it('refuses a memory limit above the machine\'s memory when the plan is loaded', async () => {
    const plan = withResources(await fixturePlan(), { memory_limit_mb: 1e9 });
    expect(() => validatePlan(JSON.parse(JSON.stringify(plan)), registry, 'p.json')).toThrow(`at most this machine's memory, ${String(MAX_MEMORY_LIMIT_MB)} MB`);
    const fine = withResources(await fixturePlan(), { memory_limit_mb: 1024 });
    expect(validatePlan(JSON.parse(JSON.stringify(fine)), registry, 'p.json').resources?.memory_limit_mb).toBe(1024);
  });
});
