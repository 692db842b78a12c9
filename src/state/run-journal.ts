// Each run's plan and status, written when it starts and when it ends, with the process that runs it: a run left
// `running` whose process is gone from this host died (kill -9, a crash, a power cut) and reads as `interrupted`,
// which is how `cs-helper resume` recognises it beside the runs that failed or were cancelled, and the runs still going.
import { hostname } from 'node:os';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { processExists } from '../process-alive.js';
import type { StateDatabase } from './state-database.js';
import { storedPlan } from './stored-plan.js';

export interface JournalEntry {
  readonly runId: string;
  readonly planId: string;
  readonly planJson: string;
  readonly outputDir: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** As the run ended, or `running`; `interrupted` for a run left `running` whose process is gone from this host. */
  readonly status: string;
  /**
   * The process running the run, when the journal knows it (runs journalled before this was kept have none), and
   * whether it is alive: null when that cannot be told from here (another host, or no process recorded).
   */
  readonly process: { readonly pid: number; readonly host: string; readonly alive: boolean | null } | null;
  readonly resumedFrom: string | null;
  /**
   * The run that completed this one's work: a resume of it (or a resume of that resume, and so on) that completed.
   * Null when none did. The run's own status stays as it ended; this says it needs no further resume.
   */
  readonly completedBy: string | null;
}

/** The runs whose id starts with a prefix: how many there are, and the newest of them. */
export interface JournalMatches {
  readonly total: number;
  readonly entries: readonly JournalEntry[];
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
  pid: number | null;
  host: string | null;
}

const KEEP_RUNS = 2_000;

/** What a run id (or a prefix of one) may contain: a UUID's hex digits and hyphens. */
const RUN_ID_PREFIX = /^[0-9a-f-]{1,36}$/i;

export class RunJournal {
  readonly #state: StateDatabase;

  constructor(state: StateDatabase) {
    this.#state = state;
  }

  started(runId: string, plan: WorkflowPlan, outputDir: string, resumedFrom: string | null = null): void {
    const db = this.#state.db;
    this.#state.write(() => {
      db.prepare('INSERT OR REPLACE INTO run_journal (run_id, plan_id, plan_json, output_dir, started_at, status, resumed_from, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        runId,
        plan.id,
        JSON.stringify(storedPlan(plan)),
        outputDir,
        new Date().toISOString(),
        'running',
        resumedFrom,
        process.pid,
        thisHost(),
      );
      db.prepare('DELETE FROM run_journal WHERE started_at < (SELECT started_at FROM run_journal ORDER BY started_at DESC LIMIT 1 OFFSET ?)').run(KEEP_RUNS);
    });
  }

  ended(runId: string, status: 'completed' | 'failed' | 'cancelled'): void {
    this.#state.write(() => {
      this.#state.db.prepare('UPDATE run_journal SET status = ?, ended_at = ? WHERE run_id = ?').run(status, new Date().toISOString(), runId);
    });
  }

  /**
   * The runs whose id starts with `prefix` (an id is long: users paste a prefix), newest first: all of them counted,
   * at most `limit` returned. A prefix that cannot be part of a run id matches nothing.
   */
  match(prefix: string, limit = 5): JournalMatches {
    if (!RUN_ID_PREFIX.test(prefix)) return { total: 0, entries: [] };
    // Hex digits and hyphens only: nothing in the pattern is a LIKE wildcard.
    const pattern = `${prefix.toLowerCase()}%`;
    const db = this.#state.db;
    const { n } = db.prepare('SELECT count(*) AS n FROM run_journal WHERE run_id LIKE ?').get(pattern) as { n: number };
    const rows = db.prepare('SELECT * FROM run_journal WHERE run_id LIKE ? ORDER BY started_at DESC LIMIT ?').all(pattern, limit) as Row[];
    return { total: n, entries: rows.map((row) => this.#entryOf(row)) };
  }

  recent(limit = 20): JournalEntry[] {
    return (this.#state.db.prepare('SELECT * FROM run_journal ORDER BY started_at DESC LIMIT ?').all(limit) as Row[]).map((row) => this.#entryOf(row));
  }

  #entryOf(row: Row): JournalEntry {
    const runner = row.pid === null || row.host === null ? null : { pid: row.pid, host: row.host, alive: row.host === thisHost() ? runnerAlive(row.pid) : null };
    return {
      runId: row.run_id,
      planId: row.plan_id,
      planJson: row.plan_json,
      outputDir: row.output_dir,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      // Only a run still marked running can have died: its process's state matters to nothing else.
      status: row.status === 'running' && runner?.alive === false ? 'interrupted' : row.status,
      process: runner,
      resumedFrom: row.resumed_from,
      completedBy: row.status === 'completed' ? null : this.#completedBy(row.run_id),
    };
  }

  /** The first completed run among the resumes of `runId`, followed through resumes of resumes. */
  #completedBy(runId: string): string | null {
    const row = this.#state.db
      .prepare(
        `WITH RECURSIVE resumes(run_id) AS (
           SELECT run_id FROM run_journal WHERE resumed_from = ?
           UNION SELECT j.run_id FROM run_journal j JOIN resumes r ON j.resumed_from = r.run_id
         )
         SELECT j.run_id FROM run_journal j JOIN resumes r ON j.run_id = r.run_id WHERE j.status = 'completed' ORDER BY j.started_at LIMIT 1`,
      )
      .get(runId) as { run_id: string } | undefined;
    return row?.run_id ?? null;
  }
}

/**
 * Whether the process that journalled a run on this host is alive. Our own pid counts as gone: the journal is read by
 * `resume`, a command of its own process that starts no run before it reads, so a run carrying our pid was journalled
 * by an earlier process that had the same pid (pids are reused), which has ended.
 */
function runnerAlive(pid: number): boolean {
  return pid !== process.pid && processExists(pid);
}

let host: string | undefined;
/** This machine's name, read once: a pid says whether a process lives only on the host that gave it. */
function thisHost(): string {
  host ??= hostname();
  return host;
}
