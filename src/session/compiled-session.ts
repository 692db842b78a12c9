// The compiled session document: one JSON file per finished session, in the guide's shape (session_metadata,
// performance_metrics, agent_interactions, workflow_executions, ...). The zod schema is the single source of its type,
// and it is how a document read back from disk is checked: those files are inputs like any other.
import { z } from 'zod';
import type { WorkflowStatus } from './session-event.js';

export const COMPILED_SESSION_FORMAT = 1;

/** `running` exists only in memory, for a stream that may still be written; no file on disk carries it. */
export const compiledSessionStatusSchema = z.enum(['completed', 'failed', 'cancelled', 'interrupted', 'running']);
export type CompiledSessionStatus = z.infer<typeof compiledSessionStatusSchema>;

// z.record copies only own enumerable keys and drops `__proto__`, so metadata read from disk cannot pollute prototypes.
const bag = z.record(z.string(), z.unknown());

const traceIds = {
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  parent_span_id: z.string().optional(),
  operation: z.enum(['plan', 'invoke_workflow', 'execute_tool']).optional(),
};

const interactionBase = {
  timestamp: z.string(),
  context: z.string(),
  metadata: bag,
  ...traceIds,
};

export const compiledInteractionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('question'), question: z.string(), ...interactionBase }),
  z.object({ type: z.literal('answer'), answer: z.string(), ...interactionBase }),
]);

export const workflowStatusSchema = z.enum(['planned', 'in_progress', 'completed', 'failed', 'retried', 'adapted', 'skipped', 'cancelled']);

export const compiledWorkflowExecutionSchema = z.object({
  timestamp: z.string(),
  workflow_name: z.string(),
  step_name: z.string(),
  status: workflowStatusSchema,
  metadata: bag,
  ...traceIds,
});

export const compiledToolCallSchema = z.object({
  timestamp: z.string(),
  tool: z.string(),
  parameters: bag,
  duration_ms: z.number(),
  rows_in: z.number().nullable(),
  rows_out: z.number().nullable(),
  result: z.string().nullable(),
  error: z.string().nullable(),
  ...traceIds,
});

export const compiledDecisionSchema = z.object({
  timestamp: z.string(),
  decision: z.string(),
  chosen: z.string(),
  alternatives: z.array(z.object({ option: z.string(), score: z.number().nullable() })),
  confidence: z.number().nullable(),
  threshold: z.number().nullable(),
  reasoning: z.string(),
  ...traceIds,
});

export const compiledDataOperationSchema = z.object({
  timestamp: z.string(),
  operation_type: z.string(),
  target: z.string(),
  rows: z.number().nullable(),
  bytes: z.number().nullable(),
  columns: z.array(z.string()).nullable(),
  detail: bag,
  ...traceIds,
});

export const compiledLogEntrySchema = z.object({
  timestamp: z.string(),
  level: z.enum(['info', 'warn', 'debug']),
  type: z.string(),
  description: z.string(),
  metadata: bag,
  ...traceIds,
});

export const compiledErrorSchema = z.object({
  timestamp: z.string(),
  type: z.string(),
  message: z.string(),
  code: z.string().nullable(),
  metadata: bag,
  stack: z.string().optional(),
  ...traceIds,
});

export const runCountsSchema = z.object({
  started: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
});

const count = z.number().int().nonnegative();

/**
 * `cache_hits`/`cache_misses` count both caches: the pattern cache (plans) and the result cache (steps); the per-cache
 * keys beside them split the same numbers. A document written before the split has no per-cache keys, and its totals
 * counted the pattern cache alone: that is how it is read back.
 */
const performanceMetricsSchema = z
  .object({
    total_tool_calls: count,
    total_workflow_steps: count,
    total_errors: count,
    total_decisions: count,
    total_data_operations: count,
    session_duration_ms: z.number().nonnegative(),
    plan_generation_ms: z.array(z.number()),
    cache_hits: count,
    cache_misses: count,
    pattern_cache_hits: count.optional(),
    pattern_cache_misses: count.optional(),
    /** Plans made without a pattern cache lookup (--no-cache, several datasets); absent when there were none. */
    pattern_cache_without_lookup: count.optional(),
    result_cache_hits: count.optional(),
    result_cache_misses: count.optional(),
    runs: runCountsSchema,
  })
  .transform((m) => ({
    ...m,
    pattern_cache_hits: m.pattern_cache_hits ?? m.cache_hits,
    pattern_cache_misses: m.pattern_cache_misses ?? m.cache_misses,
    result_cache_hits: m.result_cache_hits ?? 0,
    result_cache_misses: m.result_cache_misses ?? 0,
  }));

export const compiledSessionSchema = z.object({
  format_version: z.literal(COMPILED_SESSION_FORMAT),
  session_metadata: z.object({
    session_id: z.string(),
    session_name: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    duration_ms: z.number().nonnegative(),
    user_agent: z.string(),
    status: compiledSessionStatusSchema,
    tool_version: z.string(),
    platform: z.string(),
    node_version: z.string(),
    debug: z.boolean(),
    /** The command line, secrets already redacted by the logger. */
    argv: z.array(z.string()),
  }),
  performance_metrics: performanceMetricsSchema,
  agent_interactions: z.array(compiledInteractionSchema),
  workflow_executions: z.array(compiledWorkflowExecutionSchema),
  tool_calls: z.array(compiledToolCallSchema),
  decision_points: z.array(compiledDecisionSchema),
  data_operations: z.array(compiledDataOperationSchema),
  log_entries: z.array(compiledLogEntrySchema),
  errors: z.array(compiledErrorSchema),
});

// The event contract and the document must name the same statuses: this line stops the build when they drift apart.
const _sameStatuses: [WorkflowStatus, z.infer<typeof workflowStatusSchema>] extends [z.infer<typeof workflowStatusSchema>, WorkflowStatus] ? true : never = true;

export type CompiledSession = z.infer<typeof compiledSessionSchema>;
export type CompiledInteraction = z.infer<typeof compiledInteractionSchema>;
export type CompiledWorkflowExecution = z.infer<typeof compiledWorkflowExecutionSchema>;
export type RunCounts = z.infer<typeof runCountsSchema>;
