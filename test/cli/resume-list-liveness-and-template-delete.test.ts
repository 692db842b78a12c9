// In process, as main.ts registers the commands: `resume list` shows a run whose process died as interrupted and a
// run whose process is alive as running (not resumable), `resume` refuses the live one before running anything, and
// `templates delete` deletes a template.
import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openCliState } from '../../src/cli/open-state.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { RunJournal } from '../../src/state/run-journal.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { fixturePlan } from '../helpers/component-harness.js';
import { captureOutput, runInProcess } from '../helpers/in-process-cli.js';
import { rejectionOf } from '../helpers/rejection.js';

const output = captureOutput();

/** Runs `cs-helper <args>` in process; main.ts maps a CsHelperError with code `usage` to exit 2, any other to exit 1. */
async function csHelper(...args: string[]): Promise<void> {
  await runInProcess(output, ['resume', 'templates'], args);
}

describe('cs-helper resume and the processes of runs', () => {
  it('lists a killed run as interrupted and a live one as running, and refuses to resume the live one', async () => {
    const plan = await fixturePlan();
    const killed = '01c40000-0000-7000-8000-000000000001';
    const live = '01c40000-0000-7000-8000-000000000002';
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const runner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      // As two other processes would have journalled them: one since killed with kill -9, one still running.
      const state = StateDatabase.open();
      try {
        const journal = new RunJournal(state);
        journal.started(killed, plan, '/cases/killed');
        journal.started(live, plan, '/cases/live');
        const setPid = state.db.prepare('UPDATE run_journal SET pid = ?, host = ? WHERE run_id = ?');
        setPid.run(deadPid, hostname(), killed);
        setPid.run(runner.pid, hostname(), live);
      } finally {
        state.close();
      }

      await csHelper('resume', 'list', '--json');
      const runs = JSON.parse(output.stdout) as Record<string, unknown>[];
      expect(runs.map((r) => [r['run_id'], r['status'], r['resumable'], r['pid']])).toEqual([
        [live, 'running', false, runner.pid],
        [killed, 'interrupted', true, deadPid],
      ]);

      output.stdout = '';
      await csHelper('resume', 'list');
      expect(output.stdout).toContain(`${killed}  interrupted  `);
      expect(output.stdout).toContain(`${live}  running      `);
      expect(output.stdout).toContain(`(process ${String(runner.pid)} on this host)`);

      output.stdout = '';
      const refused = await rejectionOf(csHelper('resume', live), CsHelperError);
      expect(refused).toMatchObject({ code: 'run-still-running' });
      expect(refused.message).toContain(`run ${live} is still running (process ${String(runner.pid)}`);
      expect(output.stdout).not.toContain('Resuming');
    } finally {
      runner.kill('SIGKILL');
    }
  });
});

describe('cs-helper templates delete', () => {
  it('deletes a template, and refuses a name that is not one with the names there are', async () => {
    const state = await openCliState({ noCache: false });
    try {
      state.templates.save('triage', await fixturePlan());
      state.templates.save('keep', await fixturePlan());
    } finally {
      state.close();
    }
    await csHelper('templates', 'delete', 'triage');
    expect(output.stdout).toMatch(/^Deleted template 'triage' \(.+\)\.\n$/);

    output.stdout = '';
    await csHelper('templates', 'list', '--json');
    expect((JSON.parse(output.stdout) as { name: string }[]).map((t) => t.name)).toEqual(['keep']);

    const missing = await rejectionOf(csHelper('templates', 'delete', 'triage'), CsHelperError);
    expect(missing).toMatchObject({ code: 'no-such-template', message: "no template named 'triage'", hint: 'templates: keep' });
  });
});
