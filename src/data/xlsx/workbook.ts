// An .xlsx workbook opened for reading, with every bound a hostile file needs: its sheets, and each sheet's rows as a
// stream of typed cells. Encrypted workbooks, legacy .xls and binary .xlsb files are refused with a clear error.
import { open } from 'node:fs/promises';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { readSharedStrings } from './shared-strings.js';
import { SheetTally, sheetRows, type SheetRow } from './sheet-rows.js';
import { readWorkbookParts, type SheetEntry, type WorkbookParts } from './workbook-parts.js';
import { ZipParts } from './zip-parts.js';

export interface WorkbookLimits {
  /** Bytes of XML inflated from the package, all parts together. */
  readonly maxUncompressedBytes: number;
  /** Cells read, all sheets together. */
  readonly maxCells: number;
  /** Characters in the shared string table. */
  readonly maxSharedStringChars: number;
}

export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = {
  maxUncompressedBytes: 1024 ** 3,
  maxCells: 50_000_000,
  maxSharedStringChars: 200_000_000,
};

const MAX_ZIP_ENTRIES = 10_000;
const MAX_SHARED_STRINGS = 20_000_000;

export class Workbook {
  readonly tally = new SheetTally();
  readonly #zip: ZipParts;
  readonly #parts: WorkbookParts;
  readonly #display: string;
  readonly #limits: WorkbookLimits;
  readonly #cellBudget: { remaining: number };
  #sharedStrings: readonly string[] | null = null;

  private constructor(zip: ZipParts, parts: WorkbookParts, display: string, limits: WorkbookLimits) {
    this.#zip = zip;
    this.#parts = parts;
    this.#display = display;
    this.#limits = limits;
    this.#cellBudget = { remaining: limits.maxCells };
  }

  static async open(path: string, display: string, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS, signal?: AbortSignal): Promise<Workbook> {
    await refuseCompoundFile(path, display);
    const zip = await ZipParts.open(path, display, { maxUncompressedBytes: limits.maxUncompressedBytes, maxEntries: MAX_ZIP_ENTRIES });
    try {
      const parts = await readWorkbookParts(zip, display, signal);
      if (!parts.sheets.some((s) => s.kind === 'worksheet' && s.part !== null && zip.has(s.part))) {
        const kinds = [...new Set(parts.sheets.map((s) => s.kind))];
        throw new InputFileError(display, 'unsupported', `has no worksheet to read${kinds.length > 0 ? ` (only ${kinds.join(', ')} sheets)` : ''}`, {
          hint: 'CS Helper reads the cells of worksheets; macros and charts are never run or read',
        });
      }
      return new Workbook(zip, parts, display, limits);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  /** Every sheet in tab order, worksheets or not; only worksheets with a part can be read. */
  get sheets(): readonly SheetEntry[] {
    return this.#parts.sheets;
  }

  get hasMacros(): boolean {
    return this.#parts.hasMacros;
  }

  /** Worksheets that can be read, in tab order. */
  worksheets(): SheetEntry[] {
    return this.#parts.sheets.filter((s) => s.kind === 'worksheet' && s.part !== null && this.#zip.has(s.part));
  }

  /** Bytes of XML a sheet inflates to: for a row estimate from the part read so far. */
  sheetBytes(sheet: SheetEntry): number {
    return sheet.part === null ? 0 : this.#zip.size(sheet.part);
  }

  /** The sheet's non-empty rows in order, a chunk at a time. */
  async *rows(sheet: SheetEntry, signal?: AbortSignal): AsyncGenerator<SheetRow[]> {
    if (sheet.kind !== 'worksheet' || sheet.part === null) {
      throw new InputFileError(this.#display, 'unsupported', `sheet '${sheet.name}' is a ${sheet.kind}, not a worksheet of cells`);
    }
    this.#sharedStrings ??= await readSharedStrings(this.#zip, this.#parts.sharedStringsPart, this.#display, { maxStrings: MAX_SHARED_STRINGS, maxChars: this.#limits.maxSharedStringChars }, signal);
    yield* sheetRows(
      this.#zip,
      { display: this.#display, sheetName: sheet.name, part: sheet.part, sharedStrings: this.#sharedStrings, dateStyles: this.#parts.dateStyles, date1904: this.#parts.date1904 },
      this.tally,
      this.#cellBudget,
      signal,
    );
  }

  close(): void {
    this.#zip.close();
  }
}

const COMPOUND_FILE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** How much of a compound file is searched for the stream name that marks an encrypted package. */
const COMPOUND_SCAN_BYTES = 1024 * 1024;

/**
 * An OLE compound file is either a password-protected .xlsx (its package is encrypted inside an `EncryptedPackage`
 * stream) or a legacy .xls: neither can be read, and each deserves its own message.
 */
async function refuseCompoundFile(path: string, display: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(COMPOUND_SCAN_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (!head.subarray(0, 8).equals(COMPOUND_FILE_MAGIC)) return;
    if (head.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
      throw new InputFileError(display, 'unsupported', 'is an encrypted (password-protected) workbook', { hint: 'open it in Excel, remove the password (File > Info > Protect Workbook) and save it again' });
    }
    throw new InputFileError(display, 'unsupported', 'is a legacy Excel 97-2003 workbook (.xls) or another OLE compound file', { hint: 'save it as .xlsx (Excel Workbook) and try again' });
  } finally {
    await handle.close();
  }
}

/** True when the first bytes are a zip archive's or an OLE compound file's: what the profiler checks before anything else. */
export function looksLikeWorkbookContainer(head: Uint8Array): 'zip' | 'compound' | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (Buffer.from(head.subarray(0, 8)).equals(COMPOUND_FILE_MAGIC)) return 'compound';
  return null;
}
