// Recognises .xlsx workbooks by content (a zip whose first entries are an Office package's, or an OLE compound file,
// which is refused: encrypted or legacy .xls) and profiles each visible worksheet that holds a row: header row,
// columns, roles from sampled cells, a row estimate and a shape fingerprint. The file's own columns are its first such
// sheet's (what the import reads by default); the sheets let the planner make one dataset per shape (dataset-groups.ts).
import { cellText, chooseHeader } from '../data/xlsx/header-row.js';
import type { SheetRow } from '../data/xlsx/sheet-rows.js';
import { Workbook, looksLikeWorkbookContainer } from '../data/xlsx/workbook.js';
import type { SheetEntry } from '../data/xlsx/workbook-parts.js';
import type { ColumnProfile, FileProfile, SheetProfile } from '../model/file-profile.js';
import { columnProfile, finishProfile, schemaFingerprint, type FileDetector, type FileHead } from './file-detector.js';

/** Rows sampled from each sheet: the header search and 200 data rows. */
const SAMPLE_ROWS = 225;

/** Worksheets profiled at most: a workbook with more is unusual, and each costs a sample read (a hostile file may hold thousands). */
const MAX_PROFILED_SHEETS = 64;

/** Part names an Office package writes near its start; one of them in the head tells an .xlsx from any other zip. */
const PACKAGE_MARKERS = ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/'].map((m) => Buffer.from(m, 'utf8'));

export const excelDetector: FileDetector = {
  id: 'xlsx',
  async detect(head) {
    const container = looksLikeWorkbookContainer(head.raw);
    if (container === null) return null;
    if (container === 'zip' && !PACKAGE_MARKERS.some((m) => head.raw.includes(m))) return null;
    // A compound file is refused here, with the reason (encrypted, or .xls), by the same check the import makes.
    const workbook = await Workbook.open(head.path, head.displayPath);
    try {
      return await profileWorkbook(workbook, head);
    } finally {
      workbook.close();
    }
  },
};

/** A sheet's profile and the note the file profile carries for it. */
interface ProfiledSheet {
  readonly profile: SheetProfile;
  readonly note: string;
}

async function profileWorkbook(workbook: Workbook, head: FileHead): Promise<FileProfile> {
  const visible = workbook.worksheets().filter((s) => !s.hidden);
  const notes = [`worksheets: ${visible.map((s) => s.name).join(', ') || '(none visible)'}`];
  if (workbook.hasMacros) notes.push('macros present (never run; only cell values are read)');
  if (visible.length > MAX_PROFILED_SHEETS) notes.push(`only the first ${MAX_PROFILED_SHEETS} of ${visible.length} visible worksheets profiled`);
  const sheets: ProfiledSheet[] = [];
  for (const sheet of visible.slice(0, MAX_PROFILED_SHEETS)) {
    const profiled = await profileSheet(workbook, sheet);
    if (profiled !== null) sheets.push(profiled);
  }
  const [first] = sheets;
  if (first === undefined) {
    notes.unshift('no visible worksheet holds data');
    return finishProfile({ path: head.displayPath, kind: 'xlsx', bytes: head.bytes, encoding: 'utf-8', delimiter: null, has_header: null, columns: [], estimated_rows: 0, notes });
  }
  notes.unshift(first.note);
  const { columns, estimated_rows: estimatedRows, has_header: hasHeader } = first.profile;
  return finishProfile({ path: head.displayPath, kind: 'xlsx', bytes: head.bytes, encoding: 'utf-8', delimiter: null, has_header: hasHeader, columns, estimated_rows: estimatedRows, notes, sheets: sheets.map((s) => s.profile) });
}

/** Samples one sheet; null when it holds no row at all. */
async function profileSheet(workbook: Workbook, sheet: SheetEntry): Promise<ProfiledSheet | null> {
  const rows: SheetRow[] = [];
  const charsBefore = workbook.tally.charsRead;
  let finished = true;
  for await (const chunk of workbook.rows(sheet)) {
    rows.push(...chunk);
    if (rows.length >= SAMPLE_ROWS) {
      finished = false;
      break;
    }
  }
  if (rows.length === 0) return null;
  const header = chooseHeader(rows, null);
  const dataRows = rows.slice(header.index === null ? 0 : header.index + 1);
  const width = Math.max(header.names.size === 0 ? 0 : Math.max(...header.names.keys()) + 1, ...dataRows.map((r) => r.cells.length));
  const columns: ColumnProfile[] = [];
  for (let column = 0; column < width; column += 1) {
    const samples = dataRows.map((r) => cellText(r.cells[column] ?? null)).filter((t) => t !== '');
    const name = header.names.get(column) ?? `column${column + 1}`;
    if (header.names.has(column) || samples.length > 0) columns.push(columnProfile(name, samples));
  }
  // Beyond the sample, the rows are estimated from how much of the sheet's XML the sample took.
  const charsRead = workbook.tally.charsRead - charsBefore;
  const estimated = finished ? dataRows.length : Math.round((dataRows.length * workbook.sheetBytes(sheet)) / Math.max(charsRead, 1));
  const hasHeader = header.index !== null;
  return {
    profile: { name: sheet.name, has_header: hasHeader, columns, estimated_rows: estimated, schema_fingerprint: schemaFingerprint('xlsx', columns) },
    note: `sheet '${sheet.name}'${hasHeader ? `, header on row ${rows[header.index]?.row ?? 1}` : ', no header row'}`,
  };
}
