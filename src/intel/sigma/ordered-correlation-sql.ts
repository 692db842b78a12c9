// temporal_ordered correlations: the events of the rules named, in the order named, within the time span, per group.
// One step per rule: an event of the k-th rule takes, from the latest event of the (k-1)-th before it in its group
// (an ASOF join), the start of the latest chain that reaches it; an event of the last rule whose chain started within
// the time span is a detection. The latest predecessor carries the latest start, because within a group a step's
// start never decreases with time (by induction from the first step, whose start is its own time), so no chain that
// fits the span is missed. Events at the same instant are not in order: each step needs a strictly earlier one.
import type { MatchedEvents } from './correlation-columns.js';
import type { CompiledCorrelation } from './correlation.js';

/** SELECT (row_id, ruleIndex) of the detections of `correlation`, whose rules are `indexes` in order. */
export function orderedSelect(correlation: CompiledCorrelation, matched: MatchedEvents, indexes: readonly number[], ruleIndex: number): string {
  // The group-by values are never NULL here (matchedEvents leaves such events out); no group-by: one constant key.
  const keys = matched.groups.length === 0 ? ['k0'] : [...matched.groups];
  const keyed = matched.groups.length === 0 ? `SELECT row_id, rule_index, t, '' AS k0 FROM (${matched.sql})` : matched.sql;
  const columns = ['row_id', 't', ...keys];
  const steps = indexes.map((index, step) => {
    if (step === 0) return `s0 AS (SELECT ${columns.join(', ')}, t AS start FROM m WHERE rule_index = ${String(index)})`;
    const same = keys.map((k) => `x.${k} = prev.${k}`);
    return `s${String(step)} AS (SELECT ${columns.map((c) => `x.${c}`).join(', ')}, prev.start
      FROM (SELECT * FROM m WHERE rule_index = ${String(index)}) x ASOF JOIN s${String(step - 1)} prev ON ${[...same, 'x.t > prev.t'].join(' AND ')})`;
  });
  const last = `s${String(indexes.length - 1)}`;
  return `WITH m AS (${keyed}), ${steps.join(',\n')}
    SELECT DISTINCT row_id, ${String(ruleIndex)} FROM ${last} WHERE start >= t - INTERVAL ${String(correlation.timespanSeconds)} SECONDS`;
}
