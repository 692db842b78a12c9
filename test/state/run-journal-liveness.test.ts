// The run journal knows which process runs each run: a run left `running` whose process is gone from this host reads
// as `interrupted` (and may be resumed); `resume` refuses a run whose process is still alive here.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumableRun } from '../../src/cli/resumable-run.js';
import { PlanError } from '../../src/model/errors/plan-error.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { RunJournal } from '../../src/state/run-journal.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { fixturePlan } from '../helpers/component-harness.js';

const runId = (n: number): string => `01b3${n.toString(16).padStart(4, '0')}-0000-7000-8000-000000000000`;

/** The pid of a process that has ended: what a run killed with kill -9 leaves in the journal. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

/** A process that lives until killed: a run still going in another terminal. */
function liveProcess(): ChildProcess & { pid: number } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child as ChildProcess & { pid: number };
}

describe('RunJournal and the processes of its runs', () => {
  let dir: string;
  let state: StateDatabase;
  let journal: RunJournal;
  let plan: WorkflowPlan;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-journal-liveness-'));
    state = StateDatabase.open({ home: dir });
    journal = new RunJournal(state);
    plan = await fixturePlan();
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  const setProcess = (id: string, pid: number | null, host: string | null): void => {
    state.db.prepare('UPDATE run_journal SET pid = ?, host = ? WHERE run_id = ?').run(pid, host, id);
  };

  it('records the process and host of a run, and refuses to resume it while that process is alive', () => {
    journal.started(runId(1), plan, '/out/live');
    expect(journal.match(runId(1)).entries[0]?.process).toMatchObject({ pid: process.pid, host: hostname() });

    // The run's process is another one, alive on this host (resume runs in a process of its own).
    const runner = liveProcess();
    try {
      setProcess(runId(1), runner.pid, hostname());
      const entry = journal.match(runId(1)).entries[0];
      expect(entry).toMatchObject({ status: 'running', process: { pid: runner.pid, host: hostname(), alive: true } });

      let refused: unknown;
      try {
        resumableRun(journal, runId(1).slice(0, 8));
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(PlanError);
      expect((refused as PlanError).code).toBe('run-still-running');
      expect((refused as PlanError).message).toBe(`run ${runId(1)} is still running (process ${runner.pid}, started ${entry?.startedAt ?? ''}); resuming it would start a second copy writing to /out/live`);
      expect((refused as PlanError).hint).toContain(`kill ${runner.pid}`);
    } finally {
      runner.kill('SIGKILL');
    }
  });

  it('takes a run carrying its own pid for one of an earlier process that had that pid: interrupted', () => {
    journal.started(runId(6), plan, '/out/reused');
    expect(journal.match(runId(6)).entries[0]).toMatchObject({ status: 'interrupted', process: { pid: process.pid, alive: false } });
  });

  it('shows a run whose process died as interrupted, and lets it be resumed', () => {
    journal.started(runId(2), plan, '/out/killed');
    setProcess(runId(2), deadPid(), hostname());
    expect(journal.recent()[0]).toMatchObject({ runId: runId(2), status: 'interrupted', process: { alive: false } });
    expect(resumableRun(journal, runId(2)).status).toBe('interrupted');
  });

  it('cannot tell for a run of another host or one journalled before processes were kept: running, resumable', () => {
    journal.started(runId(3), plan, '/out/elsewhere');
    setProcess(runId(3), process.pid, `${hostname()}-other`);
    journal.started(runId(4), plan, '/out/old');
    setProcess(runId(4), null, null);
    expect(journal.match(runId(3)).entries[0]).toMatchObject({ status: 'running', process: { alive: null } });
    expect(journal.match(runId(4)).entries[0]).toMatchObject({ status: 'running', process: null });
    expect(resumableRun(journal, runId(4)).runId).toBe(runId(4));
  });

  it('keeps the status of a run that ended, whatever became of its process', () => {
    journal.started(runId(5), plan, '/out/done');
    journal.ended(runId(5), 'failed');
    setProcess(runId(5), deadPid(), hostname());
    expect(journal.match(runId(5)).entries[0]?.status).toBe('failed');
  });
});
