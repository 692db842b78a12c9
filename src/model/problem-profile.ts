// The analysed problem: intents with scores, file profiles, requested outputs and the capabilities they require.
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

export const problemProfileSchema = z.object({
  problem: z.string(),
  problem_type: intentSchema,
  intents: z.array(intentScoreSchema),
  files: z.array(fileProfileSchema),
  outputs: z.array(requestedOutputSchema),
  /** Capability names the plan must cover, in the order they were derived. */
  requirements: z.array(z.string()),
});
export type ProblemProfile = z.infer<typeof problemProfileSchema>;
