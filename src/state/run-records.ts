// What runs measured, kept for `cs-helper metrics` and the learned estimates: plan generation times (batched: planning
// is a hot path), each run's outcome and each step's time against its estimate (written once, when the run ends).
import type { StateDatabase } from './state-database.js';

export interface PlanEvent {
  readonly planId: string;
  readonly fingerprint: string;
  readonly fromCache: boolean;
  /** Whether the pattern cache was consulted (a hit or a miss): not with --no-cache, nor for a plan of several datasets. */
  readonly cacheLookup: boolean;
  readonly generationMs: number;
}

export interface RunRecord {
  readonly runId: string;
  readonly planId: string;
  readonly fingerprint: string;
  readonly planFromCache: boolean;
  readonly startedAt: string;
  readonly status: string;
  readonly durationMs: number;
  readonly estimatedMs: number;
  readonly steps: number;
  readonly cachedSteps: number;
}

export interface StepSample {
  readonly node: string;
  /** The component that produced the result (a fallback's id when one took over). */
  readonly component: string;
  readonly componentVersion: string;
  readonly status: 'completed' | 'failed' | 'skipped' | 'cancelled';
  /** Served from the result cache: counts as usage, never as a time measurement. */
  readonly cached: boolean;
  /** One attempt, one iteration, no fallback: a time the learned estimates may learn from. */
  readonly clean: boolean;
  /** The plan's input size, the one the estimate was made for. */
  readonly inputRows: number;
  readonly inputBytes: number;
  readonly inputColumns: number;
  readonly rowsIn: number;
  readonly rowsOut: number;
  /** What the plan said (possibly already learned). */
  readonly estimatedMs: number;
  /**
   * What the component's own estimate said for the input size when the step ran, kept in the record. Learned estimates
   * compare durations with the component's current estimate instead (engine/learned-estimates.ts).
   */
  readonly baseEstimateMs: number;
  readonly durationMs: number;
}

/** Rows of each history table kept; older ones are removed when a run is recorded. */
export const HISTORY_ROWS = 20_000;
const PLAN_EVENT_FLUSH_EVERY = 256;

export class RunRecords {
  readonly #state: StateDatabase;
  readonly #pendingPlans: PlanEvent[] = [];
  readonly #pendingAt: string[] = [];

  constructor(state: StateDatabase) {
    this.#state = state;
    state.onClose(() => {
      this.flush();
    });
  }

  planGenerated(event: PlanEvent): void {
    this.#pendingPlans.push(event);
    this.#pendingAt.push(new Date().toISOString());
    if (this.#pendingPlans.length >= PLAN_EVENT_FLUSH_EVERY) this.flush();
  }

  runFinished(run: RunRecord, steps: readonly StepSample[]): void {
    const db = this.#state.db;
    const at = new Date().toISOString();
    const insertRun = db.prepare(
      `INSERT OR REPLACE INTO runs (run_id, plan_id, fingerprint, plan_from_cache, started_at, status, duration_ms, estimated_ms, steps, cached_steps)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertStep = db.prepare(
      `INSERT INTO step_runs (run_id, at, node, component, component_version, status, cached, clean, input_rows, input_bytes, input_columns, rows_in, rows_out, estimated_ms, base_estimate_ms, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.flush();
    this.#state.write(() => {
      insertRun.run(run.runId, run.planId, run.fingerprint, flag(run.planFromCache), run.startedAt, run.status, run.durationMs, run.estimatedMs, run.steps, run.cachedSteps);
      for (const s of steps) {
        insertStep.run(run.runId, at, s.node, s.component, s.componentVersion, s.status, flag(s.cached), flag(s.clean), s.inputRows, s.inputBytes, s.inputColumns, s.rowsIn, s.rowsOut, s.estimatedMs, s.baseEstimateMs, s.durationMs);
      }
      for (const table of ['runs', 'step_runs', 'plan_events']) db.prepare(`DELETE FROM ${table} WHERE id <= (SELECT max(id) FROM ${table}) - ?`).run(HISTORY_ROWS);
    });
  }

  flush(): void {
    if (this.#pendingPlans.length === 0 || this.#state.closed) return;
    const events = this.#pendingPlans.splice(0);
    const at = this.#pendingAt.splice(0);
    const insert = this.#state.db.prepare('INSERT INTO plan_events (at, plan_id, fingerprint, from_cache, cache_lookup, generation_ms) VALUES (?, ?, ?, ?, ?, ?)');
    this.#state.write(() => {
      events.forEach((e, i) => insert.run(at[i] ?? '', e.planId, e.fingerprint, flag(e.fromCache), flag(e.cacheLookup), e.generationMs));
    });
  }
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}
