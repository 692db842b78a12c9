// The producer's half of a distributed batch: every line is planned here, where the files are checked (a file that
// does not exist is the line's error, before anything is queued); workers then run the plans as they are.
import pLimit from 'p-limit';
import { uuidV7 } from '../ids/uuid-v7.js';
import type { ComponentRegistry } from '../components/registry.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { planWithMemory, type PlanMemory } from '../planner/plan-with-memory.js';
import type { SessionLogger } from '../session/session-logger.js';
import type { BatchEntry } from '../cli/batch/batch-file.js';
import { batchWorkflowRequest, describeBatchError, emptyResult, type BatchResult } from '../cli/batch/run-batch.js';

export interface PlannedWorkflow {
  readonly line: number;
  readonly id: string | null;
  readonly problem: string;
  readonly outputDir: string;
  readonly plan: WorkflowPlan;
}

export type PlannedEntry = { readonly ok: true; readonly workflow: PlannedWorkflow } | { readonly ok: false; readonly result: BatchResult };

/** Planning reads only the heads of the files: a few at a time is plenty. */
const PLANNING_CONCURRENCY = 4;

export async function planBatch(entries: readonly BatchEntry[], options: { readonly registry: ComponentRegistry; readonly memory: PlanMemory; readonly baseDir: string; readonly session: SessionLogger; readonly signal: AbortSignal }): Promise<PlannedEntry[]> {
  const limit = pLimit(PLANNING_CONCURRENCY);
  return Promise.all(
    entries.map((entry) =>
      limit(async (): Promise<PlannedEntry> => {
        if (!entry.ok) {
          options.session.logError('batch-line-invalid', entry.error.message, { line: entry.line, id: entry.id }, entry.error);
          return { ok: false, result: emptyResult(entry.line, entry.id, null, 'failed', { code: entry.error.code, message: entry.error.detail, ...(entry.error.hint === undefined ? {} : { hint: entry.error.hint }) }) };
        }
        try {
          const plan = await planWithMemory(batchWorkflowRequest(entry.spec, options.baseDir, entry.outputDir), options.registry, options.memory, { signal: options.signal, log: options.session.child({ span_id: uuidV7(), operation: 'plan' }) });
          return { ok: true, workflow: { line: entry.line, id: entry.id, problem: entry.spec.problem, outputDir: entry.outputDir, plan } };
        } catch (error) {
          const described = describeBatchError(error, options.baseDir);
          options.session.logError('batch-workflow-failed', described.message, { line: entry.line, id: entry.id }, error);
          return { ok: false, result: { ...emptyResult(entry.line, entry.id, entry.spec.problem, 'failed', described), outputDir: entry.outputDir } };
        }
      }),
    ),
  );
}
