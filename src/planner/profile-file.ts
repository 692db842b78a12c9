// Profiles an input file from its first bytes: kind by content (not extension), encoding, dialect, header, columns and their roles.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import Papa from 'papaparse';
import { InputFileError } from '../model/errors/input-file-error.js';
import type { ColumnProfile, FileKind, FileProfile } from '../model/file-profile.js';
import { inferColumnRole } from '../data/column-roles.js';
import { checkInputFile } from '../data/input-files.js';
import { INTEGER, ISO_TIMESTAMP, NUMBER } from '../data/value-patterns.js';
import { firstJsonObjects, flattenObject } from './json-sample.js';

const HEAD_BYTES = 256 * 1024;
const SAMPLE_ROWS = 200;
const FLATTEN_DEPTH = 4;

interface Head {
  text: string;
  complete: boolean;
  encoding: 'utf-8' | 'utf-16' | 'latin-1';
}

export async function profileFile(path: string, displayPath: string = path): Promise<FileProfile> {
  const bytes = await checkInputFile(path, displayPath);
  const head = await readHead(path, displayPath, bytes);
  const trimmed = head.text.trimStart();
  const notes: string[] = [];
  if (head.encoding !== 'utf-8') notes.push(`encoding ${head.encoding}`);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return profileJson(displayPath, bytes, head, notes);
  return profileDelimited(displayPath, bytes, head, notes);
}

async function readHead(path: string, displayPath: string, size: number): Promise<Head> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const raw = buffer.subarray(0, bytesRead);
    const complete = bytesRead >= size;
    if (raw[0] === 0xff && raw[1] === 0xfe) return { text: raw.subarray(2).toString('utf16le'), complete, encoding: 'utf-16' };
    if (raw[0] === 0xfe && raw[1] === 0xff) {
      throw new InputFileError(displayPath, 'unsupported', 'UTF-16 big-endian text is not read by this version', { hint: 'convert the file to UTF-8 (e.g. iconv -f UTF-16BE -t UTF-8)' });
    }
    const body = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
    const zeros = body.subarray(0, 4096).filter((b) => b === 0).length;
    if (zeros > 0) {
      throw new InputFileError(displayPath, 'unsupported', 'binary content (NUL bytes) where text was expected', { hint: 'CS Helper reads text files: CSV/TSV, JSON or JSON Lines' });
    }
    try {
      // A multi-byte character cut at the end of the head is not an encoding error: decode up to the last full line.
      const cut = complete ? body : body.subarray(0, Math.max(body.lastIndexOf(0x0a) + 1, 1));
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(cut), complete, encoding: 'utf-8' };
    } catch {
      return { text: body.toString('latin1'), complete, encoding: 'latin-1' };
    }
  } finally {
    await handle.close();
  }
}

function profileJson(displayPath: string, bytes: number, head: Head, notes: string[]): FileProfile {
  const trimmed = head.text.trimStart();
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  const isJsonLines = trimmed.startsWith('{') && lines.length > 1 && lines.slice(0, 5).every((l) => l.trimStart().startsWith('{') && l.trimEnd().endsWith('}'));
  const kind: FileKind = isJsonLines ? 'jsonl' : 'json';
  const objects = firstJsonObjects(trimmed, SAMPLE_ROWS);
  if (objects.length === 0) {
    throw new InputFileError(displayPath, 'malformed', 'no complete JSON object in the first part of the file', { hint: 'CS Helper reads a JSON array of objects or JSON Lines' });
  }
  const samples = new Map<string, string[]>();
  for (const object of objects) {
    for (const [key, value] of flattenObject(object, FLATTEN_DEPTH + 1)) {
      const list = samples.get(key) ?? [];
      if (value !== null && value !== undefined) list.push(typeof value === 'string' ? value : JSON.stringify(value));
      samples.set(key, list);
    }
  }
  const columns = [...samples.entries()].map(([name, values]) => columnProfile(name, values));
  const sampledBytes = objects.reduce<number>((sum, o) => sum + JSON.stringify(o).length + 2, 0);
  // The sample stops at SAMPLE_ROWS objects: a file read to its end is counted to its end, not reported as the sample size.
  const counted = head.complete && objects.length >= SAMPLE_ROWS ? firstJsonObjects(trimmed, Number.MAX_SAFE_INTEGER).length : objects.length;
  const estimatedRows = head.complete ? counted : Math.round((bytes / Math.max(sampledBytes, 1)) * objects.length);
  return finish({ path: displayPath, kind, bytes, encoding: head.encoding, delimiter: null, has_header: null, columns, estimated_rows: estimatedRows, notes });
}

function profileDelimited(displayPath: string, bytes: number, head: Head, notes: string[]): FileProfile {
  // Drop a partial last line; keep comment lines out of the sniffing (abuse.ch dumps start with '#' banners).
  const text = head.complete ? head.text : head.text.slice(0, head.text.lastIndexOf('\n') + 1);
  const allLines = text.split(/\r?\n/);
  const commentLines = allLines.filter((l) => l.startsWith('#')).length;
  if (commentLines > 0) notes.push(`${commentLines} comment lines starting with #`);
  const body = allLines.filter((l) => !l.startsWith('#')).join('\n');
  if (body.trim() === '') throw new InputFileError(displayPath, 'empty', 'no data lines (only blank or comment lines)');
  const parsed = Papa.parse<string[]>(body, { delimitersToGuess: [',', '\t', ';', '|'], skipEmptyLines: true, preview: SAMPLE_ROWS + 1 });
  const delimiter = parsed.meta.delimiter;
  const rows = parsed.data;
  const first = rows[0] ?? [];
  const hasHeader = looksLikeHeader(first, rows.slice(1));
  const names = hasHeader ? uniqueNames(first) : first.map((_, i) => `column${i + 1}`);
  const dataRows = hasHeader ? rows.slice(1) : rows;
  const columns = names.map((name, i) => columnProfile(name, dataRows.map((r) => r[i] ?? '')));
  if (columns.length === 1) notes.push('one column only: the delimiter may be unusual');
  const dataLines = body.split(/\r?\n/).filter((l) => l.trim() !== '').length - (hasHeader ? 1 : 0);
  const sampleBytes = Buffer.byteLength(body, head.encoding === 'utf-16' ? 'utf16le' : 'utf8');
  const estimatedRows = head.complete ? Math.max(dataLines, 0) : Math.round((bytes / Math.max(sampleBytes, 1)) * Math.max(dataLines, 1));
  const kind: FileKind = 'csv';
  return finish({ path: displayPath, kind, bytes, encoding: head.encoding, delimiter, has_header: hasHeader, columns, estimated_rows: estimatedRows, notes });
}

/** A header row is all non-empty, distinct, non-numeric names, while data rows hold at least one number or timestamp. */
function looksLikeHeader(first: readonly string[], rest: readonly (readonly string[])[]): boolean {
  if (first.length === 0) return false;
  const cells = first.map((c) => c.trim());
  if (cells.some((c) => c === '' || NUMBER.test(c) || ISO_TIMESTAMP.test(c))) return false;
  if (new Set(cells).size !== cells.length) return false;
  if (rest.length === 0) return true;
  const typed = (row: readonly string[]): boolean => row.some((c) => NUMBER.test(c.trim()) || ISO_TIMESTAMP.test(c.trim()));
  return rest.some(typed) || cells.every((c) => /^[A-Za-z_][\w .-]*$/.test(c));
}

function uniqueNames(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    const name = raw.trim() === '' ? `column${i + 1}` : raw.trim();
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count}`;
  });
}

function columnProfile(name: string, values: readonly string[]): ColumnProfile {
  const guess = inferColumnRole({ name, sqlType: null, samples: values });
  return { name, role: guess.role, role_confidence: guess.confidence, inferred_type: inferType(values) };
}

function inferType(values: readonly string[]): ColumnProfile['inferred_type'] {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  if (present.length === 0) return 'string';
  if (present.every((v) => v.startsWith('{') || v.startsWith('['))) return 'nested';
  if (present.every((v) => INTEGER.test(v))) return 'integer';
  if (present.every((v) => NUMBER.test(v))) return 'number';
  if (present.every((v) => /^(true|false)$/i.test(v))) return 'boolean';
  if (present.every((v) => ISO_TIMESTAMP.test(v))) return 'timestamp';
  return 'string';
}

function finish(profile: Omit<FileProfile, 'schema_fingerprint'>): FileProfile {
  // Column names only: roles and types are guessed from samples and may differ between two files of one shape.
  const shape = profile.columns.map((c) => c.name).join('\n');
  return { ...profile, schema_fingerprint: createHash('sha256').update(`${profile.kind}\n${shape}`).digest('hex').slice(0, 16) };
}
