// Profiles an input file from its first bytes: kind by content (not extension), encoding, dialect, header, columns and
// their roles. Detectors are tried in order (DETECTORS below): to recognise a new kind of file, add one there.
import { isUtf8 } from 'node:buffer';
import { InputFileError } from '../model/errors/input-file-error.js';
import type { FileKind, FileProfile } from '../model/file-profile.js';
import { checkInputFile } from '../data/input-files.js';
import { csvColumnNames, uniqueColumnNames } from '../data/column-names.js';
import { MAX_COLUMNS, looksLikeHeaderRow, sniffDialect } from '../data/csv-dialect.js';
import { type ArchiveMember, archiveFormat, archiveMember, memberDisplay, readMemberHead } from '../data/archive/archive-member.js';
import { BINARY_CONTENT, HEAD_BYTES, binaryKind, firstLineExceedsHead, headOf, readRawHead } from '../data/file-head.js';
import { flattenWindowsEvent, windowsEventRoot } from '../data/windows-event-fields.js';
import { columnProfile, encodingNotes, finishProfile, type FileDetector, type FileHead } from './file-detector.js';
import { JsonTooDeepError, firstJsonObjects, flattenObject } from './json-sample.js';
import { excelDetector } from './profile-excel.js';
import { accessLogDetector, auditdDetector, s3AccessLogDetector, zeekDetector } from './profile-log.js';

const SAMPLE_ROWS = 200;
const FLATTEN_DEPTH = 4;

const binaryRefusal: FileDetector = {
  id: 'binary',
  detect(head) {
    if (head.encoding !== null) return null;
    const kind = binaryKind(head.raw);
    const hint = kind.includes('compressed') || kind.includes('archive') ? 'extract the file first: CS Helper reads gzip files and ZIP archives of one file itself, not this kind' : 'CS Helper reads text files: CSV/TSV, JSON or JSON Lines';
    // A NUL inside otherwise clean text has a line worth naming; in random bytes any "line" would be noise.
    const line = kind === BINARY_CONTENT ? lineOfNulInText(head.raw) : null;
    if (line === null) throw new InputFileError(head.displayPath, 'unsupported', `${kind} where text was expected`, { hint });
    throw new InputFileError(head.displayPath, 'unsupported', `${kind} where text was expected (a NUL byte on line ${line})`, { hint });
  },
};

/** The line of the first NUL byte when everything before it is UTF-8 text without other control bytes, else null. */
function lineOfNulInText(raw: Buffer): number | null {
  const nul = raw.indexOf(0);
  if (nul < 0) return null;
  const before = raw.subarray(0, nul);
  if (!isUtf8(before) || before.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return null;
  return before.filter((b) => b === 0x0a).length + 1;
}

/** Web pages and XML saved under a data file's name (a proxy's error page instead of the export) are named as such. */
const markupRefusal: FileDetector = {
  id: 'markup',
  detect(head) {
    const start = head.text.trimStart().slice(0, 256).toLowerCase();
    if (!start.startsWith('<')) return null;
    const kind = start.startsWith('<!doctype html') || start.startsWith('<html') ? 'an HTML page' : 'XML or HTML markup';
    throw new InputFileError(head.displayPath, 'unsupported', `${kind} where CSV or JSON was expected`, { line: 1, hint: 'the export may have failed and saved an error page: export the data again' });
  },
};

/** A name that says JSON (`.json`, `.jsonl`, `.ndjson`, also gzipped). */
const JSON_NAME = /\.(json|jsonl|ndjson)(\.gz)?$/i;

const jsonDetector: FileDetector = {
  id: 'json',
  detect(head) {
    const trimmed = head.text.trimStart();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) return profileJson(head, trimmed);
    // A .json file holding a bare number or string is JSON without records: read as CSV it became one column0 row.
    if (JSON_NAME.test(head.displayPath)) {
      throw new InputFileError(head.displayPath, 'unsupported', `a JSON file that holds no object or array (it starts with ${JSON.stringify(trimmed.slice(0, 20))})`, {
        line: 1,
        hint: 'JSON input is an array of records, one object, or one object per line (JSON Lines)',
      });
    }
    return null;
  },
};

const delimitedDetector: FileDetector = { id: 'delimited', detect: profileDelimited };

/**
 * Tried in order; the first to return a profile wins. Detectors of binary formats (workbooks) go before
 * `binaryRefusal`, detectors of text formats (Zeek TSV, access logs) before `jsonDetector`; the delimited detector
 * answers for any text and stays last.
 */
const DETECTORS: readonly FileDetector[] = [excelDetector, binaryRefusal, markupRefusal, zeekDetector, auditdDetector, s3AccessLogDetector, accessLogDetector, jsonDetector, delimitedDetector];

export async function profileFile(path: string, displayPath: string = path): Promise<FileProfile> {
  const bytes = await checkInputFile(path, displayPath);
  const fileHead: FileHead = { ...(await readRawHead(path, bytes)), path, displayPath, bytes };
  const archived = await archivedHead(fileHead);
  const head = archived?.head ?? fileHead;
  for (const detector of DETECTORS) {
    const profile = await detector.detect(head);
    if (profile === null) continue;
    if (archived === null) return profile;
    // The plan names the archive, and the importer inflates it again; sizes are the inflated ones, which the work scales with.
    return { ...profile, path: displayPath, notes: [...profile.notes, `read from inside the ${archived.member.format === 'zip' ? 'ZIP archive' : 'gzip file'}: ${archived.member.name}, ${archived.member.bytes.toLocaleString('en-US')} bytes inflated`] };
  }
  throw new InputFileError(displayPath, 'unsupported', 'not a kind of file CS Helper reads');
}

/**
 * For a ZIP archive holding one data file, or a gzip file: the head of the file inside, inflated (its first 256 KB
 * only), profiled as the file itself would be. Null for a plain file and for an Office document.
 */
async function archivedHead(head: FileHead): Promise<{ head: FileHead; member: ArchiveMember } | null> {
  const format = archiveFormat(head.raw);
  if (format === null) return null;
  const member = await archiveMember(head.path, head.displayPath, format, head.bytes);
  if (member === null) return null;
  const inner = await readMemberHead(head.path, head.displayPath, member, HEAD_BYTES);
  if (archiveFormat(inner.raw) !== null) {
    throw new InputFileError(head.displayPath, 'unsupported', `${member.name} inside it is an archive too`, { hint: 'extract the archives, and name the data files inside' });
  }
  // Rows are estimated from the inflated size: the member's, or the sample when the whole member was read.
  const bytes = inner.complete ? inner.raw.length : Math.max(member.bytes, inner.raw.length);
  return { head: { ...headOf(inner.raw, inner.complete), path: head.path, displayPath: memberDisplay(head.displayPath, member), bytes }, member };
}

function profileJson(head: FileHead, trimmed: string): FileProfile {
  const notes = encodingNotes(head);
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  const isJsonLines = trimmed.startsWith('{') && lines.length > 1 && lines.slice(0, 5).every((l) => l.trimStart().startsWith('{') && l.trimEnd().endsWith('}'));
  const kind: FileKind = isJsonLines ? 'jsonl' : 'json';
  const objects = sampleObjects(head, trimmed, SAMPLE_ROWS);
  if (objects.length === 0) {
    throw new InputFileError(head.displayPath, 'malformed', 'no complete JSON object in the first part of the file', { hint: 'CS Helper reads a JSON array of objects, JSON Lines, or JSON objects one after another' });
  }
  if (!isJsonLines && trimmed.startsWith('{') && objects.length > 1) notes.push('several JSON objects one after another');
  const windows = objects.every((o) => windowsEventRoot(o) !== null);
  if (windows) notes.push('Windows event JSON: System and EventData fields as columns');
  const samples = new Map<string, string[]>();
  for (const object of objects) {
    const root = windows ? windowsEventRoot(object) : null;
    const fields = root === null ? flattenObject(object, FLATTEN_DEPTH + 1) : flattenWindowsEvent(root);
    for (const [key, value] of fields) {
      const list = samples.get(key) ?? [];
      if (value !== null && value !== undefined) list.push(typeof value === 'string' ? value : JSON.stringify(value));
      samples.set(key, list);
    }
  }
  const columns = [...samples.entries()].map(([name, values]) => columnProfile(name, values));
  const sampledBytes = objects.reduce<number>((sum, o) => sum + JSON.stringify(o).length + 2, 0);
  // The sample stops at SAMPLE_ROWS objects: a file read to its end is counted to its end, not reported as the sample size.
  const counted = head.complete && objects.length >= SAMPLE_ROWS ? sampleObjects(head, trimmed, Number.MAX_SAFE_INTEGER).length : objects.length;
  const estimatedRows = head.complete ? counted : Math.round((head.bytes / Math.max(sampledBytes, 1)) * objects.length);
  return finishProfile({ path: head.displayPath, kind, bytes: head.bytes, encoding: head.encoding?.encoding ?? 'utf-8', delimiter: null, has_header: null, columns, estimated_rows: estimatedRows, notes });
}

/** A wrapper object holding the records in one list (CloudTrail's `{"Records": [`, Azure's `{"records": [`), as import.json unwraps it. */
const RECORD_LIST_START = /^\{\s*"(?:Records|records)"\s*:\s*\[/;

function sampleObjects(head: FileHead, trimmed: string, max: number): unknown[] {
  try {
    // The records, not the wrapper: a large file's one wrapper object never ends within the head.
    const wrapper = RECORD_LIST_START.exec(trimmed);
    return firstJsonObjects(wrapper === null ? trimmed : trimmed.slice(wrapper[0].length), max);
  } catch (error) {
    if (!(error instanceof JsonTooDeepError)) throw error;
    // Lines are counted in the trimmed text: add the blank lines trimmed from its start.
    const offset = head.text.slice(0, head.text.length - trimmed.length).split('\n').length - 1;
    throw new InputFileError(head.displayPath, 'malformed', error.message, { line: error.line + offset, hint: 'real event data is never nested this deep: the file is broken or hostile' });
  }
}

function profileDelimited(head: FileHead): FileProfile {
  const notes = encodingNotes(head);
  if (firstLineExceedsHead(head)) {
    // Only the head was read: its delimiters are a lower bound, never the line's real width.
    const fields = head.raw.filter((b) => b === 0x2c || b === 0x09 || b === 0x3b || b === 0x7c).length + 1;
    throw new InputFileError(head.displayPath, 'malformed', `the first line is longer than ${HEAD_BYTES / 1024} KB (${fields.toLocaleString('en-US')} fields or more): too long to be a table CS Helper can read`, {
      line: 1,
      hint: 'no export has a header this long: check that this is the file you meant, or split its columns',
    });
  }
  const dialect = sniffDialect(head.text, { sampleRows: SAMPLE_ROWS + 1 });
  if (dialect.commentLines > 0) notes.push(`${dialect.commentLines} comment lines starting with #`);
  if (dialect.body.trim() === '') throw new InputFileError(head.displayPath, 'empty', 'no data lines (only blank or comment lines)');
  if (dialect.spacePadded) notes.push('fields padded with a space after the delimiter');
  const rows = dialect.rows;
  const first = rows[0] ?? [];
  let names: string[];
  let dataRows: readonly (readonly string[])[];
  let hasHeader: boolean;
  if (dialect.commentHeader !== null) {
    notes.push('column names in the last comment line');
    names = uniqueColumnNames(dialect.commentHeader);
    hasHeader = true;
    // A file may repeat the commented header as its first row: then that row is the header, not data.
    const repeated = first.map((c) => c.trim()).join('\u0000') === dialect.commentHeader.join('\u0000');
    dataRows = repeated ? rows.slice(1) : rows;
  } else {
    hasHeader = looksLikeHeaderRow(first, rows.slice(1));
    // The engine's names, so the plan's columns are the imported table's (`column0`.. without a header).
    names = csvColumnNames(first, hasHeader);
    dataRows = hasHeader ? rows.slice(1) : rows;
  }
  if (names.length > MAX_COLUMNS) {
    throw new InputFileError(head.displayPath, 'malformed', `${names.length.toLocaleString('en-US')} columns, over the limit of ${MAX_COLUMNS.toLocaleString('en-US')}`, { line: 1, hint: 'no export has this many columns: check the delimiter, or split the file' });
  }
  const columns = names.map((name, i) => columnProfile(name, dataRows.map((r) => (r[i] ?? '').trim())));
  if (columns.length === 1) notes.push('one column only: the delimiter may be unusual');
  const bodyLines = dialect.body.split(/\r?\n/).filter((l) => l.trim() !== '').length;
  const dataLines = bodyLines - (rows.length - dataRows.length);
  const sampleBytes = Buffer.byteLength(dialect.body, sourceWidth(head));
  const estimatedRows = head.complete ? Math.max(dataLines, 0) : Math.round((head.bytes / Math.max(sampleBytes, 1)) * Math.max(dataLines, 1));
  notes.push(...workbookNameNotes(head.displayPath, columns.length, dataLines));
  return finishProfile({ path: head.displayPath, kind: 'csv', bytes: head.bytes, encoding: head.encoding?.encoding ?? 'utf-8', delimiter: dialect.delimiter, has_header: hasHeader, columns, estimated_rows: estimatedRows, notes });
}

/** A name that says Excel workbook; such a file is a zip archive (the xlsx detector reads those before any text detector). */
const WORKBOOK_NAME = /\.(xlsx|xlsm)$/i;

/**
 * Text under a workbook's name is read by its content, as any file is, when it is a table (a CSV export saved as
 * .xlsx); anything less is a broken or mistaken file, and saying it is no workbook beats "no data rows after the header".
 */
function workbookNameNotes(displayPath: string, columns: number, dataLines: number): string[] {
  const extension = WORKBOOK_NAME.exec(displayPath)?.[1]?.toLowerCase();
  if (extension === undefined) return [];
  if (columns < 2 || dataLines <= 0) {
    throw new InputFileError(displayPath, 'unsupported', `is not an Excel workbook (an .${extension} file is a zip archive; this one holds text)`, {
      hint: 'save it again from Excel as Excel Workbook (.xlsx); if it is a CSV export, name it .csv',
    });
  }
  return [`named .${extension} but holds delimited text: read as CSV`];
}

/** How the head's characters were stored, to scale the sample's size to the file's. */
function sourceWidth(head: FileHead): BufferEncoding {
  const encoding = head.encoding?.encoding ?? 'utf-8';
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return 'utf16le';
  return encoding === 'utf-8' ? 'utf8' : 'latin1';
}
