// The dialect each file of an import.csv step is read with: the step's delimiter, header, encoding and comment, or the
// file's own entry in `file_dialects` when the files of one step differ (the planner writes one per file then: a
// comma file stacked with a semicolon one, a UTF-8 file with a UTF-16 one).
import { z } from 'zod';
import { TEXT_ENCODINGS, type TextEncoding } from '../../data/encoding.js';

export const csvEncodingSchema = z.enum(['auto', 'utf-16', ...TEXT_ENCODINGS]);
export type CsvEncoding = z.infer<typeof csvEncodingSchema>;

/** One file's settings; a setting left out is the step's own. */
export const fileDialectSchema = z.strictObject({
  delimiter: z.string().min(1).max(4).nullable().optional(),
  header: z.boolean().nullable().optional(),
  encoding: csvEncodingSchema.optional(),
  comment: z.string().max(1).nullable().optional(),
});
export type FileDialectEntry = z.infer<typeof fileDialectSchema>;

/** What a file is read with: null (and 'auto') leave the choice to the sniffer and the encoding detection. */
export interface FileDialect {
  readonly delimiter: string | null;
  readonly header: boolean | null;
  readonly encoding: TextEncoding | 'auto';
  readonly comment: string | null;
}

interface DialectParams {
  readonly delimiter: string | null;
  readonly header: boolean | null;
  readonly encoding: CsvEncoding;
  readonly comment: string | null;
  readonly file_dialects: Readonly<Record<string, FileDialectEntry>> | null;
}

/** The settings for the file named `path` in the step's `paths`. */
export function dialectOf(params: DialectParams, path: string): FileDialect {
  const entries = params.file_dialects;
  // Own keys only: a file named 'constructor' must not find Object's.
  const own = entries !== null && Object.hasOwn(entries, path) ? entries[path] : undefined;
  const encoding = own?.encoding ?? params.encoding;
  return {
    delimiter: own?.delimiter === undefined ? params.delimiter : own.delimiter,
    header: own?.header === undefined ? params.header : own.header,
    // 'utf-16' without an endianness means little-endian: what Windows tools write.
    encoding: encoding === 'utf-16' ? 'utf-16le' : encoding,
    comment: own?.comment === undefined ? params.comment : own.comment,
  };
}

/** Entries of `file_dialects` that name no file of `paths`: a plan edited by hand whose paths changed. */
export function unmatchedDialects(params: Pick<DialectParams, 'file_dialects'> & { readonly paths: readonly string[] }): string[] {
  const paths = new Set(params.paths);
  return Object.keys(params.file_dialects ?? {}).filter((path) => !paths.has(path));
}
