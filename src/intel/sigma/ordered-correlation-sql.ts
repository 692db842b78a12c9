// temporal_ordered correlations: the events of the rules named, in the order named, within the time span, per group.
// One step per rule: an event of the k-th rule takes, from the latest event of the (k-1)-th before it in its group
// (an ASOF join), the start of the latest chain that reaches it; an event of the last rule whose chain started within
// the time span is a detection. The latest predecessor carries the latest start, because within a group a step's
// start never decreases with time (by induction from the first step, whose start is its own time), so no chain that
// fits the span is missed. Events at the same instant are not in order: each step needs a strictly earlier one.
import { quoteIdent } from '../../data/sql-text.js';
import type { EventColumn } from './column-scope.js';
import { groupExpressions } from './correlation-columns.js';
import type { CompiledCorrelation } from './correlation.js';
import type { EventTable } from './match-rules.js';

/** A key no text value has, for a missing group-by value: a NULL would never be equal to itself in the join. */
const NULL_KEY = "chr(0) || 'null'";

/** SELECT (row_id, ruleIndex) of the detections of `correlation`, whose rules are `indexes` in order. */
export function orderedSelect(events: EventTable, time: EventColumn, correlation: CompiledCorrelation, indexes: readonly number[], pairs: string, ruleIndex: number): string {
  const t = `e.${quoteIdent(time.name)}`;
  const groups = groupExpressions(events, correlation);
  const keys = groups.length === 0 ? [`''`] : groups.map((g) => `coalesce(${g}, ${NULL_KEY})`);
  const keyNames = keys.map((_, i) => `g${String(i)}`);
  const matched = `SELECT DISTINCT p.row_id, p.rule_index, ${t} AS t, ${keys.map((k, i) => `${k} AS ${keyNames[i] ?? ''}`).join(', ')}
    FROM ${quoteIdent(pairs)} p JOIN ${quoteIdent(events.table)} e ON e.${quoteIdent(events.rowId)} = p.row_id
    WHERE p.rule_index IN (${indexes.join(', ')}) AND ${t} IS NOT NULL`;
  const columns = ['row_id', 't', ...keyNames];
  const steps = indexes.map((index, step) => {
    if (step === 0) return `s0 AS (SELECT ${columns.join(', ')}, t AS start FROM m WHERE rule_index = ${String(index)})`;
    const same = keyNames.map((k) => `x.${k} = prev.${k}`);
    return `s${String(step)} AS (SELECT ${columns.map((c) => `x.${c}`).join(', ')}, prev.start
      FROM (SELECT * FROM m WHERE rule_index = ${String(index)}) x ASOF JOIN s${String(step - 1)} prev ON ${[...same, 'x.t > prev.t'].join(' AND ')})`;
  });
  const last = `s${String(indexes.length - 1)}`;
  return `WITH m AS (${matched}), ${steps.join(',\n')}
    SELECT DISTINCT row_id, ${String(ruleIndex)} FROM ${last} WHERE start >= t - INTERVAL ${String(correlation.timespanSeconds)} SECONDS`;
}
