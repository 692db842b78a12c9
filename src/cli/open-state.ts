// Opens the state folder for a command: the pattern and result caches (unless --no-cache), the learned estimates and
// the run records, over one database. A folder that cannot be written is an error before any work starts.
import { ResultCacheForecast } from '../engine/cache-forecast.js';
import { LearnedEstimates } from '../engine/learned-estimates.js';
import { ResultCache, resultCacheBytesFromEnv } from '../engine/result-cache.js';
import { PatternCache, patternCacheEntriesFromEnv } from '../planner/pattern-cache.js';
import type { PlanMemory } from '../planner/plan-with-memory.js';
import { Counters } from '../state/counters.js';
import { RunJournal } from '../state/run-journal.js';
import { Templates } from '../state/templates.js';
import { RunRecords } from '../state/run-records.js';
import { StateDatabase } from '../state/state-database.js';

export interface CliState {
  readonly state: StateDatabase;
  readonly patterns: PatternCache | undefined;
  readonly resultCache: ResultCache | undefined;
  readonly estimates: LearnedEstimates;
  /** For planWithMemory. */
  readonly planMemory: PlanMemory;
  /** For executePlan (through runWithProgress, which also keeps the run journal for `cs-helper resume`). */
  readonly runMemory: { readonly resultCache?: ResultCache; readonly estimates: LearnedEstimates; readonly journal: RunJournal };
  readonly journal: RunJournal;
  readonly templates: Templates;
  close(): void;
}

export async function openCliState(options: { readonly noCache: boolean; readonly home?: string }): Promise<CliState> {
  const state = StateDatabase.open(options.home === undefined ? {} : { home: options.home });
  const counters = new Counters(state);
  const records = new RunRecords(state);
  const estimates = new LearnedEstimates(state, records);
  const journal = new RunJournal(state);
  const maxEntries = patternCacheEntriesFromEnv();
  const maxBytes = resultCacheBytesFromEnv();
  const patterns = options.noCache ? undefined : new PatternCache(state, counters, maxEntries === undefined ? {} : { maxEntries });
  const resultCache = options.noCache ? undefined : new ResultCache(state, counters, maxBytes === undefined ? {} : { maxBytes });
  await resultCache?.sweep().catch(() => undefined);
  return {
    state,
    patterns,
    resultCache,
    estimates,
    // The plan's estimate counts the steps the result cache holds at a restore's cost (none with --no-cache).
    planMemory: { patterns, estimates, records, ...(resultCache === undefined ? {} : { results: new ResultCacheForecast(resultCache, estimates) }) },
    runMemory: { ...(resultCache === undefined ? {} : { resultCache }), estimates, journal },
    journal,
    templates: new Templates(state),
    close: () => {
      state.close();
    },
  };
}
