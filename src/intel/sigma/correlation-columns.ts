// The event columns a correlation rule names: its group-by fields and the field it counts, read as detection rules
// read fields (exact name first, then any case).
import { quoteIdent } from '../../data/sql-text.js';
import type { EventColumn } from './column-scope.js';
import type { CompiledCorrelation } from './correlation.js';
import type { EventTable } from './match-rules.js';

/** The column a field names (any case, as detection rules read fields), or undefined. */
export function columnOf(columns: readonly EventColumn[], name: string): EventColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/**
 * The group-by fields as text expressions of the events aliased `e`. A field the table lacks groups as one empty
 * value, as a missing field compares in Sigma.
 */
export function groupExpressions(events: EventTable, correlation: CompiledCorrelation): string[] {
  return correlation.groupBy.map((name) => {
    const column = columnOf(events.columns, name);
    return column === undefined ? 'NULL' : `CAST(e.${quoteIdent(column.name)} AS VARCHAR)`;
  });
}
