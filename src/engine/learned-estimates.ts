// Learned estimates: each component's measured time against its own estimate, from real runs. The next plan's
// estimate for a component is its own estimate times the median ratio measured at the nearest input sizes, once there
// are enough clean samples (one attempt, one iteration, not from the cache); otherwise the component's own figure.
// A sample's ratio is taken against what the component's estimate says now for the sample's size, not against the
// figure stored when it ran: when a component's estimate is refitted, old samples would otherwise scale the new
// figure by the old formula's error (a report refitted from ~100 ms to ~850 ms was estimated at 17 s, 20x its time).
// Restores from the result cache are measured apart: they say what the next restore costs, not what a run does.
import type { InputSize } from '../components/component.js';
import type { EstimateSource } from '../planner/estimate-source.js';
import type { StateDatabase } from '../state/state-database.js';
import { RunRecords, type RunRecord, type StepSample } from '../state/run-records.js';

export interface LearnedEstimatesOptions {
  /** Clean samples a component needs before its measured times are used. */
  readonly minSamples?: number;
  /** Samples of the nearest input sizes whose median ratio is taken. */
  readonly neighbours?: number;
}

export const DEFAULT_MIN_SAMPLES = 3;
const DEFAULT_NEIGHBOURS = 5;
/** The latest samples per component that are considered: machines and data change. */
const WINDOW = 50;
/** A learned ratio outside these bounds is a measurement gone wrong (a machine under load), not a trend. */
const MIN_RATIO = 0.05;
const MAX_RATIO = 20;
/** The latest restores per component whose median is taken. */
const RESTORE_WINDOW = 9;

interface Sample {
  readonly size: InputSize;
  readonly logRows: number;
  readonly logBytes: number;
  readonly durationMs: number;
}

export class LearnedEstimates implements EstimateSource {
  readonly #state: StateDatabase;
  readonly #records: RunRecords;
  readonly #minSamples: number;
  readonly #neighbours: number;
  readonly #samples = new Map<string, Sample[]>();
  readonly #restores = new Map<string, number[]>();

  constructor(state: StateDatabase, records: RunRecords = new RunRecords(state), options: LearnedEstimatesOptions = {}) {
    this.#state = state;
    this.#records = records;
    this.#minSamples = Math.max(1, options.minSamples ?? DEFAULT_MIN_SAMPLES);
    this.#neighbours = Math.max(1, options.neighbours ?? DEFAULT_NEIGHBOURS);
  }

  estimateFor(componentId: string, size: InputSize, own: (size: InputSize) => number): number {
    const fallback = own(size);
    const samples = this.#samplesOf(componentId);
    if (samples.length < this.#minSamples) return fallback;
    const rows = Math.log1p(size.rows);
    const bytes = Math.log1p(size.bytes);
    const nearest = [...samples].sort((a, b) => distance(a, rows, bytes) - distance(b, rows, bytes)).slice(0, this.#neighbours);
    const ratios = nearest.flatMap((s) => {
      const base = own(s.size);
      return base > 0 ? [s.durationMs / base] : [];
    });
    if (ratios.length === 0) return fallback;
    return fallback * Math.min(MAX_RATIO, Math.max(MIN_RATIO, median(ratios)));
  }

  /**
   * Milliseconds a restore of the component's result from the result cache is expected to take: the median of its
   * latest measured restores (a view over Parquet, or a copy of the findings); null before the first one.
   */
  restoreEstimateFor(componentId: string): number | null {
    const restores = this.#restoresOf(componentId);
    return restores.length === 0 ? null : median(restores);
  }

  /** How many clean samples a component has (for `metrics` and tests). */
  sampleCount(componentId: string): number {
    return this.#samplesOf(componentId).length;
  }

  /** Stores a run's outcome and its steps' measurements; the clean ones are learned from at once. */
  recordRun(run: RunRecord, steps: readonly StepSample[]): void {
    this.#records.runFinished(run, steps);
    for (const step of steps) {
      if (step.cached && step.status === 'completed' && step.durationMs >= 0) {
        const restores = this.#restores.get(step.component);
        restores?.unshift(step.durationMs);
        if (restores !== undefined && restores.length > RESTORE_WINDOW) restores.length = RESTORE_WINDOW;
      }
      const sample = toSample(step.inputRows, step.inputBytes, step.inputColumns, step.durationMs);
      if (!learnable(step) || sample === null) continue;
      // A component not read yet is read from the database when first asked, this run's samples included.
      const list = this.#samples.get(step.component);
      if (list === undefined) continue;
      list.unshift(sample);
      if (list.length > WINDOW) list.length = WINDOW;
    }
  }

  #samplesOf(componentId: string): Sample[] {
    let samples = this.#samples.get(componentId);
    if (samples === undefined) {
      const rows = this.#state.db
        .prepare(
          `SELECT input_rows, input_bytes, input_columns, duration_ms FROM step_runs
           WHERE component = ? AND status = 'completed' AND cached = 0 AND clean = 1 ORDER BY id DESC LIMIT ?`,
        )
        .all(componentId, WINDOW) as { input_rows: number; input_bytes: number; input_columns: number; duration_ms: number }[];
      samples = rows.flatMap((r) => toSample(r.input_rows, r.input_bytes, r.input_columns, r.duration_ms) ?? []);
      this.#samples.set(componentId, samples);
    }
    return samples;
  }

  #restoresOf(componentId: string): number[] {
    let restores = this.#restores.get(componentId);
    if (restores === undefined) {
      const rows = this.#state.db
        .prepare(`SELECT duration_ms FROM step_runs WHERE component = ? AND status = 'completed' AND cached = 1 ORDER BY id DESC LIMIT ?`)
        .all(componentId, RESTORE_WINDOW) as { duration_ms: number }[];
      restores = rows.flatMap((r) => (r.duration_ms >= 0 ? [r.duration_ms] : []));
      this.#restores.set(componentId, restores);
    }
    return restores;
  }
}

function learnable(step: StepSample): boolean {
  return step.status === 'completed' && !step.cached && step.clean;
}

function toSample(rows: number, bytes: number, columns: number, durationMs: number): Sample | null {
  if (!(durationMs >= 0)) return null;
  return { size: { rows, bytes, columns }, logRows: Math.log1p(rows), logBytes: Math.log1p(bytes), durationMs };
}

function distance(sample: Sample, logRows: number, logBytes: number): number {
  return Math.abs(sample.logRows - logRows) + Math.abs(sample.logBytes - logBytes);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 1) : ((sorted[middle - 1] ?? 1) + (sorted[middle] ?? 1)) / 2;
}
