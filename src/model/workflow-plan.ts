// The plan as versioned plain JSON: what `--export` writes, what `cs-helper run` validates before anything runs.
import { z } from 'zod';
import { complexitySchema, componentTypeSchema, portKindSchema } from './component-kind.js';
import { problemProfileSchema, requestedOutputSchema } from './problem-profile.js';

export const PLAN_VERSION = 1;

const nodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, 'node ids are lower-case letters, digits, _ . -');

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
  condition: z.null(),
  loop: z.null(),
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
  action: z.enum(['retry', 'fallback', 'adjust-parameter', 'skip']),
  detail: z.string(),
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
  fingerprint: z.string(),
  registry_version: z.string(),
  from_cache: z.boolean(),
});
export type WorkflowPlan = z.infer<typeof workflowPlanSchema>;
