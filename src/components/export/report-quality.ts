// validation.quality's summary as the report reads it back: parsed, not cast, since summaries travel as plain JSON.
import { z } from 'zod';
import type { PlainValue } from '../../data/plain-value.js';

const share = z.number().min(0).max(1);

export const qualityReportSchema = z.object({
  score: z.number(),
  duplicate_rows: z.number(),
  breakdown: z.object({ completeness: share, validity: share, uniqueness: share, consistency: share.optional() }),
  columns: z.array(z.object({ column: z.string(), role: z.string().nullable(), completeness: share, missing: z.number(), invalid: z.number().nullable(), validity: share.nullable() })),
});
export type QualityReport = z.infer<typeof qualityReportSchema>;
export type QualityColumn = QualityReport['columns'][number];

/** The quality summary with its columns worst first (lowest of completeness and validity), or null. */
export function qualityReportOf(summary: Readonly<Record<string, PlainValue>> | undefined): QualityReport | null {
  if (summary === undefined) return null;
  const parsed = qualityReportSchema.safeParse(summary);
  if (!parsed.success) return null;
  const worst = (c: QualityColumn): number => Math.min(c.completeness, c.validity ?? 1);
  return { ...parsed.data, columns: [...parsed.data.columns].sort((a, b) => worst(a) - worst(b) || (a.column < b.column ? -1 : 1)) };
}
