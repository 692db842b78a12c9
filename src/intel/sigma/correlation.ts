// Sigma correlation rules (the specification's sigma-correlation-rules-specification.md): a rule over the detections
// of other rules, grouped by fields and counted within a time span. Read here into a checked form; run by
// run-correlations.ts. What the engine cannot run is refused by name, as for detection rules.
import { z } from 'zod';
import type { RuleHeader } from './compile-rule.js';
import type { CompareOp } from './detection-ir.js';
import { SigmaRuleError } from './sigma-rule-error.js';
import { attackTechniques } from './sigma-rule.js';

const text = z.string().max(4_096);
const field = z.string().min(1).max(256);

export const CORRELATION_TYPES = ['event_count', 'value_count', 'value_sum', 'value_avg', 'value_percentile', 'temporal', 'temporal_ordered'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** Field name aliases one correlation may define: a handful in practice. */
const MAX_ALIASES = 16;

const CONDITION_OPS: Readonly<Record<string, CompareOp | '<>'>> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' };

const correlationSchema = z
  .object({
    title: text.min(1),
    id: text.optional(),
    name: field.optional(),
    status: text.optional(),
    level: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
    tags: z.array(text).max(256).optional(),
    generate: z.boolean().optional(),
    correlation: z
      .object({
        type: z.string().max(64),
        rules: z.array(field).min(1).max(64),
        'group-by': z.array(field).max(16).optional(),
        timespan: z.string().regex(/^\d{1,7}[smhd]$/, 'a number and s, m, h or d (5m, 1h)'),
        condition: z.record(z.string(), z.union([z.number(), field])).optional(),
        aliases: z.record(field, z.record(field, field)).optional(),
        generate: z.boolean().optional(),
      })
      .loose(),
  })
  .loose();

export interface CorrelationCriterion {
  readonly op: CompareOp | '<>';
  readonly value: number;
}

export interface CompiledCorrelation extends RuleHeader {
  readonly type: CorrelationType;
  /** The rules correlated, by id or name, as the rule writes them. */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanSeconds: number;
  /** All must hold (a range is two criteria); none for temporal: every rule correlated must have matched. */
  readonly condition: readonly CorrelationCriterion[];
  /** The field counted, summed, averaged or whose values' share is taken (value_* types). */
  readonly field: string | null;
  /**
   * Field name aliases for group-by: alias -> (rule name -> the field holding the value in that rule's events), as a
   * list of [alias, [[rule name, field], ...]] (no object keys from the rule file).
   */
  readonly aliases: readonly (readonly [string, readonly (readonly [string, string])[]])[];
  /** Whether the correlated rules also report their own detections (the specification's default: no). */
  readonly generate: boolean;
}

const SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** A document with a `correlation` section, checked; throws SigmaRuleError naming what is wrong or refused. */
export function compileCorrelation(value: unknown, source: string): CompiledCorrelation {
  const parsed = correlationSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SigmaRuleError('invalid', issue === undefined ? 'not a correlation rule' : `${issue.path.join('.') || 'rule'}: ${issue.message}`);
  }
  const document = parsed.data;
  const section = document.correlation;
  if (!(CORRELATION_TYPES as readonly string[]).includes(section.type)) throw new SigmaRuleError('invalid', `correlation type '${section.type}' is not one of ${CORRELATION_TYPES.join(', ')}`);
  const type = section.type as CorrelationType;
  const aliases = Object.entries(section.aliases ?? {}).map(([alias, byRule]) => [alias, Object.entries(byRule)] as const);
  if (aliases.length > MAX_ALIASES) throw new SigmaRuleError('too-large', `more than ${String(MAX_ALIASES)} field name aliases`);
  const { field: counted, criteria } = readCondition(section.condition ?? {}, type);
  const named = new Set(section.rules).size;
  // Every rule, in order, is what the order means: a condition may say so (gte: 2 of 2 rules), not accept fewer.
  const meets = (n: number): boolean => criteria.every((c) => holds(n, c));
  if (type === 'temporal_ordered' && criteria.length > 0 && (!meets(named) || Array.from({ length: named - 1 }, (_, i) => i + 1).some(meets))) {
    throw new SigmaRuleError('unsupported', `a temporal_ordered condition other than all ${String(named)} rules in order`);
  }
  const unit = section.timespan.slice(-1) as keyof typeof SECONDS;
  const tags = document.tags ?? [];
  return {
    id: document.id ?? '',
    name: document.name ?? null,
    title: document.title,
    level: document.level ?? 'medium',
    status: document.status ?? null,
    tags,
    attackTechniques: attackTechniques(tags),
    type,
    rules: section.rules,
    groupBy: section['group-by'] ?? [],
    timespanSeconds: Number(section.timespan.slice(0, -1)) * SECONDS[unit],
    condition: criteria,
    field: counted,
    aliases,
    generate: section.generate ?? document.generate ?? false,
    source,
  };
}

function readCondition(condition: Readonly<Record<string, number | string>>, type: CorrelationType): { field: string | null; criteria: CorrelationCriterion[] } {
  let counted: string | null = null;
  const criteria: CorrelationCriterion[] = [];
  for (const [key, value] of Object.entries(condition)) {
    if (key === 'field') {
      if (typeof value !== 'string') throw new SigmaRuleError('invalid', 'condition field is not a field name');
      counted = value;
      continue;
    }
    const op = CONDITION_OPS[key];
    if (op === undefined) throw new SigmaRuleError('invalid', `condition '${key}' is not one of field, ${Object.keys(CONDITION_OPS).join(', ')}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new SigmaRuleError('invalid', `condition ${key}: '${String(value)}' is not a number`);
    criteria.push({ op, value });
  }
  const needsField = type === 'value_count' || type === 'value_sum' || type === 'value_avg' || type === 'value_percentile';
  if (needsField && counted === null) throw new SigmaRuleError('invalid', `a ${type} correlation needs condition.field`);
  if (!needsField && counted !== null) throw new SigmaRuleError('invalid', `condition.field is for value_count, value_sum, value_avg and value_percentile, not ${type}`);
  if (criteria.length === 0 && type !== 'temporal' && type !== 'temporal_ordered') throw new SigmaRuleError('invalid', 'correlation has no condition (gt, gte, lt, lte, eq or neq)');
  return { field: counted, criteria };
}

/** Whether a count meets a criterion. */
function holds(n: number, criterion: CorrelationCriterion): boolean {
  const v = criterion.value;
  switch (criterion.op) {
    case '>':
      return n > v;
    case '>=':
      return n >= v;
    case '<':
      return n < v;
    case '<=':
      return n <= v;
    case '=':
      return n === v;
    case '<>':
      return n !== v;
  }
}
