// The events a correlation rule reads: the (row, rule) pairs of the rules it names, with the event's time, its group-by
// values (through the field name aliases where the rule defines them) and the field it counts. Fields are read as
// detection rules read them (exact name first, then any case).
import { quoteIdent } from '../../data/sql-text.js';
import type { EventColumn } from './column-scope.js';
import type { CompiledCorrelation } from './correlation.js';
import type { EventTable } from './match-rules.js';

/** The column a field names (any case, as detection rules read fields), or undefined. */
export function columnOf(columns: readonly EventColumn[], name: string): EventColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export interface MatchedEvents {
  /** A SELECT of (row_id, rule_index, t, f, g0, g1, ...), one row per event, rule and group values. */
  readonly sql: string;
  /** The names of the group-by columns of the relation (g0, g1, ...). */
  readonly groups: readonly string[];
}

/**
 * The events of the rules `indexes` (rule indexes of `pairs`) with their time `t`, the counted field `f` (NULL when
 * the correlation counts none) and the group-by values as text. A group-by field the table lacks is one empty value,
 * as a missing field compares in Sigma; an alias takes, in each rule's events, the field the alias names for that rule
 * (`ruleIndex` resolves the rule names of aliases), and is empty in the events of a rule it does not name.
 */
export function matchedEvents(events: EventTable, time: EventColumn, correlation: CompiledCorrelation, indexes: readonly number[], pairs: string, field: EventColumn | null, ruleIndex: (name: string) => number | undefined): MatchedEvents {
  const text = (name: string): string => {
    const column = columnOf(events.columns, name);
    return column === undefined ? 'NULL' : `CAST(e.${quoteIdent(column.name)} AS VARCHAR)`;
  };
  const groupSql = correlation.groupBy.map((name) => {
    const alias = correlation.aliases.find(([a]) => a === name);
    if (alias === undefined) return text(name);
    const cases = alias[1].flatMap(([rule, source]) => {
      const index = ruleIndex(rule);
      return index === undefined ? [] : [`WHEN ${String(index)} THEN ${text(source)}`];
    });
    return cases.length === 0 ? 'NULL' : `CASE p.rule_index ${cases.join(' ')} END`;
  });
  const groups = groupSql.map((_, i) => `g${String(i)}`);
  const t = `e.${quoteIdent(time.name)}`;
  const f = field === null ? 'NULL' : `e.${quoteIdent(field.name)}`;
  return {
    sql: `SELECT DISTINCT p.row_id, p.rule_index, ${t} AS t, ${f} AS f${groupSql.map((g, i) => `, ${g} AS ${groups[i] ?? ''}`).join('')}
      FROM ${quoteIdent(pairs)} p JOIN ${quoteIdent(events.table)} e ON e.${quoteIdent(events.rowId)} = p.row_id
      WHERE p.rule_index IN (${indexes.join(', ')}) AND ${t} IS NOT NULL`,
    groups,
  };
}
