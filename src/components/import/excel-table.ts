// Loads typed spreadsheet cells into the engine a batch at a time through the appender: a staging table of text
// columns, while the kinds of cells seen in each column are tallied; then one typed table (BIGINT, DOUBLE, BOOLEAN,
// TIMESTAMP or VARCHAR per column) is made from it. Only one batch of rows is ever held in JS.
import { InputFileError } from '../../model/errors/input-file-error.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import type { CellValue } from '../../data/xlsx/sheet-rows.js';

const BATCH_ROWS = 4096;

const Kind = { int: 1, float: 2, bool: 4, date: 8, intText: 16, text: 32 } as const;
/** Text that becomes a BIGINT without losing anything: no sign oddities, no leading zeros (zip codes, ids stay text). */
const INTEGER_TEXT = /^-?(?:0|[1-9]\d{0,17})$/;
const FIRST_MS = Date.UTC(1, 0, 1);
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

interface StagedColumn {
  readonly name: string;
  kinds: number;
}

export interface RowOrigin {
  readonly sheet: string;
  readonly file: string;
}

export class StagedTable {
  readonly #sql: SqlSession;
  readonly #table: string;
  readonly #signal: AbortSignal;
  readonly #maxCells: number;
  readonly #display: string;
  readonly #columns: StagedColumn[] = [];
  readonly #byName = new Map<string, number>();
  #pending: (string | null)[][] = [];
  #rows = 0;

  constructor(options: { sql: SqlSession; table: string; signal: AbortSignal; maxCells: number; display: string }) {
    this.#sql = options.sql;
    this.#table = options.table;
    this.#signal = options.signal;
    this.#maxCells = options.maxCells;
    this.#display = options.display;
  }

  get rows(): number {
    return this.#rows + this.#pending.length;
  }

  /** The origin columns come first in the staging table; the final table puts them last, and only when they vary. */
  async create(): Promise<void> {
    await this.#sql.run(`CREATE TABLE ${quoteIdent(this.#table)} (origin_sheet VARCHAR, origin_file VARCHAR)`, [], this.#signal);
  }

  /** The staging column of a named column, added (to the table, and as null to the rows already staged) when new. */
  async column(name: string): Promise<number> {
    const known = this.#byName.get(name);
    if (known !== undefined) return known;
    await this.flush();
    const index = this.#columns.length;
    await this.#sql.run(`ALTER TABLE ${quoteIdent(this.#table)} ADD COLUMN ${quoteIdent(`c${index}`)} VARCHAR`, [], this.#signal);
    this.#columns.push({ name, kinds: 0 });
    this.#byName.set(name, index);
    return index;
  }

  /** Stages one row: `cells` pairs a staging column with its value. */
  async push(origin: RowOrigin, cells: readonly (readonly [number, CellValue])[]): Promise<void> {
    const row: (string | null)[] = new Array<string | null>(this.#columns.length + 2).fill(null);
    row[0] = origin.sheet;
    row[1] = origin.file;
    for (const [index, value] of cells) {
      const column = this.#columns[index];
      if (column === undefined || value === null) continue;
      const [kind, text] = encode(value);
      column.kinds |= kind;
      row[index + 2] = text;
    }
    this.#pending.push(row);
    if ((this.#rows + this.#pending.length) * (this.#columns.length + 2) > this.#maxCells) {
      throw new InputFileError(this.#display, 'too-large', `more than ${this.#maxCells.toLocaleString('en-US')} cells (rows x columns) to load`, { hint: 'raise max_cells if you trust the file, or name fewer sheets' });
    }
    if (this.#pending.length >= BATCH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const width = this.#columns.length + 2;
    const rows = this.#pending;
    this.#pending = [];
    for (const row of rows) while (row.length < width) row.push(null);
    this.#rows += await this.#sql.append(this.#table, rows, this.#signal);
  }

  /**
   * Makes the typed table: each column cast to the one type all its cells share, text where they differ. The sheet and
   * file columns are added when rows came from more than one of either.
   */
  async finish(table: string, options: { sheetColumn: boolean; fileColumn: boolean }): Promise<void> {
    await this.flush();
    const used = new Set(this.#columns.map((c) => c.name));
    const select = this.#columns.map((column, index) => {
      const source = quoteIdent(`c${index}`);
      const type = sqlType(column.kinds);
      return `${type === 'VARCHAR' ? source : `CAST(${source} AS ${type})`} AS ${quoteIdent(column.name)}`;
    });
    if (options.sheetColumn) select.push(`origin_sheet AS ${quoteIdent(freeName('sheet', used))}`);
    if (options.fileColumn) select.push(`origin_file AS ${quoteIdent(freeName('source_file', used))}`);
    await this.#sql.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT ${select.join(', ')} FROM ${quoteIdent(this.#table)}`, [], this.#signal);
    await this.drop();
  }

  async drop(): Promise<void> {
    await this.#sql.run(`DROP TABLE IF EXISTS ${quoteIdent(this.#table)}`, [], this.#signal);
  }
}

function encode(value: Exclude<CellValue, null>): [number, string] {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? [Kind.int, String(value)] : [Kind.float, String(value)];
  }
  if (typeof value === 'boolean') return [Kind.bool, value ? 'true' : 'false'];
  if (value instanceof Date) {
    const ms = value.getTime();
    if (ms < FIRST_MS || ms > LAST_MS) return [Kind.text, value.toISOString()];
    return [Kind.date, value.toISOString().slice(0, 23).replace('T', ' ')];
  }
  return [INTEGER_TEXT.test(value) ? Kind.intText : Kind.text, value];
}

function sqlType(kinds: number): string {
  if (kinds === 0) return 'VARCHAR';
  if ((kinds & ~(Kind.int | Kind.intText)) === 0) return 'BIGINT';
  if ((kinds & ~(Kind.int | Kind.float)) === 0) return 'DOUBLE';
  if (kinds === Kind.bool) return 'BOOLEAN';
  if (kinds === Kind.date) return 'TIMESTAMP';
  return 'VARCHAR';
}

function freeName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let i = 1; used.has(candidate); i += 1) candidate = `${name}_${i}`;
  used.add(candidate);
  return candidate;
}
