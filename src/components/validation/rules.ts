// validation.rules: declarative business rules from a YAML or JSON file (comparisons, ranges, allowed values,
// uniqueness, required-if, RE2 patterns), compiled to SQL with quoted identifiers and bound parameters, never evaluated
// as code; violations (row, rule, column, value, message) as findings of kind `violation`, counts per rule in the summary.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { PlainValue } from '../../data/plain-value.js';
import { defineComponent } from '../component.js';
import { createFindingsTable } from '../findings-table.js';
import { requireDataset } from '../inputs.js';
import { runChecks, validatePatterns, type CheckCount } from './row-checks.js';
import { compileRules } from './rule-checks.js';
import { loadRules } from './rules-file.js';
import { ruleCountText } from './rule-count-text.js';
import { readSpecFile } from './spec-file.js';

export const rulesParams = z.object({
  rules: z.string().min(1).describe('The rules file (YAML or JSON), relative to the folder the plan was made in; see docs/validation.md'),
  max_violations_per_rule: z.number().int().min(0).max(10_000_000).default(10_000).describe('Offending rows listed per rule (counts are always exact)'),
  pattern_time_limit_ms: z.number().int().min(100).max(3_600_000).default(60_000).describe('Time allowed to each rule with a regular expression (RE2, linear time) before it is stopped as an error'),
});

export const rulesValidation = defineComponent({
  id: 'validation.rules',
  version: '2',
  type: ComponentType.VALIDATION,
  complexity: Complexity.MODERATE,
  title: 'Business Rules',
  description:
    'Checks every row against declarative business rules from a YAML or JSON file: comparisons (bytes_sent <= 1e9), ranges, allowed values, uniqueness of a column or a set of columns, required-if (user required if action == \'login\'), and RE2 regular expressions with a length and time bound; each rule has a severity. Lists the violations (row, rule, column, value, message; output rule_violations) with counts per rule. Choose it for compliance checks with your own rules.',
  capabilities: [Capability.ruleValidation],
  consumes: ['dataset'],
  produces: ['summary', 'findings'],
  order: 10,
  params: rulesParams,
  // Measured on 2 cores: one scan for all plain rules (~0.1 s per million rows for a handful), plus one per pattern rule.
  estimateMs: ({ rows }) => 40 + rows / 5_000,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'validation.rules');
    const file = await readSpecFile(context.run.baseDir, params.rules);
    const rules = loadRules(file);
    const compiled = compileRules(params.rules, rules, dataset);
    await validatePatterns(context.sql, params.rules, compiled.patterns, context.signal);
    const findings = context.tableName('rule_violations');
    await createFindingsTable(context.sql, findings, context.signal);
    const counts = await runChecks(context.sql, dataset, compiled.checks, { target: findings, source: 'validation.rules', limit: params.max_violations_per_rule, timeLimitMs: params.pattern_time_limit_ms, file: params.rules }, context.signal);

    const summary = rulesSummary(params.rules, rules.length, dataset.rowCount, counts, params.max_violations_per_rule);
    context.log.dataOperation({ operation: 'validate', target: dataset.table, rows: dataset.rowCount, detail: { rules_file: params.rules, rules: rules.length, violations: summary.violations } });
    const failed = Number(summary['failed_rules']);
    const bySeverity = summary['by_severity'] as Record<string, number>;
    return {
      findings: await context.describe(findings, dataset.sources),
      summary,
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message:
        failed === 0
          ? `all ${rules.length} rules of ${params.rules} hold on ${dataset.rowCount.toLocaleString('en-US')} rows`
          : `${summary.violations.toLocaleString('en-US')} violations of ${failed} of ${rules.length} rules (errors ${bySeverity['error'] ?? 0}, warnings ${bySeverity['warning'] ?? 0}, info ${bySeverity['info'] ?? 0}): ${ruleCountText(summary['by_rule'] as { rule: string; count: number }[])}`,
    };
  },
});

/**
 * Counts per rule (a rule may compile to several checks, e.g. `required: [a, b]`), per severity, and the rules that
 * failed, worst first: what the report's Validation section and `--json` show.
 */
export function rulesSummary(file: string, ruleCount: number, rows: number, counts: readonly CheckCount[], limit: number): { violations: number } & Record<string, PlainValue> {
  const byRule = new Map<string, { rule: string; severity: string; columns: string[]; count: number; message: string }>();
  for (const { check, count } of counts) {
    const entry = byRule.get(check.id) ?? { rule: check.id, severity: check.severity, columns: [], count: 0, message: check.message };
    entry.count += count;
    if (check.column !== null && !entry.columns.includes(check.column)) entry.columns.push(check.column);
    byRule.set(check.id, entry);
  }
  const rules = [...byRule.values()];
  const violations = rules.reduce((sum, r) => sum + r.count, 0);
  const bySeverity: Record<string, number> = { error: 0, warning: 0, info: 0 };
  for (const r of rules) bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + r.count;
  const failed = rules.filter((r) => r.count > 0).sort((a, b) => b.count - a.count);
  return {
    file,
    rules: ruleCount,
    rows,
    violations,
    failed_rules: failed.length,
    by_severity: bySeverity,
    by_rule: rules.map((r) => ({ rule: r.rule, severity: r.severity, column: r.columns.join(', ') || null, count: r.count, message: r.message })),
    failed: failed.map((r) => r.rule),
    listed_per_rule: limit,
    truncated: counts.some((c) => c.check.kind !== 'dataset' && c.count > limit),
  };
}
