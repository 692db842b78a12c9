// The run journal: runs found by any unique prefix of their id, and a run whose work a resume completed says so.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { RunJournal } from '../../src/state/run-journal.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { fixturePlan } from '../helpers/component-harness.js';

/** A run id like the engine's (UUID v7): the first characters are the time, so many runs share them. */
const runId = (n: number, head = '01a2'): string => `${head}${n.toString(16).padStart(4, '0')}-0000-7000-8000-000000000000`;

describe('RunJournal', () => {
  let dir: string;
  let state: StateDatabase;
  let journal: RunJournal;
  let plan: WorkflowPlan;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-journal-'));
    state = StateDatabase.open({ home: dir });
    journal = new RunJournal(state);
    plan = await fixturePlan();
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the plan with the secrets of its problem text redacted, as the session log has it', () => {
    const secret = { ...plan, profile: { ...plan.profile, problem: 'Analyze this CSV password=Hunter2SuperSecret! with api_key: AKIAIOSFODNN7EXAMPLE' } };
    journal.started(runId(1), secret, '/out');
    const stored = state.db.prepare('SELECT plan_json FROM run_journal').pluck().get() as string;
    expect(stored).not.toContain('Hunter2SuperSecret');
    expect(stored).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect((JSON.parse(stored) as WorkflowPlan).profile.problem).toMatch(/^Analyze this CSV password=\[REDACTED\]/);
    // The plan is otherwise the same: its steps run as planned.
    expect((JSON.parse(stored) as WorkflowPlan).nodes).toEqual(plan.nodes);
  });

  it('matches a prefix of any length, counting every match and returning the newest few', () => {
    for (let n = 0; n < 24; n += 1) journal.started(runId(n), plan, '/out');
    journal.started(runId(1, '01b3'), plan, '/out');

    const many = journal.match('01');
    expect(many.total).toBe(25);
    expect(many.entries).toHaveLength(5);
    expect(journal.match('01a2', 50).entries).toHaveLength(24);
    expect(journal.match('01B').entries.map((e) => e.runId)).toEqual([runId(1, '01b3')]);
    expect(journal.match('01b3').total).toBe(1);
    expect(journal.match(runId(7)).entries.map((e) => e.runId)).toEqual([runId(7)]);
    for (const query of ['', 'ff', '01%', '01_', "01'"]) expect(journal.match(query), query).toEqual({ total: 0, entries: [] });
  });

  it('names the resume that completed a run, through resumes of resumes; failed or unfinished resumes complete nothing', () => {
    const [original, firstResume, secondResume, other, otherResume] = [runId(1), runId(2), runId(3), runId(4), runId(5)];
    journal.started(original, plan, '/out');
    journal.ended(original, 'failed');
    journal.started(firstResume, plan, '/out', original);
    journal.ended(firstResume, 'cancelled');
    journal.started(other, plan, '/other');
    journal.ended(other, 'failed');
    journal.started(otherResume, plan, '/other', other);

    const completedBy = (id: string): string | null | undefined => journal.match(id).entries[0]?.completedBy;
    expect([completedBy(original), completedBy(firstResume), completedBy(other)]).toEqual([null, null, null]);

    journal.started(secondResume, plan, '/out', firstResume);
    journal.ended(secondResume, 'completed');
    journal.ended(otherResume, 'failed');
    expect([completedBy(original), completedBy(firstResume), completedBy(secondResume)]).toEqual([secondResume, secondResume, null]);
    expect([completedBy(other), completedBy(otherResume)]).toEqual([null, null]);
    // The run's own status stays as it ended.
    expect(journal.recent().find((e) => e.runId === original)).toMatchObject({ status: 'failed', completedBy: secondResume, resumedFrom: null });
    expect(journal.recent().find((e) => e.runId === secondResume)).toMatchObject({ status: 'completed', resumedFrom: firstResume });
  });
});
