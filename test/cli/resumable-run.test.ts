// Which run `cs-helper resume <id>` means: a unique prefix of any length, a clear error when a prefix names several
// runs or none, and a refusal when the run, or a resume of it, already completed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCliState, type CliState } from '../../src/cli/open-state.js';
import { resumableRun } from '../../src/cli/resumable-run.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { NoSuchRunError } from '../../src/model/errors/no-such-run-error.js';
import { RunJournal } from '../../src/state/run-journal.js';
import { fixturePlan } from '../helpers/component-harness.js';
import { rejectionOf } from '../helpers/rejection.js';

const runId = (n: number, head = '01a2'): string => `${head}${n.toString(16).padStart(4, '0')}-0000-7000-8000-000000000000`;

describe('resumableRun', () => {
  let dir: string;
  let state: CliState;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-resume-'));
    state = await openCliState({ noCache: false, home: dir });
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  const refusal = (query: string): Promise<CsHelperError> => rejectionOf(Promise.resolve().then(() => resumableRun(state.journal, query)), CsHelperError);

  it('resolves a unique prefix however short, and names a few of the runs an ambiguous one matches', async () => {
    const plan = await fixturePlan();
    for (let n = 0; n < 24; n += 1) state.journal.started(runId(n), plan, '/out');
    state.journal.started(runId(1, '01b3'), plan, '/out');

    expect(resumableRun(state.journal, '01b').runId).toBe(runId(1, '01b3'));
    expect(resumableRun(state.journal, ` ${runId(7).slice(0, 8).toUpperCase()}`).runId).toBe(runId(7));

    const ambiguous = await refusal('01');
    expect(ambiguous).toBeInstanceOf(NoSuchRunError);
    expect(ambiguous).toMatchObject({ code: 'ambiguous-run', message: "'01' matches 25 runs in the run journal", total: 25 });
    expect(ambiguous.hint).toMatch(/^give more of the id: (01[0-9a-f]{6}-[0-9a-f-]{27}, ){5}\.\.\.$/);
    expect((await refusal('01a2')).message).toBe("'01a2' matches 24 runs in the run journal");
  });

  it('says when nothing matches, with a hint that names the runs that are journalled', async () => {
    const unknown = await refusal('abcdef12');
    expect(unknown).toMatchObject({ code: 'no-such-run', message: "no run 'abcdef12' in the run journal" });
    expect(unknown.hint).toContain('`cs-helper resume list`');
    expect(unknown.hint).toContain('with --no-cache too');
    expect(unknown.hint).toContain('`batch` runs and queue jobs are not');
    expect(await refusal('not-an-id')).toMatchObject({ code: 'usage', message: "'not-an-id' is not a run id" });
  });

  it('journals runs made with --no-cache, as the hint says', async () => {
    const uncached = await openCliState({ noCache: true, home: dir });
    try {
      expect(uncached.resultCache).toBeUndefined();
      expect(uncached.runMemory.journal).toBeInstanceOf(RunJournal);
    } finally {
      uncached.close();
    }
  });

  it('refuses a completed run, and a run that a resume of it completed, naming that resume', async () => {
    const plan = await fixturePlan();
    const [done, original, resume] = [runId(1), runId(2), runId(3)];
    state.journal.started(done, plan, '/out');
    state.journal.ended(done, 'completed');
    state.journal.started(original, plan, '/out');
    state.journal.ended(original, 'failed');
    state.journal.started(resume, plan, '/out', original);
    state.journal.ended(resume, 'failed');

    expect(await refusal(done)).toMatchObject({ code: 'run-completed', message: `run ${done} completed; there is nothing to resume` });
    // A resume that failed completed nothing: the original can still be resumed.
    expect(resumableRun(state.journal, original).runId).toBe(original);

    const finisher = runId(4);
    state.journal.started(finisher, plan, '/out', resume);
    state.journal.ended(finisher, 'completed');
    const refused = await refusal(original);
    expect(refused).toMatchObject({ code: 'run-completed', message: `run ${original} was completed by run ${finisher}, which resumed it; there is nothing to resume` });
    expect(refused.hint).toContain('its outputs are in /out');
    expect((await refusal(resume)).message).toContain(`completed by run ${finisher}`);
  });
});
