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
import { hasField, matchedEvents, type MatchedEvents } from './correlation-columns.js';
import { orderedSelect } from './ordered-correlation-sql.js';
import { isTimestampType } from '../../data/sql-types.js';

/** Names of the event time, in the order they are preferred when a table has several timestamp columns. */
const TIME_NAMES = ['@timestamp', 'timecreated', 'utctime', 'eventtime', 'systemtime', 'timestamp', 'ts', 'time'];

export interface CorrelationOutcome {
  /** Correlations that ran over the events (not those whose rules matched too little to ever fire). */
  readonly applied: number;
  readonly problems: readonly RuleProblem[];
  /** How a correlation was counted where the specification asks a backend to say so (fixed windows). */
  readonly notes: readonly RuleProblem[];
}

/** Correlations chained on correlations, at most this deep: a chain is a few steps (failed logons, then a success). */
const MAX_CHAIN_DEPTH = 8;

/** The rule index of the rule or correlation a correlation names (by id or name), or undefined. */
export function referenceIndex(reference: string, rules: readonly CompiledRule[], correlations: readonly CompiledCorrelation[]): number | undefined {
  const named = (r: { readonly id: string; readonly name: string | null }): boolean => r.id === reference || (r.name !== null && r.name === reference);
  const index = rules.findIndex(named);
  if (index >= 0) return index;
  const chained = correlations.findIndex(named);
  return chained >= 0 ? rules.length + chained : undefined;
}

/**
 * The rules a correlation names, as rule indexes of the pairs table: a detection rule's position in `rules`, a
 * correlation's `rules.length` + its position in `correlations` (a chain: its detections are pairs like any rule's).
 * Or why a name cannot be resolved.
 */
export function resolveCorrelated(correlation: CompiledCorrelation, rules: readonly CompiledRule[], correlations: readonly CompiledCorrelation[]): { indexes: number[] } | { problem: string } {
  const indexes: number[] = [];
  for (const reference of correlation.rules) {
    const index = referenceIndex(reference, rules, correlations);
    if (index === undefined) return { problem: `rule '${reference}' is not loaded (name it with --rules beside the correlation)` };
    if (index >= rules.length && correlations[index - rules.length] === correlation) return { problem: `it names itself ('${reference}')` };
    indexes.push(index);
  }
  for (const [alias, byRule] of correlation.aliases) {
    const stray = byRule.find(([rule]) => !indexes.includes(referenceIndex(rule, rules, correlations) ?? -1));
    if (stray !== undefined) return { problem: `alias '${alias}' names rule '${stray[0]}', which the correlation does not correlate` };
  }
  return { indexes: [...new Set(indexes)] };
}

/**
 * The positions of `correlations` in an order where every chained correlation runs after those it names, and the
 * problems of those that cannot run: a name not loaded, a cycle, a chain deeper than MAX_CHAIN_DEPTH.
 */
export function correlationOrder(rules: readonly CompiledRule[], correlations: readonly CompiledCorrelation[]): { order: number[]; problems: Map<number, { code: string; detail: string }> } {
  const order: number[] = [];
  const problems = new Map<number, { code: string; detail: string }>();
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (position: number, depth: number): boolean => {
    if (state.get(position) === 'done') return !problems.has(position);
    const correlation = correlations[position];
    if (correlation === undefined) return false;
    const fail = (code: string, detail: string): boolean => {
      problems.set(position, { code, detail });
      state.set(position, 'done');
      return false;
    };
    if (state.get(position) === 'visiting') return fail('sigma-correlation-cycle', 'its chain of correlations comes back to it');
    if (depth > MAX_CHAIN_DEPTH) return fail('sigma-correlation-unresolved', `chained more than ${String(MAX_CHAIN_DEPTH)} correlations deep`);
    const resolved = resolveCorrelated(correlation, rules, correlations);
    if ('problem' in resolved) return fail('sigma-correlation-unresolved', resolved.problem);
    state.set(position, 'visiting');
    for (const index of resolved.indexes) {
      if (index < rules.length) continue;
      if (!visit(index - rules.length, depth + 1) && !problems.has(position)) return fail('sigma-correlation-unresolved', `the correlation it names ('${correlations[index - rules.length]?.title ?? ''}') cannot run`);
    }
    if (problems.has(position)) return false;
    state.set(position, 'done');
    order.push(position);
    return true;
  };
  for (const position of correlations.keys()) visit(position, 0);
  return { order, problems };
}

/** The event time: a TIMESTAMP column, by preferred name first. */
export function eventTimeColumn(columns: readonly EventColumn[]): EventColumn | undefined {
  const timed = columns.filter((c) => isTimestampType(c.sqlType));
  const named = (name: string): EventColumn | undefined => timed.find((c) => c.name.toLowerCase() === name);
  return TIME_NAMES.map(named).find((c) => c !== undefined) ?? timed[0];
}

/**
 * Appends each correlation's detections to `pairs` as (row_id, rules.length + its position), chained correlations
 * after those they name. `rules` are the rules whose pairs are in the table, by rule_index.
 */
export async function runCorrelations(sql: SqlSession, events: EventTable, rules: readonly CompiledRule[], correlations: readonly CompiledCorrelation[], pairs: string, signal: AbortSignal): Promise<CorrelationOutcome> {
  const problems: RuleProblem[] = [];
  const notes: RuleProblem[] = [];
  const problem = (c: CompiledCorrelation, code: string, detail: string, into = problems): void => {
    into.push({ source: c.source, ruleId: c.id, title: c.title, code, detail });
  };
  if (correlations.length === 0) return { applied: 0, problems, notes };
  const time = eventTimeColumn(events.columns);
  const { order, problems: unresolved } = correlationOrder(rules, correlations);
  for (const [position, p] of unresolved) {
    const correlation = correlations[position];
    if (correlation !== undefined) problem(correlation, p.code, p.detail);
  }
  let applied = 0;
  for (const position of order) {
    const correlation = correlations[position];
    const resolved = correlation === undefined ? null : resolveCorrelated(correlation, rules, correlations);
    if (correlation === undefined || resolved === null || 'problem' in resolved) continue;
    // Not enough matched to ever fire (nothing; for a sequence or a set of all its rules, one of them missing): no run,
    // and no word about a missing timestamp (the shipped correlations meet every table, most of which hold none or
    // only some of their events).
    const rulesSeen = Number(await sql.scalar(`SELECT count(DISTINCT rule_index) FROM ${quoteIdent(pairs)} WHERE rule_index IN (${resolved.indexes.join(', ')})`, [], signal));
    const needsAll = correlation.type === 'temporal_ordered' || (correlation.type === 'temporal' && correlation.condition.length === 0);
    if (rulesSeen === 0 || (needsAll && rulesSeen < resolved.indexes.length)) continue;
    if (time === undefined) {
      problem(correlation, 'sigma-correlation-no-time', 'the events have no timestamp column to count within a time span');
      continue;
    }
    if (correlation.field !== null && !hasField(events, correlation.field)) continue; // Nothing to count, no detection.
    const ruleIndex = rules.length + position;
    const matched = matchedEvents(events, time, correlation, resolved.indexes, pairs, (name) => referenceIndex(name, rules, correlations));
    const select = correlation.type === 'temporal_ordered' ? orderedSelect(correlation, matched, resolved.indexes, ruleIndex) : correlationSelect(correlation, matched, resolved.indexes.length, ruleIndex);
    await sql.run(`INSERT INTO ${quoteIdent(pairs)} ${select}`, [], signal);
    applied += 1;
    if (correlation.type !== 'temporal_ordered' && !slides(correlation)) {
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

/** Whether the correlation counts in a sliding window: its condition has lower bounds only (see the top of the file). */
function slides(correlation: CompiledCorrelation): boolean {
  return correlation.condition.every((c) => c.op === '>' || c.op === '>=');
}

function correlationSelect(correlation: CompiledCorrelation, matched: MatchedEvents, rulesNamed: number, ruleIndex: number): string {
  const groups = matched.groups;
  const span = String(correlation.timespanSeconds);
  const partition = (extra: readonly string[]): string => (groups.length + extra.length > 0 ? `PARTITION BY ${[...groups, ...extra].join(', ')} ` : '');
  const window = (extra: readonly string[] = []): string =>
    slides(correlation) ? `(${partition(extra)}ORDER BY t RANGE BETWEEN INTERVAL ${span} SECONDS PRECEDING AND CURRENT ROW)` : `(${partition([...extra, `floor(epoch(t) / ${span})`])})`;
  // temporal counts the rules seen; the other types count each event once per group, whatever rules it matched.
  // value_percentile: the share, in percent, of the group's events in the window whose field has this event's value.
  const measure: Record<CompiledCorrelation['type'], string> = {
    event_count: `count(*) OVER ${window()}`,
    value_count: `count(DISTINCT CAST(f AS VARCHAR)) OVER ${window()}`,
    value_sum: `sum(TRY_CAST(f AS DOUBLE)) OVER ${window()}`,
    value_avg: `avg(TRY_CAST(f AS DOUBLE)) OVER ${window()}`,
    value_percentile: `CASE WHEN f IS NOT NULL THEN 100.0 * count(*) OVER ${window(['f'])} / count(f) OVER ${window()} END`,
    temporal: `count(DISTINCT rule_index) OVER ${window()}`,
    temporal_ordered: '', // orderedSelect
  };
  const events = correlation.type === 'temporal' ? matched.sql : `SELECT DISTINCT row_id, t, f${groups.map((g) => `, ${g}`).join('')} FROM (${matched.sql})`;
  const criteria = correlation.condition.length > 0 ? correlation.condition.map((c) => `n ${c.op} ${String(c.value)}`) : [`n >= ${String(rulesNamed)}`];
  return `SELECT DISTINCT row_id, ${String(ruleIndex)} FROM (SELECT row_id, ${measure[correlation.type]} AS n FROM (${events})) WHERE ${criteria.join(' AND ')}`;
}
