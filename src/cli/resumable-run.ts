// Which journalled run `cs-helper resume <id>` means: the one run whose id starts with what was typed, refused when
// it (or a resume of it) already completed, or when it is still running on this host (a second copy would write into
// the same output folder).
import { NoSuchRunError } from '../model/errors/no-such-run-error.js';
import { PlanError } from '../model/errors/plan-error.js';
import { UsageError } from '../model/errors/usage-error.js';
import type { JournalEntry, RunJournal } from '../state/run-journal.js';

const RERUN_HINT = 'to run its plan again, export it with dynamic-workflow --export and use `cs-helper run`';

export function resumableRun(journal: Pick<RunJournal, 'match'>, query: string): JournalEntry {
  const prefix = query.trim().toLowerCase();
  if (!/^[0-9a-f-]+$/.test(prefix)) throw new UsageError(`'${query}' is not a run id`, 'run ids look like 01a219d3-856b-7508-822d-1edce2253f60; list them with `cs-helper resume list`');
  const { total, entries } = journal.match(prefix);
  const [entry] = entries;
  if (entry === undefined || total > 1) throw new NoSuchRunError(query, total, entries.map((e) => e.runId));
  if (entry.status === 'completed') throw new PlanError('run-completed', `run ${entry.runId} completed; there is nothing to resume`, RERUN_HINT);
  if (entry.completedBy !== null) {
    throw new PlanError('run-completed', `run ${entry.runId} was completed by run ${entry.completedBy}, which resumed it; there is nothing to resume`, `its outputs are in ${entry.outputDir}; ${RERUN_HINT}`);
  }
  if (entry.status === 'running' && entry.process?.alive === true) {
    throw new PlanError(
      'run-still-running',
      `run ${entry.runId} is still running (process ${entry.process.pid}, started ${entry.startedAt}); resuming it would start a second copy writing to ${entry.outputDir}`,
      `wait for it to end, or stop it (Ctrl-C in its terminal, or kill ${entry.process.pid}), then resume it if it did not complete; \`cs-helper resume list\` shows its status`,
    );
  }
  return entry;
}
