// Plans and runs the workflows of a batch, a bounded number at a time, each a run (trace) in the batch's one session.
// A workflow that fails is a result, never an exception: the others go on.
import pLimit from 'p-limit';
import { uuidV7 } from '../../ids/uuid-v7.js';
import type { ComponentRegistry } from '../../components/registry.js';
import { isCsHelperError } from '../../model/errors/cs-helper-error.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import type { WrittenFile } from '../../model/run-result.js';
import { planWithMemory, rememberPattern } from '../../planner/plan-with-memory.js';
import type { WorkflowRequest } from '../../planner/plan-workflow.js';
import type { SessionLogger } from '../../session/session-logger.js';
import type { CliState } from '../open-state.js';
import { checkOutputFolder } from '../output-folder.js';
import type { BatchEntry, BatchLine } from './batch-file.js';

export const BATCH_CONTEXT = 'batch';

export interface BatchResult {
  readonly line: number;
  readonly id: string | null;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly problem: string | null;
  readonly outputDir: string | null;
  readonly planId: string | null;
  readonly runId: string | null;
  readonly rowsIn: number;
  readonly rowsOut: number;
  /** Planning and running, measured. */
  readonly durationMs: number;
  readonly files: readonly WrittenFile[];
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string } | null;
}

export type BatchEvent = { readonly type: 'workflow-start'; readonly line: number; readonly id: string | null } | { readonly type: 'workflow-end'; readonly result: BatchResult; readonly done: number; readonly total: number };

export interface RunBatchOptions {
  readonly registry: ComponentRegistry;
  readonly session: SessionLogger;
  /** Workflows running at the same time. */
  readonly concurrency: number;
  /** Where relative input files and feeds are read from. */
  readonly baseDir: string;
  readonly signal: AbortSignal;
  /** The state folder's caches and learned estimates, shared by every workflow of the batch. */
  readonly memory: Pick<CliState, 'planMemory' | 'runMemory' | 'patterns'>;
  readonly onEvent?: (event: BatchEvent) => void;
}

/** The results in line order, whatever order the workflows finished in. */
export async function runBatch(entries: readonly BatchEntry[], options: RunBatchOptions): Promise<BatchResult[]> {
  const { session, signal } = options;
  const limit = pLimit(Math.max(1, options.concurrency));
  const emit = options.onEvent ?? ((): void => undefined);
  let done = 0;
  const finish = (result: BatchResult): BatchResult => {
    done += 1;
    session.logInteraction('answer', `line ${result.line}: ${result.status}${result.error === null ? '' : `: ${result.error.message}`}`, BATCH_CONTEXT, answerMetadata(result), 'batch_result');
    emit({ type: 'workflow-end', result, done, total: entries.length });
    return result;
  };
  return Promise.all(
    entries.map(async (entry) => {
      if (!entry.ok) {
        session.logError('batch-line-invalid', entry.error.message, { line: entry.line, id: entry.id }, entry.error);
        // The result sits beside its line number everywhere it is shown: the message without "line N:" reads better there.
        return finish(emptyResult(entry.line, entry.id, null, 'failed', { code: entry.error.code, message: entry.error.detail, ...(entry.error.hint === undefined ? {} : { hint: entry.error.hint }) }));
      }
      return limit(async () => finish(await runEntry(entry.line, entry.id, entry.spec, entry.outputDir)));
    }),
  );

  async function runEntry(line: number, id: string | null, spec: BatchLine, outputDir: string): Promise<BatchResult> {
    if (isAborted(signal)) return emptyResult(line, id, spec.problem, 'cancelled', { code: 'cancelled', message: 'not started: the batch was cancelled' });
    const started = performance.now();
    emit({ type: 'workflow-start', line, id });
    session.logInteraction('question', spec.problem, BATCH_CONTEXT, { line, id, input_files: spec.input_files, outputs: spec.outputs, feeds: spec.feeds, output_dir: outputDir }, 'batch_line');
    let planId: string | null = null;
    try {
      // Before planning, as on the command line: a line whose folder is a file fails with that, not at its export.
      await checkOutputFolder(outputDir, spec.output_dir === undefined ? 'the output folder' : `output_dir '${spec.output_dir}'`);
      const plan = await planWithMemory(
        batchWorkflowRequest(spec, options.baseDir, outputDir),
        options.registry,
        options.memory.planMemory,
        { signal, log: session.child({ span_id: uuidV7(), operation: 'plan' }) },
      );
      planId = plan.id;
      // Loaded here, as in runWithProgress: the engine brings DuckDB.
      const { executePlan } = await import('../../engine/execute-plan.js');
      const result = await executePlan(plan, { registry: options.registry, session, signal, ...options.memory.runMemory });
      rememberPattern(options.memory.patterns, plan, result.status);
      return {
        line,
        id,
        status: result.status,
        problem: spec.problem,
        outputDir,
        planId,
        runId: result.runId,
        rowsIn: result.rowsIn,
        rowsOut: result.rowsOut,
        durationMs: round(performance.now() - started),
        files: result.files,
        error: result.error ?? null,
      };
    } catch (error) {
      const cancelled = isAborted(signal);
      const described = cancelled ? { code: 'cancelled', message: 'cancelled while planning' } : describeBatchError(error, options.baseDir);
      if (!cancelled) session.logError('batch-workflow-failed', described.message, { line, id }, error);
      return { ...emptyResult(line, id, spec.problem, cancelled ? 'cancelled' : 'failed', described), outputDir, planId, durationMs: round(performance.now() - started) };
    }
  }
}

/** A batch line as a planning request (the queue's producer plans the same way: src/queue/plan-batch.ts). */
export function batchWorkflowRequest(spec: BatchLine, baseDir: string, outputDir: string): WorkflowRequest {
  return {
    problem: spec.problem,
    inputFiles: spec.input_files,
    outputs: spec.outputs,
    feeds: spec.feeds,
    baseDir,
    outputDir,
    ...(spec.schema === undefined ? {} : { schema: spec.schema }),
    ...(spec.validation_rules === undefined ? {} : { validationRules: spec.validation_rules }),
    ...(spec.sheets === undefined ? {} : { sheets: spec.sheets }),
  };
}

export function emptyResult(line: number, id: string | null, problem: string | null, status: BatchResult['status'], error: NonNullable<BatchResult['error']>): BatchResult {
  return { line, id, status, problem, outputDir: null, planId: null, runId: null, rowsIn: 0, rowsOut: 0, durationMs: 0, files: [], error };
}

export function describeBatchError(error: unknown, baseDir: string): NonNullable<BatchResult['error']> {
  // The input file error's own hint speaks of the current folder; in a batch, relative paths start at the file's folder.
  if (error instanceof InputFileError && error.problem === 'not-found') return { code: error.code, message: error.message, hint: `check the path; relative paths are read from the batch file's folder, ${baseDir}` };
  if (isCsHelperError(error)) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), hint: 'this is a bug in CS Helper; rerun with --debug and report it' };
}

function answerMetadata(result: BatchResult): Record<string, unknown> {
  return { line: result.line, id: result.id, status: result.status, plan_id: result.planId, run_id: result.runId, rows_in: result.rowsIn, rows_out: result.rowsOut, duration_ms: result.durationMs, files: result.files.map((f) => f.path), ...(result.error === null ? {} : { error: result.error.message, code: result.error.code }) };
}

/** Read through a call: the signal changes while a workflow awaits, which narrowing on `signal.aborted` cannot know. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
