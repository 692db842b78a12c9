// import.csv's parameters from the files' profiles. Files that agree on delimiter, header, encoding and comment share
// the step's own settings (the plan reads as it always has); files that differ get one entry each in file_dialects,
// so that a semicolon file stacked with a comma one, or a UTF-16 file with a UTF-8 one, is each read as it is written.
import { csvEncodingSchema, type CsvEncoding } from '../components/import/csv-file-dialects.js';
import type { FileProfile } from '../model/file-profile.js';

interface ProfiledDialect {
  readonly delimiter: string | null;
  readonly header: boolean | null;
  readonly encoding: CsvEncoding;
  readonly comment: string | null;
}

export function csvImportParamsFor(files: readonly FileProfile[]): Record<string, unknown> {
  const paths = files.map((f) => f.path);
  const dialects = files.map(profiledDialect);
  const [first] = dialects;
  if (first === undefined || dialects.every((d) => sameDialect(d, first))) {
    // Named even when null: a stored plan re-bound to new files (rebind-pattern.ts) must lose its stale entries.
    return { paths, ...(first ?? { delimiter: null, header: null, encoding: 'utf-8', comment: null }), file_dialects: null };
  }
  return { paths, delimiter: null, header: null, encoding: 'auto', comment: null, file_dialects: Object.fromEntries(files.map((f, i) => [f.path, dialects[i]])) };
}

function profiledDialect(file: FileProfile): ProfiledDialect {
  const encoding = csvEncodingSchema.safeParse(file.encoding);
  return {
    delimiter: file.delimiter,
    header: file.has_header,
    encoding: encoding.success ? encoding.data : 'auto',
    comment: file.notes.some((n) => n.includes('comment lines')) ? '#' : null,
  };
}

function sameDialect(a: ProfiledDialect, b: ProfiledDialect): boolean {
  return a.delimiter === b.delimiter && a.header === b.header && a.encoding === b.encoding && a.comment === b.comment;
}
