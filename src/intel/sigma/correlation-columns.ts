// The events a correlation rule reads: the (row, rule) pairs of the rules it names, with the event's time, its group-by
// values (through the field name aliases where the rule defines them) and the field it counts. Fields are read as
// detection rules read them (column-scope.ts): any case, Security 4688's NewProcessName for Image, an access log's
// columns under the W3C names (c-ip, cs-uri-stem), so a correlation groups the events its rules matched on.
import { quoteIdent } from '../../data/sql-text.js';
import { ColumnScope, type EventColumn } from './column-scope.js';
import type { CompiledCorrelation } from './correlation.js';
import type { EventTable } from './match-rules.js';

export interface MatchedEvents {
  /** A SELECT of (row_id, rule_index, t, f, g0, g1, ...), one row per event, rule and group values. */
  readonly sql: string;
  /** The names of the group-by columns of the relation (g0, g1, ...). */
  readonly groups: readonly string[];
}

/** Whether the events have the field, read as detection rules read fields. */
export function hasField(events: EventTable, name: string): boolean {
  return new ColumnScope(events.columns).column(name) !== undefined;
}

/**
 * The events of the rules `indexes` (rule indexes of `pairs`) with their time `t`, the counted field `f` (NULL when
 * the correlation counts none) and the group-by values as text. An event without a value for a group-by field (the
 * field empty, or absent from the table) belongs to no group and is left out, as `stats ... by` does in the SIEMs
 * the specification's backends write for: grouping every event without the field together would correlate unrelated
 * events (ten failed logons of ten users with no TargetUserName column). An alias takes, in each rule's events, the
 * field the alias names for that rule (`ruleIndex` resolves the rule names of aliases), and is empty in the events of
 * a rule it does not name.
 */
export function matchedEvents(events: EventTable, time: EventColumn, correlation: CompiledCorrelation, indexes: readonly number[], pairs: string, ruleIndex: (name: string) => number | undefined): MatchedEvents {
  const scope = new ColumnScope(events.columns);
  // The event side is a projection of the table: the fields' expressions name its columns, and only its columns.
  const projected: string[] = [`${quoteIdent(events.rowId)} AS row_id`, `${quoteIdent(time.name)} AS t`];
  const field = (name: string, as: string, text: boolean): string => {
    const column = scope.column(name);
    const source = column === undefined ? 'NULL' : (column.expression ?? quoteIdent(column.name));
    projected.push(`${text && column !== undefined ? `CAST(${source} AS VARCHAR)` : source} AS ${as}`);
    return `e.${as}`;
  };
  const f = correlation.field === null ? 'NULL' : field(correlation.field, 'f', false);
  const groupSql = correlation.groupBy.map((name, i) => {
    const alias = correlation.aliases.find(([a]) => a === name);
    if (alias === undefined) return field(name, `g${String(i)}`, true);
    const cases = alias[1].flatMap(([rule, source], j) => {
      const index = ruleIndex(rule);
      return index === undefined ? [] : [`WHEN ${String(index)} THEN ${field(source, `a${String(i)}_${String(j)}`, true)}`];
    });
    return cases.length === 0 ? 'NULL' : `CASE p.rule_index ${cases.join(' ')} END`;
  });
  const groups = groupSql.map((_, i) => `g${String(i)}`);
  return {
    sql: `SELECT DISTINCT p.row_id, p.rule_index, e.t, ${f} AS f${groupSql.map((g, i) => `, ${g} AS ${groups[i] ?? ''}`).join('')}
      FROM ${quoteIdent(pairs)} p JOIN (SELECT ${projected.join(', ')} FROM ${quoteIdent(events.table)}) e ON e.row_id = p.row_id
      WHERE p.rule_index IN (${indexes.join(', ')}) AND e.t IS NOT NULL${groupSql.map((g) => ` AND (${g}) IS NOT NULL`).join('')}`,
    groups,
  };
}
