// Sigma filters (sigma-filters-specification.md): a document with a `filter` section names rules (by id or name) and
// holds search identifiers and a condition; the events it matches are taken out of those rules' detections, as the
// specification's backends do (the rule's condition becomes `rule and not filter`). It is the analyst's tuning of
// rules they did not write: a valid admin script that trips several rules, in this environment only.
// A filter applies to a rule only when its logsource agrees: each of category, product and service that the filter
// names is the rule's too (any case); one it leaves out agrees with anything.
import { z } from 'zod';
import { compileDetection, type CompiledRule, type SigmaLogsource } from './compile-rule.js';
import type { RuleProblem } from './load-rules.js';

const text = z.string().max(4_096);

/** Rules one filter may name: a filter is tuning, not a second rule set. */
const MAX_FILTERED_RULES = 256;

const filterSchema = z
  .object({
    title: text.min(1),
    id: text.optional(),
    logsource: z.object({ product: text.optional(), category: text.optional(), service: text.optional() }).loose(),
    filter: z
      .object({ rules: z.array(text.min(1)).min(1).max(MAX_FILTERED_RULES) })
      .loose()
      .refine((f) => 'condition' in f, 'filter has no condition'),
  })
  .loose();

export interface CompiledFilter {
  readonly id: string;
  readonly title: string;
  /** The file the filter came from, as the user named it. */
  readonly source: string;
  readonly logsource: SigmaLogsource;
  /** The rules it applies to, by id or name, as written. */
  readonly rules: readonly string[];
  readonly detection: CompiledRule['detection'];
}

/** Compiles a filter document; throws a SigmaRuleError (or returns the schema's first issue) when it cannot. */
export function compileFilter(value: unknown, source: string): CompiledFilter | { readonly invalid: string } {
  const parsed = filterSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { invalid: issue === undefined ? 'not a Sigma filter' : `${issue.path.join('.') || 'filter'}: ${issue.message}` };
  }
  const { rules, ...detection } = parsed.data.filter;
  const logsource = parsed.data.logsource;
  return {
    id: parsed.data.id ?? '',
    title: parsed.data.title,
    source,
    logsource: { product: logsource.product ?? null, category: logsource.category ?? null, service: logsource.service ?? null },
    rules: [...new Set(rules)],
    detection: compileDetection(detection),
  };
}

export interface FilteredRules {
  readonly rules: readonly CompiledRule[];
  /** (filter, rule) pairs applied. */
  readonly applied: number;
  readonly problems: readonly RuleProblem[];
}

/** The rules with every filter that names them, and agrees with their logsource, taken out of their detection. */
export function applyFilters(rules: readonly CompiledRule[], filters: readonly CompiledFilter[], correlations: readonly { readonly id: string; readonly name: string | null }[] = []): FilteredRules {
  if (filters.length === 0) return { rules, applied: 0, problems: [] };
  const problems: RuleProblem[] = [];
  const problem = (f: CompiledFilter, code: string, detail: string): void => {
    problems.push({ source: f.source, ruleId: f.id === '' ? null : f.id, title: f.title, code, detail });
  };
  const exclusions = new Map<number, CompiledRule['detection'][]>();
  let applied = 0;
  for (const filter of filters) {
    for (const reference of filter.rules) {
      const index = rules.findIndex((r) => r.id === reference || (r.name !== null && r.name === reference));
      const rule = rules[index];
      if (rule === undefined) {
        const correlation = correlations.some((c) => c.id === reference || (c.name !== null && c.name === reference));
        problem(filter, 'sigma-filter-unresolved', correlation ? `'${reference}' is a correlation rule: a filter applies to detection rules (name the rules it correlates)` : `rule '${reference}' is not loaded, so nothing is filtered for it`);
        continue;
      }
      const differs = logsourceDifference(filter.logsource, rule.logsource);
      if (differs !== null) {
        problem(filter, 'sigma-filter-logsource', `not applied to rule '${reference}' (${rule.title}): the filter's ${differs}`);
        continue;
      }
      exclusions.set(index, [...(exclusions.get(index) ?? []), filter.detection]);
      applied += 1;
    }
  }
  const filtered = rules.map((rule, index) => {
    const out = exclusions.get(index);
    if (out === undefined) return rule;
    const excluded = out.length === 1 ? (out[0] as CompiledRule['detection']) : { kind: 'or' as const, items: out };
    return { ...rule, detection: { kind: 'and' as const, items: [rule.detection, { kind: 'not' as const, item: excluded }] } };
  });
  return { rules: filtered, applied, problems };
}

/** Null when the filter's logsource agrees with the rule's, else which field differs, in words. */
function logsourceDifference(filter: SigmaLogsource, rule: SigmaLogsource): string | null {
  for (const field of ['category', 'product', 'service'] as const) {
    const wanted = filter[field];
    if (wanted === null) continue;
    const actual = rule[field];
    if (actual === null || actual.toLowerCase() !== wanted.toLowerCase()) return `${field} ${wanted} is not the rule's (${actual ?? 'none'})`;
  }
  return null;
}
