// The rules file of validation.rules (YAML or JSON), checked against its schema: each rule has an id, a severity, an
// optional `when` condition, and exactly one kind: check (a condition), range, allowed, pattern, unique or required.
import { z } from 'zod';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';
import type { Severity } from '../violations.js';
import { MAX_EXPRESSION_CHARS } from './rule-expression.js';
import { MAX_PATTERN_CHARS } from './rule-compile.js';
import type { SpecFile } from './spec-file.js';

const columnName = z.string().min(1).max(256);
const columns = z.union([columnName, z.array(columnName).min(1).max(32)]);
const expression = z.string().min(1).max(MAX_EXPRESSION_CHARS);
const bound = z.union([z.number(), z.string().max(64)]);
const listValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

export const MAX_RULES = 1000;

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$/, 'an id is a plain name: letters, digits, _ . : -, at most 80 characters'),
  description: z.string().max(1000).optional(),
  severity: z.enum(['error', 'warning', 'info']).default('error'),
  message: z.string().max(1000).optional(),
  when: expression.optional().describe('The rule applies only to rows where this condition holds'),
  check: expression.optional().describe('A condition every row must meet, e.g. bytes_sent <= 1e9; or "<column> required if <condition>"'),
  column: columnName.optional().describe('The column a range, allowed or pattern rule is about'),
  range: z.strictObject({ min: bound.optional(), max: bound.optional() }).refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min, max or both').optional(),
  allowed: z.array(listValue).min(1).max(10_000).optional(),
  pattern: z.string().min(1).max(MAX_PATTERN_CHARS).optional().describe('An RE2 regular expression the whole value must match'),
  unique: columns.optional().describe('A column, or a list of columns, whose values (together) appear at most once'),
  required: columns.optional().describe('Columns that must have a value (with `when`: only where it holds)'),
});
export type RuleSpec = z.infer<typeof ruleSchema>;

export const rulesFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  description: z.string().max(2000).optional(),
  rules: z.array(ruleSchema).min(1).max(MAX_RULES),
});

export type RuleKind = 'check' | 'range' | 'allowed' | 'pattern' | 'unique' | 'required';
const KINDS: readonly RuleKind[] = ['check', 'range', 'allowed', 'pattern', 'unique', 'required'];
const NEEDS_COLUMN: readonly RuleKind[] = ['range', 'allowed', 'pattern'];

export interface LoadedRule {
  readonly spec: RuleSpec;
  readonly kind: RuleKind;
  readonly index: number;
  readonly severity: Severity;
  /** The line of the rule in the file, for errors. */
  readonly line: number | undefined;
}

/** The rules of a parsed file, each with its kind; a structural mistake is an error naming the file, the line and the rule. */
export function loadRules(file: SpecFile): LoadedRule[] {
  const parsed = rulesFileSchema.safeParse(file.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown key is best shown on its own line.
    const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const ruleIndex = path[0] === 'rules' && typeof path[1] === 'number' ? path[1] : undefined;
    const rule = ruleIndex === undefined ? undefined : ruleIdAt(file, ruleIndex);
    const line = (key === undefined ? undefined : file.lineOf([...path, key])) ?? file.lineOf(path) ?? file.lineOf(path.slice(0, 2));
    const inner = ruleIndex === undefined ? path : path.slice(2);
    const where = inner.length === 0 ? '' : ` (at ${inner.join('.')})`;
    throw new ValidationSpecError(file.name, 'invalid', `${issue?.message ?? 'not a rules file'}${where}`, { ...(line === undefined ? {} : { line }), ...(rule === undefined ? {} : { rule: `rule '${rule}'` }) });
  }
  const seen = new Set<string>();
  return parsed.data.rules.map((spec, index) => {
    const line = file.lineOf(['rules', index]);
    const fail = (detail: string): never => {
      throw new ValidationSpecError(file.name, 'invalid', detail, { rule: `rule '${spec.id}'`, ...(line === undefined ? {} : { line }) });
    };
    if (seen.has(spec.id)) fail('the id is used by an earlier rule; each rule needs its own');
    seen.add(spec.id);
    const kinds = KINDS.filter((k) => spec[k] !== undefined);
    const kind = kinds[0];
    if (kind === undefined || kinds.length > 1) fail(`a rule has exactly one of ${KINDS.join(', ')}; this one has ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`);
    const only = kind as RuleKind;
    if (NEEDS_COLUMN.includes(only) && spec.column === undefined) fail(`a ${only} rule names its column: add "column: <name>"`);
    if (!NEEDS_COLUMN.includes(only) && spec.column !== undefined) fail(`"column" goes with range, allowed or pattern; a ${only} rule names its columns itself`);
    return { spec, kind: only, index, severity: spec.severity, line };
  });
}

function ruleIdAt(file: SpecFile, index: number): string | undefined {
  const rules = file.value !== null && typeof file.value === 'object' && !Array.isArray(file.value) ? file.value['rules'] : undefined;
  const rule = Array.isArray(rules) ? rules[index] : undefined;
  const id = rule !== null && typeof rule === 'object' && !Array.isArray(rule) ? rule['id'] : undefined;
  return typeof id === 'string' ? id : `#${index + 1}`;
}
