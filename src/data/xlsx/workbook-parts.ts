// Reads the small parts of a workbook that say where things are: the main part, its sheets (names, order, visibility,
// kind), the 1904 date flag, and which cell styles are dates.
import { InputFileError } from '../../model/errors/input-file-error.js';
import { isBuiltInDateFormat, isDateFormatCode } from './excel-dates.js';
import { prefixedAttribute, xmlItems, type XmlHandlers } from './xml-events.js';
import type { ZipParts } from './zip-parts.js';

export type SheetKind = 'worksheet' | 'chartsheet' | 'macrosheet' | 'dialogsheet' | 'other';

export interface SheetEntry {
  readonly name: string;
  /** Position in the workbook's tab order, from 0. */
  readonly index: number;
  readonly kind: SheetKind;
  readonly hidden: boolean;
  /** The package part holding the sheet's cells; null when the relationship is missing. */
  readonly part: string | null;
}

export interface WorkbookParts {
  readonly sheets: readonly SheetEntry[];
  readonly date1904: boolean;
  /** Indexes of cell formats (a cell's `s`) that show dates. */
  readonly dateStyles: ReadonlySet<number>;
  readonly sharedStringsPart: string | null;
  readonly hasMacros: boolean;
}

/** The parts read for their structure only: bounded well above what Excel writes for them. */
const SMALL_PART_BYTES = 16 * 1024 * 1024;

export async function readWorkbookParts(zip: ZipParts, display: string, signal?: AbortSignal): Promise<WorkbookParts> {
  const mainPart = await findMainPart(zip, display, signal);
  if (mainPart.toLowerCase().endsWith('.bin')) {
    throw new InputFileError(display, 'unsupported', 'is a binary workbook (.xlsb), which this version does not read', { hint: 'save it as .xlsx (Excel Workbook) and try again' });
  }
  const workbook = await parseWorkbook(zip, mainPart, display, signal);
  const rels = await readRelationships(zip, relsPartOf(mainPart), display, signal);
  const sheets = workbook.sheets.map((sheet, index): SheetEntry => {
    const rel = sheet.relId === undefined ? undefined : rels.get(sheet.relId);
    return { name: sheet.name, index, kind: rel === undefined ? 'other' : sheetKind(rel.type), hidden: sheet.hidden, part: rel === undefined ? null : rel.target };
  });
  const stylesPart = [...rels.values()].find((r) => r.type.endsWith('/styles'))?.target ?? null;
  const sharedStringsPart = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target ?? null;
  const dateStyles = stylesPart !== null && zip.has(stylesPart) ? await readDateStyles(zip, stylesPart, display, signal) : new Set<number>();
  const hasMacros = zip.names().some((n) => /vbaProject\.bin$/i.test(n) || /^xl\/macrosheets\//i.test(n));
  return { sheets, date1904: workbook.date1904, dateStyles, sharedStringsPart: sharedStringsPart !== null && zip.has(sharedStringsPart) ? sharedStringsPart : null, hasMacros };
}

async function findMainPart(zip: ZipParts, display: string, signal?: AbortSignal): Promise<string> {
  if (zip.has('_rels/.rels')) {
    const rels = await readRelationships(zip, '_rels/.rels', display, signal);
    const main = [...rels.values()].find((r) => r.type.endsWith('/officeDocument'));
    if (main !== undefined && zip.has(main.target)) return main.target;
  }
  if (zip.has('xl/workbook.xml')) return 'xl/workbook.xml';
  if (zip.has('xl/workbook.bin')) return 'xl/workbook.bin';
  throw new InputFileError(display, 'unsupported', 'is a zip archive but not an Excel workbook (no xl/workbook.xml)', { hint: 'CS Helper reads .xlsx workbooks; extract other archives first' });
}

async function parseWorkbook(zip: ZipParts, part: string, display: string, signal?: AbortSignal): Promise<{ sheets: { name: string; relId: string | undefined; hidden: boolean }[]; date1904: boolean }> {
  const sheets: { name: string; relId: string | undefined; hidden: boolean }[] = [];
  let date1904 = false;
  const handlers: XmlHandlers = {
    open(name, attributes) {
      if (name === 'sheet') {
        const state = attributes['state'];
        sheets.push({ name: attributes['name'] ?? `Sheet${sheets.length + 1}`, relId: prefixedAttribute(attributes, 'id'), hidden: state === 'hidden' || state === 'veryHidden' });
      } else if (name === 'workbookPr') {
        const flag = attributes['date1904'];
        date1904 = flag === '1' || flag === 'true';
      }
    },
    close() {},
    text() {},
  };
  await drain(xmlItems(smallPart(zip, part, display, signal), handlers, [], { display, part }));
  return { sheets, date1904 };
}

interface Relationship {
  readonly target: string;
  readonly type: string;
}

async function readRelationships(zip: ZipParts, part: string, display: string, signal?: AbortSignal): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  if (!zip.has(part)) return rels;
  const base = part.slice(0, part.lastIndexOf('_rels/'));
  const handlers: XmlHandlers = {
    open(name, attributes) {
      const id = attributes['Id'];
      const target = attributes['Target'];
      if (name !== 'Relationship' || id === undefined || target === undefined || attributes['TargetMode'] === 'External') return;
      rels.set(id, { target: resolveTarget(base, target), type: attributes['Type'] ?? '' });
    },
    close() {},
    text() {},
  };
  await drain(xmlItems(smallPart(zip, part, display, signal), handlers, [], { display, part }));
  return rels;
}

/** The cellXfs formats that show dates: a built-in date id, or a custom numFmt whose code has date tokens. */
async function readDateStyles(zip: ZipParts, part: string, display: string, signal?: AbortSignal): Promise<Set<number>> {
  const customDates = new Set<number>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  const handlers: XmlHandlers = {
    open(name, attributes) {
      if (name === 'numFmt') {
        const id = Number(attributes['numFmtId']);
        if (Number.isInteger(id) && isDateFormatCode(attributes['formatCode'] ?? '')) customDates.add(id);
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        xfFormats.push(Number(attributes['numFmtId'] ?? 0));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  };
  await drain(xmlItems(smallPart(zip, part, display, signal), handlers, [], { display, part }));
  const dates = new Set<number>();
  xfFormats.forEach((format, index) => {
    if (customDates.has(format) || (!Number.isNaN(format) && isBuiltInDateFormat(format))) dates.add(index);
  });
  return dates;
}

function sheetKind(type: string): SheetKind {
  const kind = type.slice(type.lastIndexOf('/') + 1);
  return kind === 'worksheet' || kind === 'chartsheet' || kind === 'macrosheet' || kind === 'dialogsheet' ? kind : 'other';
}

/** `_rels/.rels` -> `` ; `xl/_rels/workbook.xml.rels` -> `xl/_rels/workbook.xml.rels` for `xl/workbook.xml`. */
function relsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against its source folder: `worksheets/sheet1.xml`, `/xl/worksheets/sheet1.xml`, `../x.xml`. */
function resolveTarget(base: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : `${base}${target}`;
  const parts: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/** A part read for its structure only: refused when it is larger than any spreadsheet program writes. */
function smallPart(zip: ZipParts, part: string, display: string, signal?: AbortSignal): AsyncGenerator<string> {
  if (zip.size(part) > SMALL_PART_BYTES) throw new InputFileError(display, 'too-large', `the part ${part} is over ${SMALL_PART_BYTES} bytes`);
  return zip.text(part, signal);
}

async function drain(items: AsyncGenerator): Promise<void> {
  for await (const _ of items) {
    // The handlers collect what they need; nothing is yielded for these parts.
  }
}
