// Runs correlation rules over the (row, rule) pairs the detection rules wrote: the correlated rules' events, grouped by
// the group-by fields, are counted in one SQL window per correlation, and the events where the condition holds are the
// correlation's detections, written back as pairs like any rule's.
// - A condition with lower bounds only (gt, gte; temporal without one) counts in a window that slides with the events
//   (the time span up to each event), as the specification prefers to fixed buckets: no burst is missed because it
//   straddles a bucket's edge.
// - A condition with an upper bound (lt, lte, eq, neq) counts in fixed windows of the time span, aligned to the clock
//   (UTC epoch multiples), as the specification's backends do: a sliding window ending at a group's first event holds
//   that event alone, so "fewer than N" would hold at the start of every group and every count would pass through "eq N"
//   on its way up. Each event of a fixed window whose count meets the condition is a detection.
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import type { EventColumn } from './column-scope.js';
import type { CompiledRule } from './compile-rule.js';
import type { CompiledCorrelation } from './correlation.js';
import type { RuleProblem } from './load-rules.js';
import type { EventTable } from './match-rules.js';

/** Names of the event time, in the order they are preferred when a table has several timestamp columns. */
const TIME_NAMES = ['@timestamp', 'timecreated', 'utctime', 'eventtime', 'systemtime', 'timestamp', 'ts', 'time'];

export interface CorrelationOutcome {
  /** Correlations that ran. */
  readonly applied: number;
  readonly problems: readonly RuleProblem[];
  /** How a correlation was counted where the specification asks a backend to say so (fixed windows). */
  readonly notes: readonly RuleProblem[];
}

/** The rules a correlation names, as indexes into `rules`, or why they cannot be found. */
export function resolveCorrelated(correlation: CompiledCorrelation, rules: readonly CompiledRule[], correlations: readonly CompiledCorrelation[]): { indexes: number[] } | { problem: string } {
  const indexes: number[] = [];
  for (const reference of correlation.rules) {
    const index = rules.findIndex((r) => r.id === reference || (r.name !== null && r.name === reference));
    if (index >= 0) {
      indexes.push(index);
      continue;
    }
    if (correlations.some((c) => c !== correlation && (c.id === reference || c.name === reference))) return { problem: `'${reference}' is a correlation rule (chained correlations are not supported)` };
    return { problem: `rule '${reference}' is not loaded (name it with --rules beside the correlation)` };
  }
  return { indexes: [...new Set(indexes)] };
}

/** The event time: a TIMESTAMP column, by preferred name first. */
export function eventTimeColumn(columns: readonly EventColumn[]): EventColumn | undefined {
  const timed = columns.filter((c) => c.sqlType.toUpperCase().startsWith('TIMESTAMP'));
  const named = (name: string): EventColumn | undefined => timed.find((c) => c.name.toLowerCase() === name);
  return TIME_NAMES.map(named).find((c) => c !== undefined) ?? timed[0];
}

/**
 * Appends each correlation's detections to `pairs` as (row_id, firstIndex + its position). `rules` are the rules whose
 * pairs are in the table, by rule_index.
 */
export async function runCorrelations(
  sql: SqlSession,
  events: EventTable,
  rules: readonly CompiledRule[],
  correlations: readonly CompiledCorrelation[],
  pairs: string,
  firstIndex: number,
  signal: AbortSignal,
): Promise<CorrelationOutcome> {
  const problems: RuleProblem[] = [];
  const notes: RuleProblem[] = [];
  const problem = (c: CompiledCorrelation, code: string, detail: string, into = problems): void => {
    into.push({ source: c.source, ruleId: c.id, title: c.title, code, detail });
  };
  if (correlations.length === 0) return { applied: 0, problems, notes };
  const time = eventTimeColumn(events.columns);
  let applied = 0;
  for (const [position, correlation] of correlations.entries()) {
    const resolved = resolveCorrelated(correlation, rules, correlations);
    if ('problem' in resolved) {
      problem(correlation, 'sigma-correlation-unresolved', resolved.problem);
      continue;
    }
    if (time === undefined) {
      problem(correlation, 'sigma-correlation-no-time', 'the events have no timestamp column to count within a time span');
      continue;
    }
    const field = correlation.field === null ? null : columnOf(events.columns, correlation.field);
    if (correlation.field !== null && field === undefined) continue; // The field is absent: nothing to count, no detection.
    await sql.run(`INSERT INTO ${quoteIdent(pairs)} ${correlationSelect(events, time, correlation, resolved.indexes, pairs, firstIndex + position, field ?? null)}`, [], signal);
    applied += 1;
    if (!slides(correlation)) {
      problem(correlation, 'sigma-correlation-fixed-windows', `counted in fixed ${spanText(correlation.timespanSeconds)} windows aligned to the clock (UTC), for its upper bound: events on both sides of a window's edge are counted apart`, notes);
    }
  }
  return { applied, problems, notes };
}

/** A time span as Sigma writes one: 300 -> 5m, 5400 -> 90m, 86400 -> 1d. */
function spanText(seconds: number): string {
  const units: readonly [string, number][] = [['d', 86_400], ['h', 3_600], ['m', 60]];
  const unit = units.find(([, size]) => seconds % size === 0);
  return unit === undefined ? `${String(seconds)}s` : `${String(seconds / unit[1])}${unit[0]}`;
}

/** The column a field names (any case, as detection rules read fields), or undefined. */
function columnOf(columns: readonly EventColumn[], name: string): EventColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Whether the correlation counts in a sliding window: its condition has lower bounds only (see the top of the file). */
function slides(correlation: CompiledCorrelation): boolean {
  return correlation.condition.every((c) => c.op === '>' || c.op === '>=');
}

function correlationSelect(events: EventTable, time: EventColumn, correlation: CompiledCorrelation, indexes: readonly number[], pairs: string, ruleIndex: number, field: EventColumn | null): string {
  const value = (column: EventColumn): string => `e.${quoteIdent(column.name)}`;
  // A group-by field the table lacks groups as one empty value, as a missing field compares in Sigma.
  const groups = correlation.groupBy.map((name) => {
    const column = columnOf(events.columns, name);
    return column === undefined ? 'NULL' : `CAST(${value(column)} AS VARCHAR)`;
  });
  const span = String(correlation.timespanSeconds);
  const window = slides(correlation)
    ? `(${groups.length > 0 ? `PARTITION BY ${groups.join(', ')} ` : ''}ORDER BY ${value(time)} RANGE BETWEEN INTERVAL ${span} SECONDS PRECEDING AND CURRENT ROW)`
    : `(PARTITION BY ${[...groups, `floor(epoch(${value(time)}) / ${span})`].join(', ')})`;
  // temporal counts the rules seen per event; the other types count each event once, whatever rules it matched.
  const measure: Record<CompiledCorrelation['type'], string> = {
    event_count: `count(*) OVER ${window}`,
    value_count: `count(DISTINCT ${field === null ? 'NULL' : `CAST(${value(field)} AS VARCHAR)`}) OVER ${window}`,
    value_sum: `sum(TRY_CAST(${field === null ? 'NULL' : value(field)} AS DOUBLE)) OVER ${window}`,
    value_avg: `avg(TRY_CAST(${field === null ? 'NULL' : value(field)} AS DOUBLE)) OVER ${window}`,
    temporal: `count(DISTINCT p.rule_index) OVER ${window}`,
  };
  const matched = `(SELECT DISTINCT row_id${correlation.type === 'temporal' ? ', rule_index' : ''} FROM ${quoteIdent(pairs)} WHERE rule_index IN (${indexes.join(', ')}))`;
  const criteria = correlation.condition.length > 0 ? correlation.condition.map((c) => `n ${c.op} ${String(c.value)}`) : [`n >= ${String(indexes.length)}`];
  return `SELECT DISTINCT row_id, ${String(ruleIndex)} FROM (
      SELECT p.row_id, ${measure[correlation.type]} AS n
      FROM ${matched} p JOIN ${quoteIdent(events.table)} e ON e.${quoteIdent(events.rowId)} = p.row_id
      WHERE ${value(time)} IS NOT NULL)
    WHERE ${criteria.join(' AND ')}`;
}
