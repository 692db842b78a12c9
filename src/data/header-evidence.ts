// Whether a table's first row names its columns or is its first row of data, judged the same way for CSV text and for
// worksheet cells: a name is never a value (a number, a time, an IP address), and a name sits above values of a kind it
// is not. Repeated names do not make a row data: exports do write a column twice, and the readers tell them apart.
import { NEVER_A_NAME, type ValueKind } from './value-kind.js';

/** A cell as the judgement sees it: its trimmed text ('' when empty) and the kind of value it is (null: plain text). */
export interface KindedCell {
  readonly text: string;
  readonly kind: ValueKind | null;
}

/** Rows below the candidate that are compared with it: enough to see a column's kind, bounded for wide hostile files. */
export const COMPARED_ROWS = 50;

/** A name is short, starts like a word (or `@timestamp`, `#fields`, `_id`) and has no more words than a label does. */
const NAME = /^[\p{L}_@#$][^\n\r\t]{0,63}$/u;
const MAX_NAME_WORDS = 6;

/**
 * True when `first` reads as a header row above `below`. Empty cells are ignored (callers decide where a header may
 * have them). Per named column, the column below is compared with the name:
 * - below holds values of one kind (most of them IPs, numbers, times...) and the name is not of that kind: a header sign;
 * - the name is itself of that kind, or is repeated as a value below it, or has the shape of the values (`WS-01` over
 *   `WS-02`): a data sign.
 * With header signs, they must outnumber the data signs. Without (all text), the row must read as names.
 */
export function isHeaderRow(first: readonly KindedCell[], below: readonly (readonly KindedCell[])[]): boolean {
  const named = [...first.keys()].filter((j) => first[j]?.text !== '');
  if (named.length === 0) return false;
  if (named.some((j) => isNeverAName(first[j]))) return false;
  // A file that repeats its header further down (exports concatenated) compares the header with the data only.
  const data = below.filter((row) => !sameRow(row, first)).slice(0, COMPARED_ROWS);
  let headerSigns = 0;
  let dataSigns = 0;
  for (const j of named) {
    const cell = first[j] as KindedCell;
    const column = data.map((row) => row[j]).filter((c): c is KindedCell => c !== undefined && c.text !== '');
    const kind = dominantKind(column);
    if (kind !== null) {
      if (cell.kind === kind) dataSigns += 1;
      else headerSigns += 1;
    } else if (column.some((c) => c.text === cell.text) || sharesShape(cell.text, column)) {
      dataSigns += 1;
    }
  }
  if (headerSigns > 0) return headerSigns > dataSigns;
  if (dataSigns > 0) return false;
  const names = named.map((j) => first[j]?.text ?? '');
  // With nothing below to compare with (a header-only file), a row of non-values is taken as names, as before.
  if (data.length > 0 && !names.every(looksLikeName)) return false;
  // Mostly distinct: one name repeated is an export's quirk, a row of repeated words is data (`low,low,high`).
  return new Set(names.map((n) => n.toLowerCase())).size * 2 > names.length;
}

function isNeverAName(cell: KindedCell | undefined): boolean {
  return cell?.kind !== undefined && cell.kind !== null && NEVER_A_NAME.has(cell.kind);
}

function sameRow(row: readonly KindedCell[], first: readonly KindedCell[]): boolean {
  return row.length === first.length && row.every((c, j) => c.text === first[j]?.text);
}

/** The kind most of a column's cells share, when more than half of them do; null for text or a mix. */
function dominantKind(column: readonly KindedCell[]): ValueKind | null {
  const counts = new Map<ValueKind, number>();
  for (const cell of column) if (cell.kind !== null) counts.set(cell.kind, (counts.get(cell.kind) ?? 0) + 1);
  for (const [kind, count] of counts) if (count * 2 > column.length) return kind;
  return null;
}

/**
 * A cell with digits that has the shape of most values below it (`WS-01` above `WS-02`, `INC-4711` above `INC-4712`)
 * is one of them. Shapes of plain words are not compared: `user_name` above `john_doe` is a name above a value.
 */
function sharesShape(text: string, column: readonly KindedCell[]): boolean {
  if (!/\d/.test(text) || column.length === 0) return false;
  const shape = shapeOf(text);
  return column.filter((c) => shapeOf(c.text) === shape).length * 2 > column.length;
}

function shapeOf(text: string): string {
  return text.slice(0, 64).replace(/\p{L}+/gu, 'a').replace(/\d+/g, '9');
}

function looksLikeName(text: string): boolean {
  return NAME.test(text) && text.split(/\s+/).length <= MAX_NAME_WORDS;
}
