// Finds a sheet's header row: analysts' workbooks often start with a title, a date line or a blank row before the
// table. The first row, among the first few, that spans most of the table's width is the header when its cells are all
// text that reads as names above the rows below it (header-evidence.ts), and the first data row otherwise; the rows
// above it are titles and are skipped. Repeated names are made distinct as the CSV reader makes them (`user_1`).
import { uniqueColumnNames } from '../column-names.js';
import { type KindedCell, COMPARED_ROWS, isHeaderRow } from '../header-evidence.js';
import { valueKind } from '../value-kind.js';
import type { CellValue, SheetRow } from './sheet-rows.js';

/** How many of a sheet's first non-empty rows are looked at. */
export const HEADER_SCAN_ROWS = 25;

export interface HeaderChoice {
  /** Index of the header among the rows given; null when the sheet has no header row. */
  readonly index: number | null;
  /** Distinct column names by column index, for every column the header names. */
  readonly names: ReadonlyMap<number, string>;
}

/** `headerRow`: null to detect, 0 for no header, N for the sheet row N (as Excel numbers it). */
export function chooseHeader(rows: readonly SheetRow[], headerRow: number | null): HeaderChoice {
  if (headerRow === 0) return { index: null, names: new Map() };
  const index = headerRow === null ? detectHeader(rows) : rows.findIndex((r) => r.row === headerRow);
  if (index === null || index < 0) return { index: null, names: new Map() };
  const columns: number[] = [];
  const texts: string[] = [];
  rows[index]?.cells.forEach((cell, column) => {
    const text = cellText(cell).trim();
    if (text === '') return;
    columns.push(column);
    texts.push(text);
  });
  const unique = uniqueColumnNames(texts);
  return { index, names: new Map(columns.map((column, i) => [column, unique[i] ?? ''])) };
}

function detectHeader(rows: readonly SheetRow[]): number | null {
  const scanned = rows.slice(0, HEADER_SCAN_ROWS);
  const widest = Math.max(0, ...scanned.map(filled));
  const needed = widest <= 1 ? 1 : Math.max(2, Math.ceil(widest / 2));
  const index = scanned.findIndex((row) => filled(row) >= needed);
  const row = scanned[index];
  if (row === undefined) return null;
  // The first wide row that holds numbers, dates or booleans is data: a sheet without a header.
  if (!row.cells.every((c) => c === null || (typeof c === 'string' && c.trim() !== ''))) return null;
  const below = rows.slice(index + 1, index + 2 + COMPARED_ROWS).map((r) => r.cells.map(kindOf));
  return isHeaderRow(row.cells.map(kindOf), below) ? index : null;
}

/** A typed cell's kind comes from its type; a text cell's from its text (an IP address typed into a cell is text). */
function kindOf(cell: CellValue): KindedCell {
  const text = cellText(cell).trim();
  if (typeof cell === 'number') return { text, kind: 'number' };
  if (typeof cell === 'boolean') return { text, kind: 'boolean' };
  if (cell instanceof Date) return { text, kind: 'timestamp' };
  return { text, kind: valueKind(text) };
}

function filled(row: SheetRow): number {
  return row.cells.reduce<number>((count, c) => count + (c === null ? 0 : 1), 0);
}

export function cellText(cell: CellValue): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}
