// Reads one worksheet into the staging table: finds its header among the first rows (or takes the one named), names
// the columns, and streams the data rows below it a chunk at a time.
import { InputFileError } from '../../model/errors/input-file-error.js';
import { HEADER_SCAN_ROWS, chooseHeader } from '../../data/xlsx/header-row.js';
import type { CellValue, SheetRow } from '../../data/xlsx/sheet-rows.js';
import type { Workbook } from '../../data/xlsx/workbook.js';
import type { SheetEntry } from '../../data/xlsx/workbook-parts.js';
import type { StagedTable } from './excel-table.js';

export interface SheetLoad {
  readonly status: 'loaded' | 'empty' | 'other-header';
  readonly rows: number;
  /** The sheet row (from 1) that named the columns; null when the sheet has no header row. */
  readonly headerRow: number | null;
  /** Non-empty rows above the header: titles, dates, notes. */
  readonly titleRows: number;
  readonly columns: readonly string[];
}

export interface SheetLoadOptions {
  readonly display: string;
  /** null to detect the header, 0 for none, N for sheet row N. */
  readonly headerRow: number | null;
  /** Decides from the sheet's column names whether to load it (stacking only sheets of one shape). */
  readonly accept: (columns: readonly string[]) => boolean;
  readonly signal: AbortSignal;
}

export async function loadSheet(workbook: Workbook, sheet: SheetEntry, staged: StagedTable, options: SheetLoadOptions): Promise<SheetLoad> {
  const chunks = workbook.rows(sheet, options.signal);
  const wanted = options.headerRow;
  const head: SheetRow[] = [];
  // Enough rows to find the header: the first non-empty rows, or everything down to the row the user named.
  for (;;) {
    const enough = wanted === null || wanted === 0 ? head.length >= HEADER_SCAN_ROWS : (head.at(-1)?.row ?? 0) >= wanted;
    if (enough) break;
    const next = await chunks.next();
    if (next.done === true) break;
    head.push(...(wanted !== null && wanted > 0 ? next.value.filter((r) => r.row >= wanted) : next.value));
  }
  if (head.length === 0) {
    await chunks.return(undefined);
    return { status: 'empty', rows: 0, headerRow: null, titleRows: 0, columns: [] };
  }
  const header = chooseHeader(head, wanted);
  if (wanted !== null && wanted > 0 && header.index === null) {
    await chunks.return(undefined);
    throw new InputFileError(options.display, 'malformed', `sheet '${sheet.name}': row ${wanted}, named as the header row, is empty`, { hint: 'give the number of the row that holds the column names, as Excel shows it' });
  }
  // chooseHeader (data/xlsx/header-row.ts) has made the names distinct, as the profile and the CSV import name them.
  const names = header.names;
  const columns = [...names.values()];
  if (!options.accept(columns)) {
    await chunks.return(undefined);
    return { status: 'other-header', rows: 0, headerRow: header.index === null ? null : (head[header.index]?.row ?? null), titleRows: 0, columns };
  }

  const target = new Map<number, number>();
  for (const [column, name] of names) target.set(column, await staged.column(name));
  const origin = { sheet: sheet.name, file: options.display };
  let rows = 0;
  const load = async (row: SheetRow): Promise<void> => {
    const cells: [number, CellValue][] = [];
    for (let column = 0; column < row.cells.length; column += 1) {
      const value = row.cells[column];
      if (value === null || value === undefined) continue;
      let index = target.get(column);
      if (index === undefined) {
        // A value right of the named columns: a column without a name, called as Excel would place it.
        index = await staged.column(`column${column + 1}`);
        target.set(column, index);
      }
      cells.push([index, value]);
    }
    await staged.push(origin, cells);
    rows += 1;
  };
  const first = header.index === null ? 0 : header.index + 1;
  for (const row of head.slice(first)) await load(row);
  for await (const chunk of chunks) {
    for (const row of chunk) await load(row);
  }
  return {
    status: 'loaded',
    rows,
    headerRow: header.index === null ? null : (head[header.index]?.row ?? null),
    titleRows: header.index ?? 0,
    columns,
  };
}
