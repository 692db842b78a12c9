// validation.quality: completeness per column, validity by column role, duplicate rows, and a 0-100 score with its breakdown.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { DatasetColumn } from '../../model/dataset.js';
import type { SemanticRole } from '../../model/semantic-role.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { PlainValue } from '../../data/plain-value.js';
import { defineComponent } from '../component.js';
import { requireDataset } from '../inputs.js';

/**
 * SQL validity tests per role, on the value as text; roles without a test are not scored for validity. `perValue` rules
 * run once per distinct value (weighted by its count): addresses, domains and e-mails repeat a lot, and the patterns cost
 * more than the grouping. URLs and hashes rarely repeat, so their (cheap) tests run once per row.
 */
const VALIDITY: Partial<Record<SemanticRole, { test: (v: string) => string; perValue: boolean }>> = {
  ip: { test: (v) => `(regexp_full_match(${v}, '((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)') OR regexp_full_match(${v}, '[0-9A-Fa-f:.]{2,45}') AND contains(${v}, ':'))`, perValue: true },
  hash: { test: (v) => `(length(${v}) IN (32, 40, 64) AND regexp_full_match(${v}, '[0-9A-Fa-f]+'))`, perValue: false },
  url: { test: (v) => `regexp_matches(${v}, '^(https?|ftp|HTTPS?)://[^\\s/]')`, perValue: false },
  email: { test: (v) => `regexp_full_match(${v}, '[^\\s@]+@[^\\s@]+\\.[A-Za-z]{2,}')`, perValue: true },
  domain: { test: (v) => `regexp_full_match(${v}, '([A-Za-z0-9_-]+\\.)+[A-Za-z][A-Za-z0-9-]+')`, perValue: true },
  port: { test: (v) => `(TRY_CAST(${v} AS BIGINT) BETWEEN 0 AND 65535)`, perValue: true },
};

export const qualityParams = z.object({
  weights: z
    .object({ completeness: z.number().min(0), validity: z.number().min(0), uniqueness: z.number().min(0) })
    .default({ completeness: 0.4, validity: 0.4, uniqueness: 0.2 })
    .describe('How the three measures weigh in the 0-100 score'),
});

export const qualityCheck = defineComponent({
  id: 'validation.quality',
  version: '1',
  type: ComponentType.VALIDATION,
  complexity: Complexity.SIMPLE,
  title: 'Data Quality Check',
  description: 'Measures completeness of every column, validity of values by their role (IP addresses, hashes, URLs, ports, e-mails, domains) and duplicate rows, and gives a 0-100 quality score with its breakdown. Choose it before trusting a dataset or for compliance evidence.',
  capabilities: [Capability.dataQuality],
  consumes: ['dataset'],
  produces: ['summary'],
  order: 10,
  params: qualityParams,
  // Measured on 2 cores: ~0.8 s per million rows of 16 columns.
  estimateMs: ({ rows, columns }) => 50 + (rows * Math.max(columns, 1)) / 20_000,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'validation.quality');
    const table = quoteIdent(dataset.table);
    const userColumns = dataset.columns;
    const measures: string[] = ['count(*) AS "__rows"'];
    userColumns.forEach((column, i) => {
      measures.push(`${presentSql(column)} AS "c${i}"`);
    });
    // One scan for completeness, the per-row validity rules and the duplicate count; per-value rules group by column.
    const rowRules = userColumns.filter((c) => c.role !== null && VALIDITY[c.role]?.perValue === false);
    rowRules.forEach((c, i) => measures.push(`count(*) FILTER (WHERE ${presentCondition(c)} AND NOT (${ruleSql(c, textSql(c))})) AS "v${i}"`));
    measures.push('count(DISTINCT hash(*COLUMNS(*))) AS "__distinct"');
    const [row] = await context.sql.all(`SELECT ${measures.join(', ')} FROM ${table}`, [], context.signal);
    const total = Number(row?.['__rows'] ?? 0);
    const invalidCounts = new Map<string, number>();
    rowRules.forEach((c, i) => invalidCounts.set(c.name, Number(row?.[`v${i}`] ?? 0)));
    for (const column of userColumns.filter((c) => c.role !== null && VALIDITY[c.role]?.perValue === true)) {
      const invalid = await context.sql.scalar(
        `SELECT coalesce(sum(n) FILTER (WHERE NOT (${ruleSql(column, '__v')})), 0) FROM (SELECT ${textSql(column)} AS __v, count(*) AS n FROM ${table} WHERE ${presentCondition(column)} GROUP BY ALL)`,
        [],
        context.signal,
      );
      invalidCounts.set(column.name, Number(invalid));
    }
    const distinct = Number(row?.['__distinct'] ?? total);
    const duplicates = total - distinct;

    const columnReports: Record<string, PlainValue>[] = [];
    let completenessSum = 0;
    let validitySum = 0;
    let validityCount = 0;
    userColumns.forEach((column, i) => {
      const present = Number(row?.[`c${i}`] ?? 0);
      const completeness = total === 0 ? 1 : present / total;
      completenessSum += completeness;
      const invalid = invalidCounts.get(column.name) ?? null;
      const validity = invalid === null ? null : present === 0 ? 1 : 1 - invalid / present;
      if (validity !== null) {
        validitySum += validity;
        validityCount += 1;
      }
      columnReports.push({ column: column.name, role: column.role, completeness: round(completeness), missing: total - present, invalid, validity: validity === null ? null : round(validity) });
    });
    const completeness = userColumns.length === 0 ? 1 : completenessSum / userColumns.length;
    const validity = validityCount === 0 ? 1 : validitySum / validityCount;
    const uniqueness = total === 0 ? 1 : distinct / total;
    const w = params.weights;
    const weightSum = w.completeness + w.validity + w.uniqueness || 1;
    const score = Math.round((100 * (w.completeness * completeness + w.validity * validity + w.uniqueness * uniqueness)) / weightSum);

    context.log.dataOperation({ operation: 'validate', target: dataset.table, rows: total, detail: { score, duplicates } });
    return {
      summary: {
        score,
        rows: total,
        duplicate_rows: duplicates,
        breakdown: { completeness: round(completeness), validity: round(validity), uniqueness: round(uniqueness) },
        columns: columnReports,
      },
      rowsIn: total,
      rowsOut: total,
      message: `quality score ${score}/100 (completeness ${pct(completeness)}, validity ${pct(validity)}, ${duplicates} duplicate rows)`,
    };
  },
});

function isText(column: DatasetColumn): boolean {
  return column.sqlType === 'VARCHAR';
}

function presentCondition(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  // No trim here: it costs more than the rest of the pass together; ' - ' style padding is rare in exports.
  return isText(column) ? `(${c} IS NOT NULL AND ${c} NOT IN ('', '-'))` : `${c} IS NOT NULL`;
}

function presentSql(column: DatasetColumn): string {
  return `count(*) FILTER (WHERE ${presentCondition(column)})`;
}

function textSql(column: DatasetColumn): string {
  return isText(column) ? quoteIdent(column.name) : `CAST(${quoteIdent(column.name)} AS VARCHAR)`;
}

function ruleSql(column: DatasetColumn, value: string): string {
  const rule = column.role === null ? undefined : VALIDITY[column.role];
  return rule === undefined ? 'true' : rule.test(value);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
