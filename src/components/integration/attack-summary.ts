// The shape of integration.attack's summary, as later steps (export.navigator, export.report) read it back: summaries
// travel as plain JSON (and through the result cache), so readers parse them rather than trust a cast.
import { z } from 'zod';
import type { ComponentSummary } from '../component.js';

export const ATTACK_COMPONENT_ID = 'integration.attack';

export const attackSummarySchema = z.object({
  attack_version: z.string(),
  domain: z.string(),
  rows_mapped: z.number(),
  techniques: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tactics: z.array(z.string()),
      /** Distinct rows plus data_findings: the Navigator layer's score. */
      detections: z.number(),
      rows: z.number(),
      /** Data-wide findings (no row) from sources that named no row for the technique; absent before version 2 (read 0). */
      data_findings: z.number().optional(),
      confidence: z.number(),
      sources: z.array(z.string()),
    }),
  ),
  by_tactic: z.array(z.object({ id: z.string(), tactic: z.string(), name: z.string(), techniques: z.number(), detections: z.number() })),
  by_source: z.record(z.string(), z.number()),
  unknown_ids: z.array(z.string()),
});
export type AttackSummary = z.infer<typeof attackSummarySchema>;

/** The ATT&CK mapping of the run, or null when no integration.attack step ran before (or its summary is not this shape). */
export function findAttackSummary(summaries: readonly ComponentSummary[]): AttackSummary | null {
  const found = summaries.findLast((s) => s.component === ATTACK_COMPONENT_ID);
  if (found === undefined) return null;
  const parsed = attackSummarySchema.safeParse(found.data);
  return parsed.success ? parsed.data : null;
}
