// The state database's tables, as numbered migrations: `PRAGMA user_version` says how many have been applied.

/**
 * - `counters`: cache hits and misses (and the LRU clock), added to in batches;
 * - `patterns`: the pattern cache, one successful plan per fingerprint, least recently used evicted first;
 * - `results`: the result cache's index (the tables themselves are Parquet files under results/);
 * - `file_digests`: content hashes of input files, remembered by path, size, mtime, ctime and inode;
 * - `plan_events`, `runs`, `step_runs`: what `cs-helper metrics` and the learned estimates read;
 * - `run_journal`: each run's plan and status from its start, so `cs-helper resume` can continue a run that failed or
 *   died (its finished steps come back from the result cache);
 * - `templates`: plans saved by name (`--save-template`), run again on other files with `cs-helper templates run`.
 *
 * `plan_events.cache_lookup` (added third) says whether the plan consulted the pattern cache: a plan made with
 * --no-cache or of several datasets does not, so it counts as neither a hit nor a miss. Null for older events.
 *
 * `run_journal.pid` and `.host` (added fourth) name the process that runs the run: a `running` run whose process is
 * gone from this host was interrupted (and may be resumed); one whose process is alive is refused. Null for older runs.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  CREATE TABLE patterns (
    fingerprint      TEXT PRIMARY KEY,
    registry_version TEXT NOT NULL,
    plan_json        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    used_at          TEXT NOT NULL,
    use_seq          INTEGER NOT NULL,
    hits             INTEGER NOT NULL DEFAULT 0,
    successes        INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX patterns_lru ON patterns (use_seq);

  CREATE TABLE results (
    key               TEXT PRIMARY KEY,
    node              TEXT NOT NULL,
    component         TEXT NOT NULL,
    component_version TEXT NOT NULL,
    entry_json        TEXT NOT NULL,
    bytes             INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    used_at           TEXT NOT NULL,
    use_seq           INTEGER NOT NULL,
    hits              INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX results_lru ON results (use_seq);

  CREATE TABLE file_digests (
    path       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mtime_ns   TEXT NOT NULL,
    ctime_ns   TEXT NOT NULL,
    ino        TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    checked_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE plan_events (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    plan_id       TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    from_cache    INTEGER NOT NULL,
    generation_ms REAL NOT NULL
  ) STRICT;

  CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    run_id          TEXT NOT NULL UNIQUE,
    plan_id         TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    plan_from_cache INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    status          TEXT NOT NULL,
    duration_ms     REAL NOT NULL,
    estimated_ms    REAL NOT NULL,
    steps           INTEGER NOT NULL,
    cached_steps    INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE step_runs (
    id                INTEGER PRIMARY KEY,
    run_id            TEXT NOT NULL,
    at                TEXT NOT NULL,
    node              TEXT NOT NULL,
    component         TEXT NOT NULL,
    component_version TEXT NOT NULL,
    status            TEXT NOT NULL,
    cached            INTEGER NOT NULL,
    clean             INTEGER NOT NULL,
    input_rows        INTEGER NOT NULL,
    input_bytes       INTEGER NOT NULL,
    input_columns     INTEGER NOT NULL,
    rows_in           INTEGER NOT NULL,
    rows_out          INTEGER NOT NULL,
    estimated_ms      REAL NOT NULL,
    base_estimate_ms  REAL NOT NULL,
    duration_ms       REAL NOT NULL
  ) STRICT;
  CREATE INDEX step_runs_component ON step_runs (component, id);
  `,
  `
  CREATE TABLE run_journal (
    run_id      TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL,
    plan_json   TEXT NOT NULL,
    output_dir  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    status      TEXT NOT NULL,
    resumed_from TEXT
  ) STRICT;
  CREATE INDEX run_journal_started ON run_journal (started_at);

  CREATE TABLE templates (
    name        TEXT PRIMARY KEY,
    plan_json   TEXT NOT NULL,
    problem     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    used_at     TEXT
  ) STRICT;
  `,
  `
  ALTER TABLE plan_events ADD COLUMN cache_lookup INTEGER;
  `,
  `
  ALTER TABLE run_journal ADD COLUMN pid INTEGER;
  ALTER TABLE run_journal ADD COLUMN host TEXT;
  `,
];
