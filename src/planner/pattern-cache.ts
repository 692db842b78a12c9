// The pattern cache: plans that ran successfully, by fingerprint (intents, outputs, the files' schema fingerprints,
// the registry version; never paths), in the state database, with an in-memory LRU in front for the hot path.
import { z } from 'zod';
import { adaptationPointSchema, planNodeSchema, stageSchema, unavailableCapabilitySchema, type WorkflowPlan } from '../model/workflow-plan.js';
import { Counter, nextTick, type Counters } from '../state/counters.js';
import type { StateDatabase } from '../state/state-database.js';
import { TOOL_VERSION } from '../version.js';
import { deepFreeze } from '../data/deep-freeze.js';
import { copyJson } from './json-copy.js';
import type { PatternLookup } from './plan-workflow.js';
import type { PlanPattern } from './rebind-pattern.js';
import { storedPlan } from '../state/stored-plan.js';

export const DEFAULT_PATTERN_CACHE_ENTRIES = 500;
export const PATTERN_CACHE_ENTRIES_ENV = 'CS_HELPER_PATTERN_CACHE_ENTRIES';

export interface PatternCacheOptions {
  /** Most patterns kept (in the database and in memory); the least recently used go first. */
  readonly maxEntries?: number;
}

/** What a stored plan must hold to be re-bound; anything else (an older tool's plan, a damaged row) is a miss. */
const storedPatternSchema = z.object({
  tool_version: z.literal(TOOL_VERSION),
  nodes: z.array(planNodeSchema).min(1),
  unavailable: z.array(unavailableCapabilitySchema),
  stages: z.array(stageSchema).optional(),
  adaptation_points: z.array(adaptationPointSchema).optional(),
  profile: z.object({ files: z.array(z.object({ path: z.string() })) }),
});

/** Uses of memory entries are written to the database in batches of this many (and on close, and before a record): see FLUSH_EVERY in state/counters.ts. */
const TOUCH_FLUSH_EVERY = 1024;

export class PatternCache implements PatternLookup {
  readonly #state: StateDatabase;
  readonly #counters: Counters;
  readonly #maxEntries: number;
  /** Fingerprint -> pattern, in order of use (a Map iterates in insertion order: the first key is the oldest). */
  readonly #memory = new Map<string, PlanPattern>();
  readonly #touched = new Map<string, number>();
  #touches = 0;

  constructor(state: StateDatabase, counters: Counters, options: PatternCacheOptions = {}) {
    this.#state = state;
    this.#counters = counters;
    this.#maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_PATTERN_CACHE_ENTRIES));
    state.onClose(() => {
      this.#flushTouches();
    });
  }

  get maxEntries(): number {
    return this.#maxEntries;
  }

  /**
   * The stored pattern, or null; counts a hit or a miss. The pattern is deeply frozen and shared: nobody can change the
   * cache's objects, and a hit costs no copy (a deep copy of the steps was most of a cached plan's time).
   */
  lookup(fingerprint: string): PlanPattern | null {
    let pattern = this.#memory.get(fingerprint) ?? null;
    if (pattern === null) {
      pattern = this.#load(fingerprint);
      if (pattern !== null) this.#remember(fingerprint, pattern);
    } else {
      // Most recently used moves to the end.
      this.#memory.delete(fingerprint);
      this.#memory.set(fingerprint, pattern);
    }
    if (pattern === null) {
      this.#counters.add(Counter.patternMiss);
      return null;
    }
    this.#counters.add(Counter.patternHit);
    this.#touch(fingerprint);
    return pattern;
  }

  /**
   * Remembers the plan of a run that completed: only patterns that worked are reused. A newer success for the same
   * fingerprint replaces the older one; beyond the size cap the least recently used patterns are removed.
   */
  record(plan: WorkflowPlan): void {
    const pattern: PlanPattern = deepFreeze({
      nodes: copyJson(plan.nodes),
      unavailable: copyJson(plan.unavailable),
      files: plan.profile.files.map((f) => f.path),
      stages: copyJson(plan.stages),
      adaptationPoints: copyJson(plan.adaptation_points),
    });
    const json = JSON.stringify({ ...storedPlan(plan), from_cache: false });
    const now = new Date().toISOString();
    this.#flushTouches();
    this.#state.write(() => {
      const tick = nextTick(this.#state);
      this.#state.db
        .prepare(
          `INSERT INTO patterns (fingerprint, registry_version, plan_json, created_at, used_at, use_seq) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (fingerprint) DO UPDATE SET registry_version = excluded.registry_version, plan_json = excluded.plan_json,
             used_at = excluded.used_at, use_seq = excluded.use_seq, successes = successes + 1`,
        )
        .run(plan.fingerprint, plan.registry_version, json, now, now, tick);
      this.#state.db
        .prepare('DELETE FROM patterns WHERE fingerprint IN (SELECT fingerprint FROM patterns ORDER BY use_seq ASC LIMIT max(0, (SELECT count(*) FROM patterns) - ?))')
        .run(this.#maxEntries);
    });
    this.#remember(plan.fingerprint, pattern);
  }

  /** Patterns in the database. */
  size(): number {
    return (this.#state.db.prepare('SELECT count(*) AS n FROM patterns').get() as { n: number }).n;
  }

  #load(fingerprint: string): PlanPattern | null {
    const row = this.#state.db.prepare('SELECT plan_json FROM patterns WHERE fingerprint = ?').get(fingerprint) as { plan_json: string } | undefined;
    if (row === undefined) return null;
    let json: unknown;
    try {
      json = JSON.parse(row.plan_json);
    } catch {
      return null;
    }
    const parsed = storedPatternSchema.safeParse(json);
    if (!parsed.success) return null;
    const { nodes, unavailable, stages, adaptation_points: adaptationPoints, profile } = parsed.data;
    return deepFreeze({ nodes, unavailable, files: profile.files.map((f) => f.path), ...(stages === undefined ? {} : { stages }), ...(adaptationPoints === undefined ? {} : { adaptationPoints }) });
  }

  #remember(fingerprint: string, pattern: PlanPattern): void {
    this.#memory.delete(fingerprint);
    this.#memory.set(fingerprint, pattern);
    while (this.#memory.size > this.#maxEntries) {
      const oldest = this.#memory.keys().next();
      if (oldest.done === true) break;
      this.#memory.delete(oldest.value);
    }
  }

  #touch(fingerprint: string): void {
    const uses = (this.#touched.get(fingerprint) ?? 0) + 1;
    // Moved to the end: the batch is written in order of last use.
    this.#touched.delete(fingerprint);
    this.#touched.set(fingerprint, uses);
    this.#touches += 1;
    if (this.#touches >= TOUCH_FLUSH_EVERY) this.#flushTouches();
  }

  /** Writes uses in the order they happened, so the database's LRU order matches this process's. */
  #flushTouches(): void {
    if (this.#touched.size === 0 || this.#state.closed) return;
    const touched = [...this.#touched.entries()];
    this.#touched.clear();
    this.#touches = 0;
    const now = new Date().toISOString();
    const update = this.#state.db.prepare('UPDATE patterns SET used_at = ?, use_seq = ?, hits = hits + ? WHERE fingerprint = ?');
    this.#state.write(() => {
      for (const [fingerprint, hits] of touched) update.run(now, nextTick(this.#state), hits, fingerprint);
    });
  }
}

/** The size cap from $CS_HELPER_PATTERN_CACHE_ENTRIES, when it is a positive number. */
export function patternCacheEntriesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = Number(env[PATTERN_CACHE_ENTRIES_ENV]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
