// Finds a sheet's header row: analysts' workbooks often start with a title, a date line or a blank row before the
// table. The header is the first row, among the first few, whose cells are all distinct text and that spans most of
// the table's width; the rows above it are titles and are skipped.
import type { CellValue, SheetRow } from './sheet-rows.js';

/** How many of a sheet's first non-empty rows are looked at. */
export const HEADER_SCAN_ROWS = 25;

export interface HeaderChoice {
  /** Index of the header among the rows given; null when the sheet has no header row. */
  readonly index: number | null;
  /** Column names by column index, for every column the header names. */
  readonly names: ReadonlyMap<number, string>;
}

/** `headerRow`: null to detect, 0 for no header, N for the sheet row N (as Excel numbers it). */
export function chooseHeader(rows: readonly SheetRow[], headerRow: number | null): HeaderChoice {
  if (headerRow === 0) return { index: null, names: new Map() };
  const index = headerRow === null ? detectHeader(rows) : rows.findIndex((r) => r.row === headerRow);
  if (index === null || index < 0) return { index: null, names: new Map() };
  const names = new Map<number, string>();
  rows[index]?.cells.forEach((cell, column) => {
    const text = cellText(cell).trim();
    if (text !== '') names.set(column, text);
  });
  return { index, names };
}

function detectHeader(rows: readonly SheetRow[]): number | null {
  const scanned = rows.slice(0, HEADER_SCAN_ROWS);
  const widest = Math.max(0, ...scanned.map(filled));
  const needed = widest <= 1 ? 1 : Math.max(2, Math.ceil(widest / 2));
  for (const [index, row] of scanned.entries()) {
    const values = row.cells.filter((c) => c !== null);
    if (values.length < needed) continue;
    const allText = values.every((c) => typeof c === 'string' && c.trim() !== '');
    // The first wide row that holds numbers, dates or booleans is data: a sheet without a header.
    if (!allText) return null;
    const texts = values.map((c) => cellText(c).trim());
    // Repeated names are not a header (a column of categories spread in a row is more likely data).
    if (new Set(texts).size === texts.length) return index;
  }
  return null;
}

function filled(row: SheetRow): number {
  return row.cells.reduce<number>((count, c) => count + (c === null ? 0 : 1), 0);
}

export function cellText(cell: CellValue): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}
