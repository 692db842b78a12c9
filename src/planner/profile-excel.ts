// Recognises .xlsx workbooks by content (a zip whose first entries are an Office package's, or an OLE compound file,
// which is refused: encrypted or legacy .xls) and profiles the worksheet the import will read first: header row,
// columns, roles from sampled cells, a row estimate.
import { cellText, chooseHeader } from '../data/xlsx/header-row.js';
import type { SheetRow } from '../data/xlsx/sheet-rows.js';
import { Workbook, looksLikeWorkbookContainer } from '../data/xlsx/workbook.js';
import type { ColumnProfile, FileProfile } from '../model/file-profile.js';
import { columnProfile, finishProfile, type FileDetector, type FileHead } from './file-detector.js';

/** Rows sampled from the first sheet: the header search and 200 data rows. */
const SAMPLE_ROWS = 225;

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

async function profileWorkbook(workbook: Workbook, head: FileHead): Promise<FileProfile> {
  const visible = workbook.worksheets().filter((s) => !s.hidden);
  const notes = [`worksheets: ${visible.map((s) => s.name).join(', ') || '(none visible)'}`];
  if (workbook.hasMacros) notes.push('macros present (never run; only cell values are read)');
  for (const sheet of visible) {
    const rows: SheetRow[] = [];
    let finished = true;
    for await (const chunk of workbook.rows(sheet)) {
      rows.push(...chunk);
      if (rows.length >= SAMPLE_ROWS) {
        finished = false;
        break;
      }
    }
    if (rows.length === 0) continue;
    const header = chooseHeader(rows, null);
    const dataRows = rows.slice(header.index === null ? 0 : header.index + 1);
    const width = Math.max(header.names.size === 0 ? 0 : Math.max(...header.names.keys()) + 1, ...dataRows.map((r) => r.cells.length));
    const columns: ColumnProfile[] = [];
    for (let column = 0; column < width; column += 1) {
      const samples = dataRows.map((r) => cellText(r.cells[column] ?? null)).filter((t) => t !== '');
      const name = header.names.get(column) ?? `column${column + 1}`;
      if (header.names.has(column) || samples.length > 0) columns.push(columnProfile(name, samples));
    }
    notes.unshift(`sheet '${sheet.name}'${header.index === null ? ', no header row' : `, header on row ${rows[header.index]?.row ?? 1}`}`);
    // Beyond the sample, the rows are estimated from how much of the sheet's XML the sample took.
    const estimated = finished ? dataRows.length : Math.round((dataRows.length * workbook.sheetBytes(sheet)) / Math.max(workbook.tally.charsRead, 1));
    return finishProfile({ path: head.displayPath, kind: 'xlsx', bytes: head.bytes, encoding: 'utf-8', delimiter: null, has_header: header.index !== null, columns, estimated_rows: estimated, notes });
  }
  notes.unshift('no visible worksheet holds data');
  return finishProfile({ path: head.displayPath, kind: 'xlsx', bytes: head.bytes, encoding: 'utf-8', delimiter: null, has_header: null, columns: [], estimated_rows: 0, notes });
}
