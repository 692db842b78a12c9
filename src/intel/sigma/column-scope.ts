// The event table's columns as detection SQL sees them. Rules name fields in any case; each field's text and
// lower-cased text are computed once per row in an inner projection (DuckDB evaluates a repeated expression each
// time it appears), and the rule expressions refer to those projected names.
import { quoteIdent } from '../../data/sql-text.js';

export interface EventColumn {
  readonly name: string;
  readonly sqlType: string;
  /** SQL for a field the table holds under another name (Security 4688's NewProcessName for Image); default: the column. */
  readonly expression?: string;
}

/**
 * Security event 4688 (process creation, with command line auditing) names the fields of Sysmon event 1 differently,
 * and the process_creation rules are written with Sysmon's names: as in pySigma's Windows audit mapping, `Image` and
 * `ParentImage` read the 4688 names where the Sysmon ones are empty or absent.
 */
const FIELD_ALIASES: readonly (readonly [field: string, alias: string])[] = [
  ['Image', 'NewProcessName'],
  ['ParentImage', 'ParentProcessName'],
];

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
    for (const [field, aliasName] of FIELD_ALIASES) {
      const alias = this.#byName.get(aliasName.toLowerCase());
      if (alias === undefined || alias.sqlType !== 'VARCHAR') continue;
      const own = this.#byName.get(field.toLowerCase());
      if (own !== undefined && own.sqlType !== 'VARCHAR') continue;
      const expression = own === undefined ? quoteIdent(alias.name) : `coalesce(${quoteIdent(own.name)}, ${quoteIdent(alias.name)})`;
      const merged: EventColumn = { name: field, sqlType: 'VARCHAR', expression };
      this.#byName.set(field.toLowerCase(), merged);
      this.#bySquashedName.set(squash(field), merged);
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
    return this.#project(`r_${column.name}`, sourceOf(column));
  }

  /** The column as text. */
  text(column: EventColumn): string {
    return this.#project(`t_${column.name}`, textOf(column));
  }

  /** The column as lower-case text: what case-insensitive matching compares. */
  lower(column: EventColumn): string {
    return this.#project(`l_${column.name}`, `lower(${textOf(column)})`);
  }

  /** The lower-case text of a column as an expression on the table itself (for filters below the projection). */
  lowerOfTable(column: EventColumn): string {
    return `lower(${textOf(column)})`;
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

function sourceOf(column: EventColumn): string {
  return column.expression ?? quoteIdent(column.name);
}

function textOf(column: EventColumn): string {
  return column.sqlType === 'VARCHAR' ? sourceOf(column) : `CAST(${sourceOf(column)} AS VARCHAR)`;
}

function squash(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}
