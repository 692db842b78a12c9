// What the engine's CSV sniffer cannot see, read from the head of a file: a '#' banner, column names in the banner's last
// line (abuse.ch dumps), and fields padded after the delimiter (`"a", "b"`). Shared by the profiler and import.csv.
import Papa from 'papaparse';
import { COMPARED_ROWS, type KindedCell, isHeaderRow } from './header-evidence.js';
import { NEVER_A_NAME, valueKind } from './value-kind.js';

export const GUESSED_DELIMITERS = [',', '\t', ';', '|'] as const;

/** Wider tables are refused: no export has this many columns, and every step's work grows with them. */
export const MAX_COLUMNS = 10_000;

export interface TextDialect {
  /** Lines at the start of the file that begin with '#'. */
  readonly commentLines: number;
  /** Column names from the last banner line, when it has as many fields as the data and reads as names. */
  readonly commentHeader: readonly string[] | null;
  /** The field separator, with the padding space when fields are padded (`, `). */
  readonly delimiter: string;
  readonly spacePadded: boolean;
  /** Up to `sampleRows` parsed rows after the banner (the header row included when there is one). */
  readonly rows: readonly (readonly string[])[];
  /** The text after the banner. */
  readonly body: string;
  /** Some lines end in CRLF and others in LF alone. */
  readonly mixedNewlines: boolean;
}

export interface SniffOptions {
  /** A delimiter the user gave; null to guess. */
  readonly delimiter?: string | null;
  readonly sampleRows?: number;
}

/** Reads the dialect from decoded text (the head of a file, cut at a full line). */
export function sniffDialect(text: string, options: SniffOptions = {}): TextDialect {
  const sampleRows = options.sampleRows ?? 200;
  const lines = text.split(/\r?\n/);
  let commentLines = 0;
  while (commentLines < lines.length && (lines[commentLines] ?? '').startsWith('#')) commentLines += 1;
  // Later '#' lines are skipped too by the engine once a comment character is set: keep the sample the same.
  const bodyLines = lines.slice(commentLines).filter((l) => commentLines === 0 || !l.startsWith('#'));
  const body = bodyLines.join('\n');
  const parse = (delimiter: string | undefined): string[][] =>
    Papa.parse<string[]>(body, { ...(delimiter === undefined ? { delimitersToGuess: [...GUESSED_DELIMITERS] } : { delimiter }), skipEmptyLines: true, preview: sampleRows }).data;
  const given = options.delimiter ?? null;
  let delimiter = given ?? (Papa.parse<string[]>(body, { delimitersToGuess: [...GUESSED_DELIMITERS], skipEmptyLines: true, preview: sampleRows }).meta.delimiter || ',');
  let rows = parse(delimiter);
  let spacePadded = false;
  if (delimiter.length === 1 && isSpacePadded(rows)) {
    const padded = parse(`${delimiter} `);
    const width = rows[0]?.length ?? 0;
    if (padded.length > 0 && padded.every((r) => r.length === width)) {
      delimiter = `${delimiter} `;
      rows = padded;
      spacePadded = true;
    }
  }
  const width = rows[0]?.length ?? 0;
  const commentHeader = commentLines > 0 ? headerFromComment(lines[commentLines - 1] ?? '', delimiter, width) : null;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const mixedNewlines = crlf > 0 && crlf < (text.match(/\n/g) ?? []).length;
  return { commentLines, commentHeader, delimiter, spacePadded, rows, body, mixedNewlines };
}

/** Names are non-empty, distinct, and no values (numbers, times, addresses): what a '#' banner line must be to name columns. */
export function looksLikeNames(cells: readonly string[]): boolean {
  const trimmed = cells.map((c) => c.trim());
  if (trimmed.length === 0 || trimmed.some((c) => c === '' || isNeverAName(c))) return false;
  return new Set(trimmed).size === trimmed.length;
}

/**
 * Whether the first parsed row is a header above `rest` (see header-evidence.ts). An empty first cell (the index
 * column pandas writes) and an empty last cell (a delimiter ending every line) leave a header a header; an empty cell
 * between names is a missing value, and makes the row data.
 */
export function looksLikeHeaderRow(first: readonly string[], rest: readonly (readonly string[])[]): boolean {
  const cells = first.map((c) => c.trim());
  // Most headerless files start with a value: said before a single cell below is classified.
  if (cells.slice(1, -1).some((c) => c === '') || cells.some(isNeverAName)) return false;
  // Only the compared rows are classified: a sample of 200 rows of 10,000 columns would be two million cells.
  return isHeaderRow(kinded(cells), rest.slice(0, COMPARED_ROWS + 1).map(kinded));
}

function kinded(row: readonly string[]): KindedCell[] {
  return row.map((cell) => {
    const text = cell.trim();
    return { text, kind: valueKind(text) };
  });
}

function isNeverAName(text: string): boolean {
  const kind = valueKind(text);
  return kind !== null && NEVER_A_NAME.has(kind);
}

/** Most fields after the first of most rows start with a space: the writer put one after each delimiter. */
function isSpacePadded(rows: readonly (readonly string[])[]): boolean {
  const sample = rows.slice(0, 50).filter((r) => r.length > 1);
  if (sample.length === 0) return false;
  let padded = 0;
  let total = 0;
  for (const row of sample) {
    for (const field of row.slice(1)) {
      total += 1;
      if (field.startsWith(' ')) padded += 1;
    }
  }
  return padded >= total * 0.9;
}

function headerFromComment(line: string, delimiter: string, width: number): readonly string[] | null {
  const text = line.replace(/^#+\s*/, '').trim();
  if (text === '' || width < 2) return null;
  // The banner's header may be padded differently from the rows (MalwareBazaar: `"a","b"` above `"1", "2"`).
  for (const candidate of new Set([delimiter, delimiter.trimEnd()])) {
    const cells = (Papa.parse<string[]>(text, { delimiter: candidate }).data[0] ?? []).map((c) => c.trim());
    if (cells.length === width && looksLikeNames(cells)) return cells;
  }
  return null;
}
