// analysis.statistics: per-column summary (count, nulls, distinct, min, max, mean, stddev, quartiles) and top values.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { SemanticRole } from '../../model/semantic-role.js';
import { quoteIdent } from '../../data/sql-text.js';
import { plainText, type PlainValue } from '../../data/plain-value.js';
import { defineComponent } from '../component.js';
import { requireDataset } from '../inputs.js';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

const TOP_VALUE_ROLES: ReadonlySet<SemanticRole> = new Set(['category', 'ip', 'domain', 'user', 'hostname', 'port', 'process', 'label', 'url', 'hash', 'email']);

export const statisticsParams = z.object({
  top: z.number().int().min(1).max(100).default(5).describe('How many top values to keep per categorical column'),
  max_top_columns: z.number().int().min(0).max(64).default(12).describe('Top values are computed for at most this many columns'),
});

export const statisticsAnalysis = defineComponent({
  id: 'analysis.statistics',
  version: '1',
  type: ComponentType.ANALYSIS,
  complexity: Complexity.MODERATE,
  title: 'Statistical Analysis',
  description: 'Summarises every column (count, nulls, distinct values, min, max, mean, standard deviation, quartiles) and lists the most frequent values of categorical and entity columns (top talkers, users, ports). Choose it to describe a dataset before or alongside threat analysis.',
  capabilities: [Capability.statistics],
  consumes: ['dataset'],
  produces: ['summary'],
  order: 10,
  params: statisticsParams,
  estimateMs: ({ rows, columns }) => 50 + (rows * Math.max(columns, 1)) / 15_000,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'analysis.statistics');
    const table = quoteIdent(dataset.table);
    const rows = await context.sql.all(`SUMMARIZE ${table}`, [], context.signal);
    const roleOf = new Map(dataset.columns.map((c) => [c.name, c.role]));
    const columns: Record<string, PlainValue>[] = rows.map((r) => {
      const name = plainText(r['column_name']);
      const type = plainText(r['column_type']);
      const nullShare = Number(r['null_percentage'] ?? 0) / 100;
      const present = Math.round(Number(r['count'] ?? 0) * (1 - nullShare));
      // SUMMARIZE gives min, max and quartiles as text; numbers are numbers again for numeric columns.
      const value = NUMERIC_TYPE.test(type) ? numberOrNull : (v: PlainValue | undefined): PlainValue => v ?? null;
      return {
        column: name,
        type,
        role: roleOf.get(name) ?? null,
        count: present,
        nulls: Number(r['count'] ?? 0) - present,
        null_percentage: Math.round(nullShare * 10_000) / 100,
        // approx_unique is an estimate: never more than the values present.
        distinct: Math.min(present, Number(r['approx_unique'] ?? 0)),
        min: value(r['min']),
        max: value(r['max']),
        mean: numberOrNull(r['avg']),
        stddev: numberOrNull(r['std']),
        q25: value(r['q25']),
        q50: value(r['q50']),
        q75: value(r['q75']),
      };
    });

    const topCandidates = dataset.columns.filter((c) => c.role !== null && TOP_VALUE_ROLES.has(c.role)).slice(0, params.max_top_columns);
    const topValues: Record<string, PlainValue> = {};
    for (const [index, column] of topCandidates.entries()) {
      context.progress(index / Math.max(topCandidates.length, 1), `top values of ${column.name}`);
      const c = quoteIdent(column.name);
      const top = await context.sql.all(
        `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS count FROM ${table} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY count DESC, value LIMIT ${params.top}`,
        [],
        context.signal,
      );
      topValues[column.name] = top.map((t) => ({ value: t['value'] ?? null, count: t['count'] ?? null }));
    }
    context.log.dataOperation({ operation: 'analyse', target: dataset.table, rows: dataset.rowCount, columns: dataset.columns.map((c) => c.name) });
    return {
      summary: { rows: dataset.rowCount, columns, top_values: topValues },
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message: `${columns.length} columns summarised, top values for ${topCandidates.length}`,
    };
  },
});

function numberOrNull(value: PlainValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null;
}
