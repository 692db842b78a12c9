// Streams a worksheet's rows as typed cells: numbers, booleans, text (shared, inline, or a formula's text), dates (a
// number in a date format, or an ISO `d` cell). Formulas are never evaluated: a formula cell is its cached value, or
// empty when the writer saved none. Error cells (#DIV/0!) are empty and counted.
import { InputFileError } from '../../model/errors/input-file-error.js';
import { serialToEpochMs } from './excel-dates.js';
import { xmlItems, type XmlHandlers } from './xml-events.js';
import type { ZipParts } from './zip-parts.js';

export type CellValue = string | number | boolean | Date | null;

export interface SheetRow {
  /** The sheet's row number, from 1, as Excel shows it. */
  readonly row: number;
  /** Cells by column index from 0 (A = 0); missing cells are null. */
  readonly cells: CellValue[];
}

export interface SheetContext {
  readonly display: string;
  readonly sheetName: string;
  readonly part: string;
  readonly sharedStrings: readonly string[];
  readonly dateStyles: ReadonlySet<number>;
  readonly date1904: boolean;
}

/** What reading a sheet counted beside its rows, for the import summary. */
export class SheetTally {
  cells = 0;
  /** Characters of sheet XML read so far: with the part's size, how far through a sheet a reader is. */
  charsRead = 0;
  errorCells = 0;
  formulasWithoutValue = 0;
}

/** Excel's own grid: 16,384 columns (XFD) and 1,048,576 rows. */
const MAX_COLUMN = 16_384;
const MAX_ROW = 1_048_576;

export async function* sheetRows(zip: ZipParts, sheet: SheetContext, tally: SheetTally, cellBudget: { remaining: number }, signal?: AbortSignal): AsyncGenerator<SheetRow[]> {
  const out: SheetRow[] = [];
  const where = `sheet '${sheet.sheetName}'`;
  const fail = (detail: string): InputFileError => new InputFileError(sheet.display, 'malformed', `${where}: ${detail}`, { hint: 'the workbook is damaged; save it again from Excel or LibreOffice' });

  let rowNumber = 0;
  let cells: CellValue[] = [];
  let column = -1;
  let type = 'n';
  let style = 0;
  let ref = '';
  let value: string[] = [];
  let hasValue = false;
  let hasFormula = false;
  let capture = false;
  let inInline = false;
  let phonetic = 0;

  const handlers: XmlHandlers = {
    open(name, attributes) {
      switch (name) {
        case 'row': {
          const r = attributes['r'];
          const next = r === undefined ? rowNumber + 1 : Number(r);
          if (!Number.isInteger(next) || next < 1 || next > MAX_ROW) throw fail(`row number '${r ?? ''}' is outside the sheet`);
          rowNumber = next;
          cells = [];
          column = -1;
          break;
        }
        case 'c': {
          ref = attributes['r'] ?? '';
          column = ref === '' ? column + 1 : columnOf(ref);
          if (column < 0 || column >= MAX_COLUMN) throw fail(`cell reference '${ref}' is outside the sheet`);
          type = attributes['t'] ?? 'n';
          style = Number(attributes['s'] ?? 0);
          value = [];
          hasValue = false;
          hasFormula = false;
          cellBudget.remaining -= 1;
          if (cellBudget.remaining < 0) throw new InputFileError(sheet.display, 'too-large', `${where}: more cells than the limit`, { hint: 'raise max_cells if you trust the file' });
          break;
        }
        case 'v':
          capture = true;
          value = [];
          break;
        case 'f':
          hasFormula = true;
          break;
        case 'is':
          inInline = true;
          value = [];
          break;
        case 'rPh':
          phonetic += 1;
          break;
        case 't':
          if (inInline && phonetic === 0) capture = true;
          break;
        default:
      }
    },
    close(name) {
      switch (name) {
        case 'v':
          capture = false;
          hasValue = true;
          break;
        case 't':
          capture = false;
          break;
        case 'is':
          inInline = false;
          hasValue = true;
          break;
        case 'rPh':
          phonetic -= 1;
          break;
        case 'c': {
          tally.cells += 1;
          const typed = cellValue(value.join(''));
          if (typed !== null) {
            while (cells.length < column) cells.push(null);
            cells[column] = typed;
          }
          break;
        }
        case 'row':
          if (cells.length > 0) out.push({ row: rowNumber, cells });
          break;
        default:
      }
    },
    text(text) {
      if (capture) value.push(text);
    },
  };

  function cellValue(text: string): CellValue {
    if (!hasValue) {
      if (hasFormula) tally.formulasWithoutValue += 1;
      return null;
    }
    switch (type) {
      case 's': {
        const index = Number(text);
        const shared = Number.isInteger(index) ? sheet.sharedStrings[index] : undefined;
        if (shared === undefined) throw fail(`cell ${ref} points at shared string ${text}, which does not exist`);
        return shared === '' ? null : shared;
      }
      case 'str':
      case 'inlineStr':
        return text === '' ? null : text;
      case 'b':
        return text.trim() === '1' || text.trim().toLowerCase() === 'true';
      case 'e':
        tally.errorCells += 1;
        return null;
      case 'd': {
        const ms = Date.parse(text);
        if (Number.isNaN(ms)) throw fail(`cell ${ref} holds '${text.slice(0, 40)}', not a date`);
        return new Date(ms);
      }
      default: {
        if (text.trim() === '') return null;
        const number = Number(text);
        if (!Number.isFinite(number)) throw fail(`cell ${ref} holds '${text.slice(0, 40)}', not a number`);
        return sheet.dateStyles.has(style) ? new Date(serialToEpochMs(number, sheet.date1904)) : number;
      }
    }
  }

  yield* xmlItems(counted(zip.text(sheet.part, signal), tally), handlers, out, { display: sheet.display, part: where });
}

async function* counted(chunks: AsyncIterable<string>, tally: SheetTally): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    tally.charsRead += chunk.length;
    yield chunk;
  }
}

/** `C7` -> 2, `AA10` -> 26; -1 when the reference is not letters then digits. */
export function columnOf(ref: string): number {
  let column = 0;
  let letters = 0;
  for (const char of ref) {
    const code = char.charCodeAt(0);
    if (code >= 65 && code <= 90) {
      if (letters === 3) return -1;
      column = column * 26 + (code - 64);
      letters += 1;
    } else if (code >= 97 && code <= 122) {
      if (letters === 3) return -1;
      column = column * 26 + (code - 96);
      letters += 1;
    } else if (code >= 48 && code <= 57 && letters > 0) {
      break;
    } else {
      return -1;
    }
  }
  return letters === 0 ? -1 : column - 1;
}
