// What a run returns and what the CLI prints: every figure measured while the run happened.

export interface StepResult {
  readonly node: string;
  readonly component: string;
  readonly status: 'completed' | 'failed' | 'skipped' | 'cancelled';
  readonly startedAt: string;
  /** Wall-clock milliseconds measured around the component's run. */
  readonly durationMs: number;
  readonly estimatedMs: number;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly summary: string;
  readonly error?: { readonly code: string; readonly message: string };
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
  readonly rowsOut: number;
  readonly steps: readonly StepResult[];
  readonly files: readonly WrittenFile[];
  readonly sessionLog: string | null;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
}
