// Splits the input into datasets an analyst would analyse apart: files of one kind and shape are stacked into one
// dataset (as the importers stack them), a workbook gives one dataset per set of same-shaped worksheets (or only the
// worksheets the user names), and each dataset becomes its own branch of the plan (assemble.ts).
import { basename, extname } from 'node:path';
import type { InputSize } from '../components/component.js';
import { InputFileError } from '../model/errors/input-file-error.js';
import { UsageError } from '../model/errors/usage-error.js';
import type { ColumnProfile, FileKind, FileProfile, SheetProfile } from '../model/file-profile.js';

export interface DatasetGroup {
  /** '' for the only group (node ids and file names as in a plan without branches); else unique in the plan. */
  readonly slug: string;
  /** The kind its files are read as (JSON and JSON Lines share one importer and one group). */
  readonly kind: FileKind;
  readonly files: readonly FileProfile[];
  /** Workbooks: the worksheets this dataset is made of, by name; null leaves the choice to the import (the only group). */
  readonly sheets: readonly string[] | null;
  /** The sheets it is made of when the import chooses them (null `sheets`): what the import's default will load. */
  readonly sheetNames: readonly string[];
  readonly columns: readonly ColumnProfile[];
  /** For estimates: the rows, bytes and width of this dataset alone. */
  readonly size: InputSize;
}

export interface GroupOptions {
  /** --sheets: only these worksheets of the workbooks, by name (case ignored when no sheet has the exact name). */
  readonly sheets?: readonly string[] | undefined;
}

/** What a group is made of: a whole file, or one worksheet of a workbook. */
interface Part {
  readonly file: FileProfile;
  readonly sheet: SheetProfile | null;
  readonly key: string;
}

const MAX_SLUG = 24;
const SHEETS_HINT = 'name worksheets as their tabs show them, or leave --sheets out to analyse every worksheet';

/** The plan's datasets, in the order of the files (and of the sheets within a workbook). */
export function datasetGroups(files: readonly FileProfile[], options: GroupOptions = {}): DatasetGroup[] {
  const named = options.sheets !== undefined && options.sheets.length > 0 ? options.sheets : null;
  if (named !== null && !files.some((f) => f.kind === 'xlsx')) {
    throw new UsageError(`--sheets names worksheets, but none of the input files is a workbook (${files.map((f) => f.path).join(', ')})`, 'drop --sheets, or add the .xlsx workbook to --input-files');
  }
  const [only] = files;
  // The common case, on the planning hot path (a cached plan costs tens of microseconds): one file, one shape.
  if (files.length === 1 && only !== undefined && named === null && (only.sheets === undefined || only.sheets.length <= 1)) {
    const sheet = only.sheets?.[0] ?? null;
    return [{ slug: '', kind: only.kind, files, sheets: null, sheetNames: sheet === null ? [] : [sheet.name], columns: sheet?.columns ?? only.columns, size: inputSize(files) }];
  }
  const parts = mergeDriftedShapes(files.flatMap((file) => partsOf(file, named)));
  if (named !== null) checkEveryNameFound(files, named);

  const byKey = new Map<string, Part[]>();
  for (const part of parts) byKey.set(part.key, [...(byKey.get(part.key) ?? []), part]);
  // import.excel reads the same sheet names from every workbook of one step: workbooks that name them differently
  // are separate datasets even when their columns agree.
  const sets = [...byKey.values()].flatMap((group) => (group[0]?.sheet === null ? [group] : splitBySheetNames(group)));

  if (sets.length === 1 && sets[0] !== undefined) return [onlyGroup(sets[0], files, named !== null)];
  const slugs = new Set<string>();
  return sets.map((set) => branchGroup(set, slugs));
}

/** The rows, bytes and widest column count of a set of files (the whole input of a plan without branches). */
export function inputSize(files: readonly FileProfile[]): InputSize {
  return {
    rows: files.reduce((sum, f) => sum + f.estimated_rows, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    columns: Math.max(0, ...files.map((f) => f.columns.length)),
  };
}

/** A file's parts: the whole file, or its worksheets (the named ones, or those with data rows). */
function partsOf(file: FileProfile, named: readonly string[] | null): Part[] {
  if (file.kind !== 'xlsx' || file.sheets === undefined || file.sheets.length === 0) {
    return named === null || file.kind !== 'xlsx' ? [{ file, sheet: null, key: shapeKey(file) }] : [];
  }
  const sheets = file.sheets;
  let chosen: SheetProfile[];
  if (named !== null) {
    chosen = named.flatMap((name) => {
      const sheet = findSheet(sheets, name);
      return sheet === undefined ? [] : [sheet];
    });
    if (chosen.length === 0) {
      throw new InputFileError(file.path, 'not-found', `has none of the worksheets named by --sheets (${named.join(', ')}); its worksheets with data: ${sheets.map((s) => s.name).join(', ')}`, { hint: SHEETS_HINT });
    }
    chosen = [...new Set(chosen)];
  } else {
    // A sheet with nothing below its header (a cover page, a legend) is no dataset; a workbook of only such sheets
    // keeps its first, so that the import says it is empty.
    const withRows = sheets.filter((s) => s.estimated_rows > 0);
    chosen = withRows.length > 0 ? withRows : sheets.slice(0, 1);
  }
  return chosen.map((sheet) => ({ file, sheet, key: `xlsx\n${sheet.schema_fingerprint}` }));
}

function findSheet(sheets: readonly SheetProfile[], name: string): SheetProfile | undefined {
  return sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

function checkEveryNameFound(files: readonly FileProfile[], named: readonly string[]): void {
  const books = files.filter((f) => f.kind === 'xlsx');
  for (const name of named) {
    if (books.some((f) => f.sheets !== undefined && findSheet(f.sheets, name) !== undefined)) continue;
    const known = books.map((f) => `${basename(f.path)}: ${(f.sheets ?? []).map((s) => s.name).join(', ') || 'none'}`).join('; ');
    throw new InputFileError(books.map((f) => f.path).join(', '), 'not-found', `no worksheet with data named '${name}' (${known})`, { hint: SHEETS_HINT });
  }
}

/**
 * Files of one shape: Zeek logs by their log type (a newer Zeek adds a field, the log is the same), access logs all
 * together, Windows event JSON all together, other files by their column names without order or case (the importers
 * stack by name).
 */
function shapeKey(file: FileProfile): string {
  switch (file.kind) {
    case 'zeek':
      return `zeek\n${file.notes.map((n) => /^Zeek (\S+) log$/.exec(n)?.[1]).find((p) => p !== undefined) ?? 'unnamed'}`;
    case 'access-log':
      return 'access-log';
    case 'auditd':
      return 'auditd';
    case 's3-access-log':
      return 's3-access-log';
    case 'unknown':
      return `unknown\n${file.path}`;
    case 'xlsx':
      return `xlsx\n${file.schema_fingerprint}`;
    default: {
      const family = file.kind === 'jsonl' ? 'json' : file.kind;
      // Windows events of other IDs carry other EventData fields, but they are one event log, read alike by the rules.
      if (family === 'json' && file.notes.some((n) => n.startsWith('Windows event JSON'))) return 'json\nwindows-events';
      return `${family}\n${file.columns.map((c) => c.name.toLowerCase()).sort().join('\n')}`;
    }
  }
}

/**
 * Files of one kind whose columns mostly agree are one dataset, stacked by column name as the importers do: a month's
 * export that gained or lost a column is still the same log. Files that share less (an alert list and an asset list)
 * are different data, each in its own branch.
 */
const SAME_DATASET_OVERLAP = 0.8;

function mergeDriftedShapes(parts: readonly Part[]): Part[] {
  const datasets: { family: string; columns: Set<string>; key: string }[] = [];
  return parts.map((part) => {
    const family = part.key.slice(0, part.key.indexOf('\n'));
    if (part.sheet !== null || (family !== 'csv' && family !== 'json') || part.key === 'json\nwindows-events') return part;
    const columns = new Set(part.file.columns.map((c) => c.name.toLowerCase()));
    const home = datasets.find((d) => d.family === family && overlap(d.columns, columns) >= SAME_DATASET_OVERLAP);
    if (home === undefined) {
      datasets.push({ family, columns, key: part.key });
      return part;
    }
    for (const column of columns) home.columns.add(column);
    return { ...part, key: home.key };
  });
}

/** Shared columns over all columns of the two (Jaccard). */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const column of b) if (a.has(column)) shared += 1;
  const all = a.size + b.size - shared;
  return all === 0 ? 1 : shared / all;
}

function splitBySheetNames(parts: readonly Part[]): Part[][] {
  const namesByFile = new Map<FileProfile, string[]>();
  for (const part of parts) namesByFile.set(part.file, [...(namesByFile.get(part.file) ?? []), part.sheet?.name ?? '']);
  const split = new Map<string, Part[]>();
  for (const part of parts) {
    const key = (namesByFile.get(part.file) ?? []).join('\u0000');
    split.set(key, [...(split.get(key) ?? []), part]);
  }
  return [...split.values()];
}

function filesOf(parts: readonly Part[]): FileProfile[] {
  return [...new Set(parts.map((p) => p.file))];
}

function sheetNamesOf(parts: readonly Part[]): string[] {
  return [...new Set(parts.flatMap((p) => (p.sheet === null ? [] : [p.sheet.name])))];
}

/**
 * The only dataset: planned exactly as without branches. Its worksheets are left to the import's own choice (the first
 * non-empty visible worksheet and those shaped like it) unless that choice would differ: a worksheet was named, or a
 * workbook's first sheet holds no data rows (then the import would take that one).
 */
function onlyGroup(parts: readonly Part[], all: readonly FileProfile[], named: boolean): DatasetGroup {
  const files = filesOf(parts);
  const sheetNames = sheetNamesOf(parts);
  const importChooses = !named && files.every((f) => f.sheets === undefined || f.sheets[0] === undefined || sheetNames.includes(f.sheets[0].name));
  const first = parts[0];
  return {
    slug: '',
    kind: first?.file.kind ?? 'unknown',
    files,
    sheets: sheetNames.length === 0 || importChooses ? null : sheetNames,
    sheetNames,
    columns: first?.sheet?.columns ?? first?.file.columns ?? [],
    size: inputSize(all),
  };
}

function branchGroup(parts: readonly Part[], slugs: Set<string>): DatasetGroup {
  const files = filesOf(parts);
  const sheetNames = sheetNamesOf(parts);
  const first = parts[0];
  const columns = first?.sheet?.columns ?? first?.file.columns ?? [];
  const stem = slugOf(basename(first?.file.path ?? 'data', extname(first?.file.path ?? '')));
  const candidates = first?.sheet === null || first?.sheet === undefined ? [stem] : [slugOf(first.sheet.name), `${stem}_${slugOf(first.sheet.name)}`.slice(0, MAX_SLUG)];
  const slug = uniqueSlug(candidates, slugs);
  return {
    slug,
    kind: first?.file.kind ?? 'unknown',
    files,
    sheets: sheetNames.length === 0 ? null : sheetNames,
    sheetNames,
    columns,
    size: {
      rows: parts.reduce((sum, p) => sum + (p.sheet?.estimated_rows ?? p.file.estimated_rows), 0),
      bytes: Math.round(parts.reduce((sum, p) => sum + bytesOf(p), 0)),
      columns: Math.max(0, ...parts.map((p) => (p.sheet?.columns ?? p.file.columns).length)),
    },
  };
}

/** A worksheet's share of its workbook's bytes, by rows: what the steps after the import see of it. */
function bytesOf(part: Part): number {
  if (part.sheet === null) return part.file.bytes;
  const sheets = part.file.sheets ?? [];
  const rows = sheets.reduce((sum, s) => sum + s.estimated_rows, 0);
  return rows === 0 ? part.file.bytes / Math.max(sheets.length, 1) : (part.file.bytes * part.sheet.estimated_rows) / rows;
}

/** `Alert Log (Q3)` -> `alert_log_q3`: lower-case letters, digits and `_`, so node ids and file names stay plain. */
function slugOf(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, MAX_SLUG).replace(/_+$/, '');
  return slug === '' ? 'data' : slug;
}

function uniqueSlug(candidates: readonly string[], taken: Set<string>): string {
  let slug = candidates.find((c) => !taken.has(c));
  const base = candidates[0] ?? 'data';
  for (let n = 2; slug === undefined; n += 1) {
    const next = `${base.slice(0, MAX_SLUG - String(n).length - 1)}_${n}`;
    if (!taken.has(next)) slug = next;
  }
  taken.add(slug);
  return slug;
}
