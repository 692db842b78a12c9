// What a run returns and what the CLI prints: every figure measured while the run happened.

export interface StepResult {
  readonly node: string;
  /** The component that produced the result: the plan's, or its fallback when one took over. */
  readonly component: string;
  readonly status: 'completed' | 'failed' | 'skipped' | 'cancelled';
  /** Attempts of the last iteration (retries included) and iterations of a loop; 1 and 1 for a plain step. */
  readonly attempts: number;
  readonly iterations: number;
  /** What adapted while the step ran, in words: `retried after ...`, `fell back to ...`, `outlier_threshold 4.5 -> 3.6`. */
  readonly adaptations: readonly string[];
  readonly startedAt: string;
  /** Wall-clock milliseconds measured around the component's run. */
  readonly durationMs: number;
  readonly estimatedMs: number;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly summary: string;
  readonly error?: { readonly code: string; readonly message: string };
  /** The result was restored from the result cache, not computed (engine/run-memory.ts): attempts and iterations are 0. */
  readonly fromCache?: boolean;
}

export interface WrittenFile {
  readonly output: string;
  readonly path: string;
  readonly format: string;
  readonly bytes: number;
  readonly rows: number | null;
}

export interface RunResult {
  readonly runId: string;
  readonly planId: string;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly estimatedMs: number;
  readonly rowsIn: number;
  /** Rows of the final datasets of a completed run; of a run that failed or was cancelled, the rows of the files it wrote. */
  readonly rowsOut: number;
  readonly steps: readonly StepResult[];
  readonly files: readonly WrittenFile[];
  readonly sessionLog: string | null;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
}
