// A Sigma rule as read from YAML: the fields the engine uses, checked with a schema so a malformed rule is reported
// by name instead of failing somewhere later. Other fields (author, references, falsepositives) are kept as read.
import { z } from 'zod';

const text = z.string().max(4_096);

export const sigmaRuleSchema = z
  .object({
    title: text.min(1),
    id: text.optional(),
    status: text.optional(),
    level: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
    description: z.string().max(65_536).optional(),
    author: z.string().max(4_096).optional(),
    tags: z.array(text).max(256).optional(),
    logsource: z.object({ product: text.optional(), category: text.optional(), service: text.optional(), definition: z.string().optional() }).loose(),
    detection: z.record(z.string(), z.unknown()).refine((d) => 'condition' in d, 'detection has no condition'),
  })
  .loose();

export type SigmaRuleDocument = z.infer<typeof sigmaRuleSchema>;

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof LEVELS)[number];

export function levelRank(level: string | undefined): number {
  return LEVELS.indexOf((level ?? 'medium') as SigmaLevel);
}

/** ATT&CK technique ids from `attack.t1059.001` tags, upper-cased as ATT&CK writes them. */
export function attackTechniques(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/i.test(t)).map((t) => t.slice('attack.'.length).toUpperCase()))];
}
