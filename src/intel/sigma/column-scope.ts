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

/**
 * The W3C extended log names that the webserver and proxy rules use (as IIS writes them, and as pySigma's web mappings
 * name them), for the columns import.log gives an Apache/Nginx access log. Applied only to a table with the access
 * log's own columns, so a `path` column of another table never reads as a URI. The query is the text after `?`, as
 * W3C logs write it.
 */
/** The columns import.log gives an access log. */
export const ACCESS_LOG_COLUMNS: readonly string[] = ['client_ip', 'method', 'path', 'status'];
const WEB_FIELDS: readonly { readonly field: string; readonly column: string; readonly expression?: (column: string) => string }[] = [
  { field: 'cs-method', column: 'method' },
  { field: 'cs-uri', column: 'path' },
  { field: 'cs-uri-stem', column: 'path', expression: (c) => `split_part(${c}, '?', 1)` },
  { field: 'cs-uri-query', column: 'path', expression: (c) => `CASE WHEN contains(${c}, '?') THEN substr(${c}, strpos(${c}, '?') + 1) END` },
  { field: 'sc-status', column: 'status' },
  { field: 'cs-user-agent', column: 'user_agent' },
  { field: 'c-useragent', column: 'user_agent' },
  { field: 'c-ip', column: 'client_ip' },
  { field: 'cs-referrer', column: 'referrer' },
  { field: 'cs-referer', column: 'referrer' },
  { field: 'cs-username', column: 'user' },
  { field: 'cs-version', column: 'protocol' },
  { field: 'sc-bytes', column: 'bytes' },
];

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

export class ColumnScope {
  readonly #byName = new Map<string, EventColumn>();
  /** Names without spaces: Windows renders some EventData names with spaces ("Source Name"), rules write SourceName. */
  readonly #bySquashedName = new Map<string, EventColumn>();
  readonly #projections = new Map<string, string>();
  /** Names that read another column (the web fields): keyword search skips them, it reads that column already. */
  readonly #aliases = new Set<EventColumn>();

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
    this.#addWebFields();
  }

  #addWebFields(): void {
    if (!ACCESS_LOG_COLUMNS.every((name) => this.#byName.has(name))) return;
    for (const { field, column, expression } of WEB_FIELDS) {
      const source = this.#byName.get(column);
      if (source === undefined || this.#byName.has(field)) continue;
      const quoted = quoteIdent(source.name);
      const alias: EventColumn = expression === undefined ? { name: field, sqlType: source.sqlType, expression: quoted } : { name: field, sqlType: 'VARCHAR', expression: expression(source.sqlType === 'VARCHAR' ? quoted : `CAST(${quoted} AS VARCHAR)`) };
      this.#byName.set(field, alias);
      this.#bySquashedName.set(squash(field), alias);
      this.#aliases.add(alias);
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
    return [...this.#byName.values()].filter((c) => c.sqlType === 'VARCHAR' && !this.#aliases.has(c));
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
