// How a worker's jobs are guarded against the worker dying: lock length, stalled-check interval, stalls allowed.
// Kept apart from the Worker itself so the CLI can show the defaults in --help without loading BullMQ.

export interface WorkerTiming {
  /** How long a job's lock lasts; renewed at half this while the job runs. A dead worker's job waits this long at most. */
  readonly lockDurationMs: number;
  /** How often the stalled check runs. */
  readonly stalledIntervalMs: number;
  /** Stalls a job survives before it is failed: a job that kills every worker that takes it must stop somewhere. */
  readonly maxStalledCount: number;
}

/**
 * Two minutes: a step that blocks the event loop (a long JS pass over column chunks) must not lose its lock; renewal
 * happens every minute. A dead worker's job is then picked up again within about two and a half minutes.
 */
export const DEFAULT_WORKER_TIMING: WorkerTiming = { lockDurationMs: 120_000, stalledIntervalMs: 30_000, maxStalledCount: 2 };
