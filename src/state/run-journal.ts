// Each run's plan and status, written when it starts and when it ends: a run that died has status `running` forever,
// which is how `cs-helper resume` recognises it beside the runs that failed or were cancelled.
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { StateDatabase } from './state-database.js';

export interface JournalEntry {
  readonly runId: string;
  readonly planId: string;
  readonly planJson: string;
  readonly outputDir: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly status: string;
  readonly resumedFrom: string | null;
}

interface Row {
  run_id: string;
  plan_id: string;
  plan_json: string;
  output_dir: string;
  started_at: string;
  ended_at: string | null;
  status: string;
  resumed_from: string | null;
}

const KEEP_RUNS = 2_000;

export class RunJournal {
  readonly #state: StateDatabase;

  constructor(state: StateDatabase) {
    this.#state = state;
  }

  started(runId: string, plan: WorkflowPlan, outputDir: string, resumedFrom: string | null = null): void {
    const db = this.#state.db;
    this.#state.write(() => {
      db.prepare('INSERT OR REPLACE INTO run_journal (run_id, plan_id, plan_json, output_dir, started_at, status, resumed_from) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        runId,
        plan.id,
        JSON.stringify(plan),
        outputDir,
        new Date().toISOString(),
        'running',
        resumedFrom,
      );
      db.prepare('DELETE FROM run_journal WHERE started_at < (SELECT started_at FROM run_journal ORDER BY started_at DESC LIMIT 1 OFFSET ?)').run(KEEP_RUNS);
    });
  }

  ended(runId: string, status: 'completed' | 'failed' | 'cancelled'): void {
    this.#state.write(() => {
      this.#state.db.prepare('UPDATE run_journal SET status = ?, ended_at = ? WHERE run_id = ?').run(status, new Date().toISOString(), runId);
    });
  }

  /** Entries whose run id starts with `prefix` (an id is long: users paste a prefix). */
  find(prefix: string): JournalEntry[] {
    if (!/^[0-9a-f-]{4,36}$/i.test(prefix)) return [];
    const rows = this.#state.db.prepare('SELECT * FROM run_journal WHERE run_id LIKE ? ORDER BY started_at DESC LIMIT 10').all(`${prefix.toLowerCase()}%`) as Row[];
    return rows.map(entryOf);
  }

  recent(limit = 20): JournalEntry[] {
    return (this.#state.db.prepare('SELECT * FROM run_journal ORDER BY started_at DESC LIMIT ?').all(limit) as Row[]).map(entryOf);
  }
}

function entryOf(row: Row): JournalEntry {
  return {
    runId: row.run_id,
    planId: row.plan_id,
    planJson: row.plan_json,
    outputDir: row.output_dir,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status,
    resumedFrom: row.resumed_from,
  };
}
