// The plan as versioned plain JSON: what `--export` writes, what `cs-helper run` validates before anything runs.
import { totalmem } from 'node:os';
import { z } from 'zod';
import { complexitySchema, componentTypeSchema, portKindSchema } from './component-kind.js';
import { predicateSchema } from './predicate.js';
import { problemProfileSchema, requestedOutputSchema } from './problem-profile.js';
import { retryPolicySchema } from './retry-policy.js';

export const PLAN_VERSION = 1;

const nodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, 'node ids are lower-case letters, digits, _ . -');

/** A parameter changed between iterations: multiplied by `factor` and/or moved by `step`, kept within min..max. */
export const parameterAdjustmentSchema = z
  .object({
    param: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    factor: z.number().positive().max(100).optional(),
    step: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((a) => a.factor !== undefined || a.step !== undefined, 'an adjustment needs a factor or a step');
export type ParameterAdjustment = z.infer<typeof parameterAdjustmentSchema>;

export const loopSchema = z.object({
  until: predicateSchema,
  max_iterations: z.number().int().min(1).max(20),
  adjust: parameterAdjustmentSchema,
});
export type Loop = z.infer<typeof loopSchema>;

/**
 * The largest memory limit a plan may set: this machine's memory (the planner's 1 GB default at least, so a plan made
 * here always loads here). A plan file is input: without a bound, an edited limit would lift the engine's limit.
 */
export const MAX_MEMORY_LIMIT_MB = Math.max(1024, Math.floor(totalmem() / (1024 * 1024)));

/** Engine resources chosen from the input size and the machine (threads, memory limit, where to spill). */
export const resourcesSchema = z.object({
  threads: z.number().int().min(1).max(256),
  memory_limit_mb: z.number().int().min(64).max(MAX_MEMORY_LIMIT_MB, `at most this machine's memory, ${String(MAX_MEMORY_LIMIT_MB)} MB`),
  /** Where the engine spills what does not fit in memory; null for the system's temporary folder. */
  spill_dir: z.string().max(4096).nullable().default(null),
  reason: z.string(),
});
export type Resources = z.infer<typeof resourcesSchema>;

export const planNodeSchema = z.object({
  id: nodeIdSchema,
  component: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/),
  type: componentTypeSchema,
  complexity: complexitySchema,
  title: z.string(),
  /** Validated again against the component's own schema when the plan is loaded. */
  params: z.record(z.string(), z.unknown()),
  /** Where each consumed port comes from: node ids, in order. */
  inputs: z.partialRecord(portKindSchema, z.array(nodeIdSchema)),
  depends_on: z.array(nodeIdSchema),
  /** Why the planner chose this node. */
  reason: z.string(),
  estimated_ms: z.number().nonnegative(),
  /** The node runs only when this holds over the facts of earlier steps; skipped (and logged) otherwise. */
  condition: predicateSchema.nullable(),
  /** The node repeats with an adjusted parameter until `until` holds or `max_iterations` is reached. */
  loop: loopSchema.nullable(),
  /** The step is aborted through its signal after this long; null for no limit. */
  timeout_ms: z.number().int().positive().max(24 * 3_600_000).nullable().default(null),
});
export type PlanNode = z.infer<typeof planNodeSchema>;

export const stageSchema = z.object({
  index: z.number().int().nonnegative(),
  mode: z.enum(['sequential', 'parallel']),
  nodes: z.array(nodeIdSchema).min(1),
});
export type Stage = z.infer<typeof stageSchema>;

export const adaptationPointSchema = z.object({
  node: nodeIdSchema,
  trigger: z.enum(['failure', 'timeout', 'low-yield', 'large-input']),
  action: z.enum(['retry', 'fallback', 'adjust-parameter', 'skip', 'allocate-resources']),
  detail: z.string(),
  /** For `retry`: the policy, as data. */
  retry: retryPolicySchema.optional(),
  /** For `fallback`: the simpler component that takes over once retries are exhausted. */
  fallback: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/).optional(),
});
export type AdaptationPoint = z.infer<typeof adaptationPointSchema>;

export const unavailableCapabilitySchema = z.object({
  capability: z.string(),
  wanted_by: z.string(),
  reason: z.string(),
});
export type UnavailableCapability = z.infer<typeof unavailableCapabilitySchema>;

export const confidenceSchema = z.object({
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type Confidence = z.infer<typeof confidenceSchema>;

export const workflowPlanSchema = z.object({
  version: z.literal(PLAN_VERSION),
  id: z.string(),
  created_at: z.string(),
  tool_version: z.string(),
  /** Relative input paths are resolved against this directory when the plan runs. */
  base_dir: z.string(),
  output_dir: z.string(),
  profile: problemProfileSchema,
  outputs: z.array(requestedOutputSchema),
  nodes: z.array(planNodeSchema).min(1),
  stages: z.array(stageSchema).min(1),
  adaptation_points: z.array(adaptationPointSchema),
  unavailable: z.array(unavailableCapabilitySchema),
  confidence: confidenceSchema,
  estimated_seconds: z.number().nonnegative(),
  /**
   * The steps whose results the result cache held when the estimate was made (found without reading any input file),
   * each estimated at a restore's cost, as `estimated_seconds` counts them. Absent when there were none, or no cache.
   */
  cached_steps: z.array(z.object({ node: nodeIdSchema, estimated_ms: z.number().nonnegative() })).optional(),
  /** Null lets the engine use DuckDB's defaults (all cores, 80% of memory). */
  resources: resourcesSchema.nullable().default(null),
  fingerprint: z.string(),
  registry_version: z.string(),
  from_cache: z.boolean(),
});
export type WorkflowPlan = z.infer<typeof workflowPlanSchema>;
