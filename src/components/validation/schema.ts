// validation.schema: infers the dataset's schema, and validates every row against the user's JSON Schema (draft
// 2020-12, 2019-09 or 7, through ajv) or a column-type spec. The engine checks what SQL can (types, required, ranges,
// enums, lengths, RE2 patterns, formats); ajv checks the rest on column chunks. Per-row errors as violations.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { PlainValue } from '../../data/plain-value.js';
import { defineComponent } from '../component.js';
import { createFindingsTable } from '../findings-table.js';
import { requireDataset } from '../inputs.js';
import { compileJsonSchema, validateRowsWithAjv, type AjvRun } from './ajv-rows.js';
import { columnSpecChecks, isColumnSpec, loadColumnSpec } from './column-spec.js';
import { planJsonSchema } from './json-schema-checks.js';
import { runChecks, validatePatterns, type CheckCount, type RowCheck } from './row-checks.js';
import { inferSchema, inferredJsonSchema } from './schema-infer.js';
import { ruleCountText } from './rule-count-text.js';
import { readSpecFile } from './spec-file.js';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';

export const schemaParams = z.object({
  schema: z.string().min(1).nullable().default(null).describe('A JSON Schema for one row, or a column-type spec (JSON or YAML); null: infer the schema only'),
  max_violations_per_rule: z.number().int().min(0).max(10_000_000).default(10_000).describe('Offending rows listed per rule (counts are always exact)'),
  max_js_rows: z.number().int().min(0).max(100_000_000).default(2_000_000).describe('Rows checked with ajv for the keywords the engine cannot check ($ref, allOf, if/then, ...)'),
  pattern_time_limit_ms: z.number().int().min(100).max(3_600_000).default(60_000).describe('Time allowed to each pattern check (RE2, linear time) before it is stopped as an error'),
});

export const schemaValidation = defineComponent({
  id: 'validation.schema',
  version: '2',
  type: ComponentType.VALIDATION,
  complexity: Complexity.SIMPLE,
  title: 'Schema Validation',
  description:
    'Infers the schema of the data (column, type, role, nullable, observed ranges) and validates every row against your JSON Schema (draft 2020-12, 2019-09 or 7) or a column-type spec (columns: {name: {type, required, pattern, min, max, enum, unique}}): per-row errors with counts per rule (output schema_errors). Choose it to check an export against the format a system expects.',
  capabilities: [Capability.schemaValidation],
  consumes: ['dataset'],
  produces: ['summary', 'findings'],
  order: 10,
  params: schemaParams,
  // Measured on 2 cores: inference ~0.3 s per million rows of 16 columns, engine checks ~0.1-0.3 s; ajv ~1-3 us a row.
  estimateMs: ({ rows, columns }) => 40 + (rows * Math.max(columns, 1)) / 40_000,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'validation.schema');
    const inferred = await inferSchema(context.sql, dataset, context.signal);
    const findings = context.tableName('schema_errors');
    await createFindingsTable(context.sql, findings, context.signal);
    const base: Record<string, PlainValue> = { rows: dataset.rowCount, inferred: inferred.map((c) => ({ ...c })), inferred_json_schema: inferredJsonSchema(inferred, dataset.sources.join(', ') || dataset.table) };
    if (params.schema === null) {
      return { findings: await context.describe(findings, dataset.sources), summary: { ...base, schema_file: null, kind: 'inferred', violations: 0 }, rowsIn: dataset.rowCount, rowsOut: dataset.rowCount, message: `inferred the schema of ${inferred.length} columns (no schema given to validate against)` };
    }

    const file = await readSpecFile(context.run.baseDir, params.schema);
    const value = file.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationSpecError(params.schema, 'invalid', 'a schema is an object: a JSON Schema for one row, or a column spec with a "columns" map');
    const columnSpec = isColumnSpec(value);
    let checks: RowCheck[];
    let patterns: { rule: string; pattern: string }[];
    let ajv: AjvRun | null = null;
    let residual: { validate: ReturnType<typeof compileJsonSchema>; columns: readonly string[] } | null = null;
    if (columnSpec) {
      ({ checks, patterns } = columnSpecChecks(file, loadColumnSpec(file), dataset));
    } else {
      // The whole schema is compiled first: a typo (`minimun`) or a remote $ref is refused even where the engine checks.
      compileJsonSchema(params.schema, value);
      const plan = planJsonSchema(value, dataset);
      ({ checks, patterns } = plan);
      if (plan.residual !== null) residual = { validate: compileJsonSchema(params.schema, plan.residual), columns: plan.residualColumns };
    }
    await validatePatterns(context.sql, params.schema, patterns, context.signal);
    const counts = await runChecks(context.sql, dataset, checks, { target: findings, source: 'validation.schema', limit: params.max_violations_per_rule, timeLimitMs: params.pattern_time_limit_ms, file: params.schema }, context.signal);
    if (residual !== null) {
      ajv = await validateRowsWithAjv(context.sql, dataset, residual.validate, residual.columns, { target: findings, stage: context.tableName('schema_stage'), limit: params.max_violations_per_rule, maxRows: params.max_js_rows }, context.signal);
      if (ajv.rowsChecked < dataset.rowCount) context.log.warn('schema-rows-bounded', `ajv checked the first ${ajv.rowsChecked.toLocaleString('en-US')} of ${dataset.rowCount.toLocaleString('en-US')} rows (max_js_rows)`, { checked: ajv.rowsChecked, rows: dataset.rowCount });
    }

    const byRule = ruleCounts(counts, ajv);
    const violations = byRule.reduce((sum, r) => sum + r.count, 0);
    const failed = byRule.filter((r) => r.count > 0);
    context.log.dataOperation({ operation: 'validate', target: dataset.table, rows: dataset.rowCount, detail: { schema: params.schema, violations, rules: byRule.length } });
    return {
      findings: await context.describe(findings, dataset.sources),
      summary: {
        ...base,
        schema_file: params.schema,
        kind: columnSpec ? 'column-spec' : 'json-schema',
        violations,
        rules: byRule.length,
        failed_rules: failed.length,
        by_rule: byRule.map((r) => ({ ...r })),
        failed: failed.map((r) => r.rule),
        engine_checks: checks.length,
        ajv: ajv === null ? null : { columns: residual?.columns.length ?? 0, rows_checked: ajv.rowsChecked },
        listed_per_rule: params.max_violations_per_rule,
        truncated: byRule.some((r) => r.count > params.max_violations_per_rule),
      },
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message:
        violations === 0
          ? `every row matches ${params.schema} (${byRule.length} rules${ajv === null ? '' : `, ${ajv.rowsChecked.toLocaleString('en-US')} rows also checked with ajv`})`
          : `${violations.toLocaleString('en-US')} schema errors in ${failed.length} of ${byRule.length} rules against ${params.schema}: ${ruleCountText(byRule)}`,
    };
  },
});

interface RuleCount {
  rule: string;
  column: string | null;
  count: number;
  message: string;
  checked_by: string;
}

/** Counts per rule (`column.keyword`), worst first, from the engine's checks and ajv's. */
function ruleCounts(counts: readonly CheckCount[], ajv: AjvRun | null): RuleCount[] {
  const rules: RuleCount[] = counts.map(({ check, count }) => ({ rule: check.id, column: check.column, count, message: check.message, checked_by: 'engine' }));
  for (const a of ajv?.counts ?? []) rules.push({ rule: a.id, column: a.column, count: a.count, message: a.message, checked_by: 'ajv' });
  return rules.sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}
