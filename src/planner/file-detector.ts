// The extension point of file profiling: detectors look at the head of a file in order; the first that recognises
// the file profiles it. New input kinds (workbooks, Zeek logs, access logs) add a detector; see profile-file.ts.
import { createHash } from 'node:crypto';
import type { RawHead } from '../data/file-head.js';
import { inferColumnRole } from '../data/column-roles.js';
import { INTEGER, ISO_TIMESTAMP, NUMBER } from '../data/value-patterns.js';
import type { ColumnProfile, FileProfile } from '../model/file-profile.js';

/** What a detector sees: the file's name and size, its first bytes, and their decoded text when they are text. */
export interface FileHead extends RawHead {
  /** Absolute path, for a detector that must read more than the head (a workbook's parts). */
  readonly path: string;
  /** The path as the user gave it: what profiles and error messages show. */
  readonly displayPath: string;
  /** Size of the whole file. */
  readonly bytes: number;
}

export interface FileDetector {
  /** A short name, for debugging and tests. */
  readonly id: string;
  /** A profile when the file is of this detector's kind; null to let the next detector look; an InputFileError to refuse it. */
  detect(head: FileHead): FileProfile | null | Promise<FileProfile | null>;
}

/** Profiles one column from sampled values: role from the name and values, type from the values. */
export function columnProfile(name: string, values: readonly string[]): ColumnProfile {
  const guess = inferColumnRole({ name, sqlType: null, samples: values });
  return { name, role: guess.role, role_confidence: guess.confidence, inferred_type: inferType(values) };
}

/** Adds the schema fingerprint: kind and column names only, since roles and types are guessed from samples and may differ between two files of one shape. */
export function finishProfile(profile: Omit<FileProfile, 'schema_fingerprint'>): FileProfile {
  return { ...profile, schema_fingerprint: schemaFingerprint(profile.kind, profile.columns) };
}

/** The shape of a file or a worksheet: its kind and its column names in order. */
export function schemaFingerprint(kind: FileProfile['kind'], columns: readonly ColumnProfile[]): string {
  const shape = columns.map((c) => c.name).join('\n');
  return createHash('sha256').update(`${kind}\n${shape}`).digest('hex').slice(0, 16);
}

/** Encoding notes every text detector adds, so the planner and the user see a file that is not plain UTF-8. */
export function encodingNotes(head: FileHead): string[] {
  const encoding = head.encoding;
  if (encoding === null) return [];
  const notes: string[] = [];
  if (encoding.encoding !== 'utf-8') notes.push(`encoding ${encoding.encoding}`);
  if (encoding.bomBytes > 0 && encoding.encoding === 'utf-8') notes.push('UTF-8 byte order mark');
  return notes;
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
