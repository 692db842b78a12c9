// The analysed problem: intents with scores, what the user excluded or asked for explicitly, constraints, file profiles,
// requested outputs and the capabilities they require.
import { z } from 'zod';
import { fileProfileSchema } from './file-profile.js';

export const Intent = {
  threat_hunting: 'threat_hunting',
  compliance: 'compliance',
  investigation: 'investigation',
  enrichment: 'enrichment',
  attack_mapping: 'attack_mapping',
  ml_classification: 'ml_classification',
  statistics: 'statistics',
  data_quality: 'data_quality',
  conversion: 'conversion',
} as const;
export type Intent = (typeof Intent)[keyof typeof Intent];
export const intentSchema = z.enum(Intent);

export const intentScoreSchema = z.object({
  intent: intentSchema,
  score: z.number().min(0).max(1),
  /** The words of the problem that voted for this intent. */
  evidence: z.array(z.string()),
});
export type IntentScore = z.infer<typeof intentScoreSchema>;

export const outputKindSchema = z.enum(['dataset', 'findings', 'report', 'summary']);
export type OutputKind = z.infer<typeof outputKindSchema>;

export const outputFormatSchema = z.enum(['csv', 'json', 'jsonl', 'md', 'html']);
export type OutputFormat = z.infer<typeof outputFormatSchema>;

export const requestedOutputSchema = z.object({
  /** The name as the user wrote it, without extension: the file is `<name>.<format>`. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  kind: outputKindSchema,
  format: outputFormatSchema,
  /** True when the user named it, false when the planner added it as a default for the intents. */
  requested: z.boolean(),
});
export type RequestedOutput = z.infer<typeof requestedOutputSchema>;

/** What a negation in the problem took out of the plan: an intent, a capability, or outputs (`output:json`, `output:report`). */
export const exclusionSchema = z.object({
  kind: z.enum(['intent', 'capability', 'output']),
  /** An intent name, a capability name, or `output:<format | kind | name>`. */
  what: z.string(),
  /** Why, quoting the user: `negated: "no ML"`. */
  because: z.string(),
});
export type Exclusion = z.infer<typeof exclusionSchema>;

/**
 * Something the user named explicitly in the problem: rules to apply, a feed to match against, the part of the data to
 * look at, a time range, the format they want data in. Recorded even when no component acts on it yet, so a later
 * component (or a person) can.
 */
export const explicitRequestSchema = z.object({
  kind: z.enum(['rules', 'feed', 'scope', 'time_range', 'format']),
  /** The value as the user wrote it: a path for rules and feeds, words for a scope or a time range, a format (`json`, `jsonl`, `csv`, `md`). */
  value: z.string(),
  /** The words of the problem it was read from. */
  text: z.string(),
});
export type ExplicitRequest = z.infer<typeof explicitRequestSchema>;

/** Limits the user sets on a workflow (`--constraints` JSON). Unknown keys are refused so that a misspelt limit is not silently ignored. */
export const constraintsSchema = z.strictObject({
  /** Wall-clock budget for the whole run, in seconds. */
  time_budget_seconds: z.number().positive().max(7 * 24 * 3600).optional(),
  /** The run must not use the network (no feed downloads, no remote lookups). */
  no_network: z.boolean().optional(),
  /** Read at most this many rows of input. */
  max_rows: z.number().int().positive().optional(),
});
export type Constraints = z.infer<typeof constraintsSchema>;

/** A word of the problem read as another, closer to a word the planner knows ("threts" as "threats"). */
export const correctionSchema = z.object({ from: z.string(), to: z.string() });
export type Correction = z.infer<typeof correctionSchema>;

export const problemProfileSchema = z.object({
  problem: z.string(),
  problem_type: intentSchema,
  intents: z.array(intentScoreSchema),
  // The next four default to empty so that plans written before they existed still load.
  excluded: z.array(exclusionSchema).default([]),
  requests: z.array(explicitRequestSchema).default([]),
  constraints: constraintsSchema.default({}),
  corrections: z.array(correctionSchema).default([]),
  files: z.array(fileProfileSchema),
  outputs: z.array(requestedOutputSchema),
  /** Capability names the plan must cover, in the order they were derived. */
  requirements: z.array(z.string()),
});
export type ProblemProfile = z.infer<typeof problemProfileSchema>;
