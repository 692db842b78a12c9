// The event table's columns as detection SQL sees them. Rules name fields in any case; each field's text and
// lower-cased text are computed once per row in an inner projection (DuckDB evaluates a repeated expression each
// time it appears), and the rule expressions refer to those projected names.
import { quoteIdent } from '../../data/sql-text.js';

export interface EventColumn {
  readonly name: string;
  readonly sqlType: string;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

export class ColumnScope {
  readonly #byName = new Map<string, EventColumn>();
  /** Names without spaces: Windows renders some EventData names with spaces ("Source Name"), rules write SourceName. */
  readonly #bySquashedName = new Map<string, EventColumn>();
  readonly #projections = new Map<string, string>();

  constructor(columns: readonly EventColumn[]) {
    for (const column of columns) {
      const key = column.name.toLowerCase();
      if (!this.#byName.has(key)) this.#byName.set(key, column);
      const squashed = squash(column.name);
      if (!this.#bySquashedName.has(squashed)) this.#bySquashedName.set(squashed, column);
    }
  }

  column(field: string): EventColumn | undefined {
    return this.#byName.get(field.toLowerCase()) ?? this.#bySquashedName.get(squash(field));
  }

  isNumeric(column: EventColumn): boolean {
    return NUMERIC.test(column.sqlType);
  }

  /** The text columns, for keyword search. */
  textColumns(): EventColumn[] {
    return [...this.#byName.values()].filter((c) => c.sqlType === 'VARCHAR');
  }

  /** The column as it is. */
  raw(column: EventColumn): string {
    return this.#project(`r_${column.name}`, quoteIdent(column.name));
  }

  /** The column as text. */
  text(column: EventColumn): string {
    return this.#project(`t_${column.name}`, column.sqlType === 'VARCHAR' ? quoteIdent(column.name) : `CAST(${quoteIdent(column.name)} AS VARCHAR)`);
  }

  /** The column as lower-case text: what case-insensitive matching compares. */
  lower(column: EventColumn): string {
    return this.#project(`l_${column.name}`, `lower(${column.sqlType === 'VARCHAR' ? quoteIdent(column.name) : `CAST(${quoteIdent(column.name)} AS VARCHAR)`})`);
  }

  /** The lower-case text of a column as an expression on the table itself (for filters below the projection). */
  lowerOfTable(column: EventColumn): string {
    return `lower(${column.sqlType === 'VARCHAR' ? quoteIdent(column.name) : `CAST(${quoteIdent(column.name)} AS VARCHAR)`})`;
  }

  /** `expression AS name` items of the inner projection, for the columns used so far. */
  projections(): string[] {
    return [...this.#projections.entries()].map(([alias, expression]) => `${expression} AS ${quoteIdent(alias)}`);
  }

  #project(alias: string, expression: string): string {
    this.#projections.set(alias, expression);
    return quoteIdent(alias);
  }
}

function squash(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}
