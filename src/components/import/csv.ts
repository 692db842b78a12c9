// import.csv: loads CSV/TSV files into the workspace with the engine's reader: sniffed dialect with overrides (per file
// when stacked files differ), encodings (UTF-8 with or without BOM, UTF-16LE/BE, Latin-1, Windows-1252), '#' banners and
// their header line, padded fields, and ragged rows and over-long lines set aside with their line numbers (or refused
// with `strict`). Reading itself is in csv-read.ts.
import { basename } from 'node:path';
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { quoteIdent } from '../../data/sql-text.js';
import { defineComponent, type ComponentContext } from '../component.js';
import { throwOnRaggedRow } from './csv-failure.js';
import { csvEncodingSchema, dialectOf, fileDialectSchema, unmatchedDialects } from './csv-file-dialects.js';
import { openImportFiles } from './import-files.js';
import { LONG_LINE_HINT } from './csv-long-lines.js';
import { readAll, type ReadOutcome } from './csv-read.js';
import { LISTED_LINES, lineList, type RejectedRows } from './csv-rejects.js';
import { TranscodeArea, prepareSource, repairMixedEncoding, type CsvSource, type PrepareOptions } from './csv-source.js';

const COLUMN_TYPES = ['VARCHAR', 'BIGINT', 'HUGEINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ'] as const;

export const csvImportParams = z.object({
  paths: z.array(z.string().min(1)).min(1).describe('CSV/TSV files; relative paths are read from the plan\'s base folder. Several files of the same shape are stacked, with a source_file column.'),
  delimiter: z.string().min(1).max(4).nullable().default(null).describe("Field separator (up to 4 characters, e.g. ', ' for padded fields); null to sniff it"),
  header: z.boolean().nullable().default(null).describe('Whether the first row after any # banner holds column names; null to sniff. With names found in the banner, a row repeating them is skipped.'),
  quote: z.string().max(1).default('"').describe('Character that encloses a field holding the delimiter or a line break; empty for none (quotes are then data)'),
  encoding: csvEncodingSchema.default('auto').describe("Text encoding; 'auto' detects it (BOM, UTF-16 pattern, UTF-8 validity, Windows-1252 or Latin-1); 'utf-16' means little-endian"),
  comment: z.string().max(1).nullable().default(null).describe("Lines starting with this character are skipped; null: '#' when the file starts with a # banner (abuse.ch dumps)"),
  file_dialects: z
    .record(z.string().min(1), fileDialectSchema)
    .nullable()
    .default(null)
    .describe("Per file, by its path as written in paths: its own delimiter, header, encoding and comment, overriding the step's (what is left out is the step's). The planner writes them when stacked files differ; null: every file is read with the step's settings"),
  columns: z.array(z.string().min(1).max(256)).max(10_000).nullable().default(null).describe('Column names, overriding the header (and a header found in the # banner)'),
  types: z.record(z.string().max(256), z.enum(COLUMN_TYPES)).nullable().default(null).describe('Column types by name, overriding the sniffed ones (a DOUBLE column holding integers of 2^53 or more is otherwise read as HUGEINT, or text, so that no digit is lost)'),
  strict: z.boolean().default(false).describe('Refuse the file, naming the line, at a ragged row or a line of max_line_bytes or more (over-long lines are checked first, before the engine reads the file) instead of setting them aside'),
  max_line_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(2 * 1024 * 1024).describe('Lines of this many bytes or more (counted in UTF-8 for UTF-16 files) are set aside and reported with their line numbers, like ragged rows; with strict the file is refused at the first'),
});
type CsvParams = z.infer<typeof csvImportParams>;

export const csvImport = defineComponent({
  id: 'import.csv',
  version: '5',
  type: ComponentType.DATA_IMPORT,
  complexity: Complexity.SIMPLE,
  title: 'CSV Import',
  description: 'Loads CSV or TSV files into the analysis engine: sniffed dialect with overrides, typed columns (numbers, timestamps), UTF-8/UTF-16/Latin-1/Windows-1252 detected, # comment banners (abuse.ch dumps), ragged rows set aside with their line numbers. Choose it for any delimited text export from a SIEM, firewall, proxy or EDR.',
  capabilities: [Capability.importCsv],
  consumes: [],
  produces: ['dataset'],
  order: 0,
  params: csvImportParams,
  // Measured on 2 cores: ~1.6 s for a 156 MB, 1M-row log CSV; ~150 ms for 1.6 MB (sniffing and typing have a fixed cost).
  estimateMs: ({ bytes }) => 120 + bytes / 100_000,
  async run(context, _inputs, params) {
    const opened = await openImportFiles(context, params.paths);
    const { files, bytes } = opened;
    const area = new TranscodeArea(context.run.plan.resources?.spill_dir ?? null);
    const prepare: PrepareOptions = { area, log: context.log, signal: context.signal };
    try {
      const unmatched = unmatchedDialects(params);
      if (unmatched.length > 0) context.log.warn('file-dialects-unused', `file_dialects names files that are not in paths (${unmatched.join(', ')}): those entries were not used`, { files: unmatched });
      let sources: CsvSource[] = [];
      for (const file of files) sources.push(await prepareSource(file, dialectOf(params, file.display), prepare));
      const table = context.tableName('import_csv');
      const reader = { context, params, area };
      let outcome = await readAll(reader, table, sources);
      const repairable = sources.map((s, i) => s.engineEncoding === 'utf-8' && !s.copied && (outcome.perSource[i]?.encodingLines ?? 0) > 0);
      if (repairable.includes(true)) {
        // Mostly UTF-8 with stray lines in another encoding: read those lines as Windows-1252 rather than lose them.
        // One file at a time, and only the files with such lines: each repair is a full copy in the spill area.
        const repaired: CsvSource[] = [];
        for (const [i, source] of sources.entries()) repaired.push(repairable[i] === true ? await repairMixedEncoding(source, prepare) : source);
        sources = repaired;
        await context.sql.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`, [], context.signal);
        outcome = await readAll(reader, table, sources);
      }
      return await finish(context, table, sources, params, outcome, bytes);
    } finally {
      // The copies go whatever happened; the inflated inputs too, even when removing the copies failed.
      try {
        await area.remove();
      } finally {
        await opened.remove();
      }
    }
  },
});

async function finish(context: ComponentContext, table: string, sources: readonly CsvSource[], params: CsvParams, outcome: ReadOutcome, bytes: number) {
  const { rejected } = outcome;
  const displays = sources.map((s) => s.display);
  const firstBad = rejected.lines[0];
  if (rejected.count > 0 && params.strict && firstBad !== undefined) {
    throw new InputFileError(firstBad.file, 'malformed', `${firstBad.problem} (row starts "${firstBad.text.slice(0, 60)}")`, { line: firstBad.line, hint: 'fix the row, or import without strict to set ragged rows aside' });
  }
  const undecoded = sources.filter((_, i) => (outcome.perSource[i]?.encodingLines ?? 0) > 0);
  if (rejected.encodingLines > 0) {
    throw new InputFileError(undecoded.map((s) => s.display).join(', '), 'malformed', `${rejected.encodingLines} lines are not valid ${undecoded[0]?.encoding ?? 'text'}`, { hint: 'set the encoding parameter, or convert the file to UTF-8' });
  }
  const dataset = await context.describe(table, displays);
  if (dataset.rowCount === 0) {
    // Every row too long: the file cannot be read unless the limit is raised, so say that, as for a refused line.
    if (firstBad !== undefined && rejected.longLines === rejected.count) throw new InputFileError(firstBad.file, 'malformed', firstBad.problem, { line: firstBad.line, hint: LONG_LINE_HINT });
    if (firstBad !== undefined) throw new InputFileError(firstBad.file, 'malformed', `no row could be read: ${firstBad.problem}`, { line: firstBad.line });
    throw new InputFileError(displays.join(', '), 'empty', 'no data rows after the header');
  }
  if (dataset.columns.length === 1) {
    // The sniffer falls back to one column when a row is ragged: a header that holds a delimiter shows it, so find the row.
    const given = sources[0]?.readAs.delimiter ?? null;
    const sniffed = given === null ? [',', '\t', ';', '|'].find((d) => dataset.columns[0]?.name.includes(d) === true) : undefined;
    if (sniffed !== undefined) await throwOnRaggedRow(sources, sniffed, context.signal);
    if (given === null || given === ',') context.log.warn('single-column', 'the file was read as one column: the delimiter may be unusual', { file: displays[0] });
  }
  const setAside = rejected.count === 0 ? '' : `; ${setAsideWhat(rejected, params.max_line_bytes)} set aside (line${rejected.count === 1 ? '' : 's'} ${lineList(rejected)})`;
  if (rejected.count > 0) {
    context.log.warn('rows-set-aside', `${rejected.count} rows could not be read as rows of the file and were set aside${setAside.slice(setAside.indexOf('('))}`, { rows: rejected.count, lines: rejected.lines.slice(0, LISTED_LINES) });
  }
  context.log.dataOperation({
    operation: 'read',
    target: displays.join(', '),
    rows: dataset.rowCount,
    bytes,
    columns: dataset.columns.map((c) => c.name),
    ...(rejected.count === 0 ? {} : { detail: { rejected_rows: rejected.count, rejected_lines: rejected.lines.map((l) => `${l.file}:${l.line}`) } }),
  });
  const roles = dataset.columns.filter((c) => c.role !== null && c.role !== 'measure' && c.role !== 'category').map((c) => `${c.name}:${c.role ?? ''}`);
  return {
    dataset,
    rowsIn: dataset.rowCount + rejected.count,
    rowsOut: dataset.rowCount,
    summary: {
      files: displays.map((d) => basename(d)),
      rows: dataset.rowCount,
      bytes,
      columns: dataset.columns.length,
      encoding: sources[0]?.encoding ?? 'utf-8',
      rejected_rows: rejected.count,
      rejected_lines: rejected.lines.map((l) => l.line),
    },
    message: `${dataset.rowCount.toLocaleString('en-US')} rows, ${dataset.columns.length} columns${roles.length > 0 ? ` (${roles.slice(0, 6).join(', ')}${roles.length > 6 ? ', ...' : ''})` : ''}${setAside}${inflatedFrom(sources)}${sources.flatMap((s) => s.notes).map((n) => `; ${n}`).join('')}`,
  };
}

/** `, inflated from logs.zip` when some file was read from a compressed one. */
function inflatedFrom(sources: readonly CsvSource[]): string {
  const inflated = sources.filter((s) => s.original !== undefined && s.original !== s.absolute);
  return inflated.length === 0 ? '' : `, inflated from ${inflated.map((s) => basename(s.display)).join(', ')}`;
}

/** `3 ragged rows`, `1 line over max_line_bytes (2,097,152)`, or both joined by 'and'. */
function setAsideWhat(rejected: RejectedRows, limit: number): string {
  const ragged = rejected.count - rejected.longLines;
  const parts = [
    ...(ragged > 0 ? [`${ragged.toLocaleString('en-US')} ragged rows`] : []),
    ...(rejected.longLines > 0 ? [`${rejected.longLines.toLocaleString('en-US')} line${rejected.longLines === 1 ? '' : 's'} over max_line_bytes (${limit.toLocaleString('en-US')})`] : []),
  ];
  return parts.join(' and ');
}
