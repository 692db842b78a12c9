// How import.csv has the engine read its files: each file on its own (the engine keeps no rejects when it unions files
// by name), with that file's own dialect, its over-long lines set aside first, and columns re-read with a wider type
// when a value does not fit the sniffed one or would lose digits; then the parts are stacked by column name.
import { InputFileError } from '../../model/errors/input-file-error.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { ComponentContext } from '../component.js';
import { inexactColumns } from './csv-exact-integers.js';
import { explainCsvFailure } from './csv-failure.js';
import { RAISE_MAX_LINE_BYTES, copyWithoutLines, findLongLines, lineInFile, mayHoldLongLine, type LongLine } from './csv-long-lines.js';
import { LINE_TOO_LONG, LISTED_LINES, readRejects, type RejectedRows } from './csv-rejects.js';
import { utf8Copy, type CsvSource, type TranscodeArea } from './csv-source.js';

/** Passes at most: a first read, and re-reads that widen columns whose sniffed type refused a value or lost digits. */
const MAX_READS = 5;
/** More lines than this of max_line_bytes or more: no export with an odd field, and the file is refused. */
const MAX_LONG_LINES = 1_000;

/** The parameters reading uses; the dialect of each file is its source's `readAs`. */
export interface ReadParams {
  readonly quote: string;
  readonly columns: readonly string[] | null;
  readonly types: Readonly<Record<string, string>> | null;
  readonly strict: boolean;
  readonly max_line_bytes: number;
}

export interface Reader {
  readonly context: ComponentContext;
  readonly params: ReadParams;
  /** Where the copies without over-long lines go. */
  readonly area: TranscodeArea;
}

export interface ReadOutcome {
  /** All files together. */
  readonly rejected: RejectedRows;
  /** Per source, in order. */
  readonly perSource: readonly RejectedRows[];
}

/** Reads every source into `table`; several are stacked by column name with a source_file column. */
export async function readAll(reader: Reader, table: string, sources: readonly CsvSource[]): Promise<ReadOutcome> {
  const { context } = reader;
  const [only] = sources;
  if (sources.length === 1 && only !== undefined) {
    const rejected = await readOne(reader, table, only);
    return { rejected, perSource: [rejected] };
  }
  const parts: string[] = [];
  const perSource: RejectedRows[] = [];
  try {
    for (const source of sources) {
      const part = context.tableName('import_csv_part');
      parts.push(part);
      perSource.push(await readOne(reader, part, source));
    }
    const union = sources.map((s, i) => `SELECT *, ${quoteLiteral(s.original ?? s.absolute)} AS source_file FROM ${quoteIdent(parts[i] ?? '')}`).join(' UNION ALL BY NAME ');
    await context.sql.run(`CREATE TABLE ${quoteIdent(table)} AS ${union}`, [], context.signal);
  } finally {
    for (const part of parts) await context.sql.run(`DROP TABLE IF EXISTS ${quoteIdent(part)}`, [], context.signal).catch(() => undefined);
  }
  return { rejected: mergeRejects(perSource), perSource };
}

/**
 * Reads one file. A value that does not fit a sniffed type makes its column text; a DOUBLE column holding a value of
 * 2^53 or more (digits lost) is read as HUGEINT or text (csv-exact-integers.ts); either way the file is read again.
 */
async function readOne(reader: Reader, table: string, original: CsvSource): Promise<RejectedRows> {
  const { context, params } = reader;
  const { source, cut } = await setAsideLongLines(reader, original);
  const chosen = new Map<string, string>();
  for (let pass = 1; ; pass += 1) {
    const rejects = context.tableName('import_csv_rejects');
    const sql = `CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${quoteLiteral(source.readPath)}, ${readOptions(source, params, chosen, rejects).join(', ')})`;
    try {
      await context.sql.run(sql, [], context.signal);
    } catch (error) {
      throw await explainCsvFailure(error, [source], { delimiter: source.readAs.delimiter, max_line_bytes: params.max_line_bytes }, context.signal, (line) => lineInFile(line, cut));
    }
    const rejected = withCutLines(await readRejects(context.sql, rejects, [source.display], context.signal), { display: source.display, cut, limit: params.max_line_bytes });
    const last = pass >= MAX_READS;
    const fresh = rejected.castColumns.filter((c) => chosen.get(c) !== 'VARCHAR');
    if (fresh.length > 0 && !last) {
      for (const column of fresh) chosen.set(column, 'VARCHAR');
      context.log.decision({ decision: 'column type', chosen: `text for ${fresh.join(', ')}`, reasoning: `${source.display}: values further down the file do not fit the type sniffed from its first rows; the columns are read as text rather than losing rows` });
      await context.sql.run(`DROP TABLE ${quoteIdent(table)}`, [], context.signal);
      continue;
    }
    const inexact = fresh.length > 0 || last ? new Map<string, string>() : await inexactColumns(context.sql, table, new Set(Object.keys(params.types ?? {})), context.signal);
    if (inexact.size > 0) {
      for (const [column, type] of inexact) chosen.set(column, type);
      const named = [...inexact].map(([column, type]) => `${type === 'VARCHAR' ? 'text' : type} for ${column}`).join(', ');
      context.log.decision({ decision: 'column type', chosen: named, reasoning: `${source.display}: the sniffed type DOUBLE would round values of 2^53 (9007199254740992) or more, such as 20-digit ids; the columns are read as 128-bit integers, or as text where they also hold fractions` });
      await context.sql.run(`DROP TABLE ${quoteIdent(table)}`, [], context.signal);
      continue;
    }
    await keepRejects(reader, rejects, rejected, cut);
    return rejected;
  }
}

/**
 * Finds the file's lines of max_line_bytes or more and, when there are any, gives the engine a copy without them.
 * Refused instead (a one-line error naming the first): with strict; a line of the header or a '#' banner (the columns
 * come from it); a line inside a quoted field running over several lines (cutting it would unbalance the quotes); and
 * more than MAX_LONG_LINES of them. UTF-16 text is looked for them in a UTF-8 copy (its line breaks are two bytes).
 */
async function setAsideLongLines(reader: Reader, original: CsvSource): Promise<{ source: CsvSource; cut: readonly LongLine[] }> {
  const { context, params, area } = reader;
  const limit = params.max_line_bytes;
  // A UTF-16 line break is two bytes, but a stretch without a 0x0A byte holds none either: the quick look works as it is.
  if (!(await mayHoldLongLine(original.readPath, limit, context.signal))) return { source: original, cut: [] };
  const source = original.engineEncoding === 'utf-16' ? await utf8Copy(original, { area, log: context.log, signal: context.signal }, 'it may hold lines of max_line_bytes or more, which are found and set aside in UTF-8') : original;
  const lines = await findLongLines(source.readPath, { limit, max: MAX_LONG_LINES, quote: params.quote, signal: context.signal });
  const [first] = lines;
  if (first === undefined) return { source, cut: [] };
  const inHeader = lines.find((l) => l.line <= source.dialect.commentLines + 1);
  const inQuotes = lines.find((l) => l.inQuotes);
  const refused = params.strict
    ? { line: first, why: 'import without strict to set such lines aside' }
    : lines.length > MAX_LONG_LINES
      ? { line: first, why: `more than ${MAX_LONG_LINES.toLocaleString('en-US')} lines are this long: check the delimiter and the line ends` }
      : inHeader !== undefined
        ? { line: inHeader, why: 'a header or banner line cannot be set aside' }
        : inQuotes !== undefined
          ? { line: inQuotes, why: 'the line is part of a quoted field that runs over several lines and cannot be cut out' }
          : null;
  if (refused !== null) {
    throw new InputFileError(source.display, 'malformed', longLineProblem(refused.line.bytes, limit), { line: refused.line.line, hint: `${refused.why}; or, if you trust the file, ${RAISE_MAX_LINE_BYTES}` });
  }
  const copy = await area.allocate(source.display, '.short-lines.csv');
  const bytes = await copyWithoutLines(source.readPath, copy, lines, context.signal);
  context.log.decision({
    decision: 'long lines',
    chosen: `set aside ${lines.length} line${lines.length === 1 ? '' : 's'}`,
    alternatives: [{ option: 'refuse the file', score: null }],
    reasoning: `${source.display}: line${lines.length === 1 ? '' : 's'} ${lines.slice(0, LISTED_LINES).map((l) => l.line).join(', ')}${lines.length > LISTED_LINES ? ', ...' : ''} of ${limit.toLocaleString('en-US')} bytes or more (max_line_bytes) were left out of a copy (${bytes} bytes) the engine read, and are reported like ragged rows`,
  });
  return { source: { ...source, readPath: copy }, cut: lines };
}

function readOptions(source: CsvSource, params: ReadParams, chosen: ReadonlyMap<string, string>, rejects: string): string[] {
  const { dialect, readAs } = source;
  const options = [`encoding = ${quoteLiteral(source.engineEncoding)}`, `max_line_size = ${params.max_line_bytes}`, 'store_rejects = true', `rejects_table = ${quoteLiteral(rejects)}`, `rejects_scan = ${quoteLiteral(`${rejects}_scan`)}`];
  const delimiter = readAs.delimiter ?? (dialect.spacePadded ? dialect.delimiter : null);
  if (delimiter !== null) options.push(`delim = ${quoteLiteral(delimiter)}`);
  // Named always: the sniffer drops the quote when a '#' banner or padding hides it, and then splits quoted lists.
  options.push(`quote = ${quoteLiteral(params.quote)}`);
  const comment = readAs.comment ?? (dialect.commentLines > 0 ? '#' : null);
  if (comment !== null) options.push(`comment = ${quoteLiteral(comment)}`);
  const names = params.columns ?? (comment === '#' ? dialect.commentHeader : null);
  if (names !== null) {
    options.push(`names = [${names.map((n) => quoteLiteral(n)).join(', ')}]`);
    // The first row is a header only when it repeats the names (or the user says so for names they gave).
    const repeated = (dialect.rows[0] ?? []).map((c) => c.trim()).join('\u0000') === names.join('\u0000');
    options.push(`header = ${params.columns !== null ? readAs.header === true : repeated}`);
  } else if (readAs.header !== null) {
    options.push(`header = ${readAs.header}`);
  }
  const types: Record<string, string> = { ...(params.types ?? {}), ...Object.fromEntries(chosen) };
  if (Object.keys(types).length > 0) options.push(`types = {${Object.entries(types).map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`).join(', ')}}`);
  return options;
}

/** The engine's rejects of a copy, in the file's line numbers, with the lines cut out before it read the copy. */
function withCutLines(rejected: RejectedRows, { display, cut, limit }: { readonly display: string; readonly cut: readonly LongLine[]; readonly limit: number }): RejectedRows {
  if (cut.length === 0) return rejected;
  const problem = (l: LongLine): string => longLineProblem(l.bytes, limit);
  const lines = [...rejected.lines.map((l) => ({ ...l, line: lineInFile(l.line, cut) })), ...cut.slice(0, LISTED_LINES).map((l) => ({ file: display, line: l.line, problem: problem(l), text: l.head.replace(/[\r\n]+/g, ' ') }))];
  return { ...rejected, count: rejected.count + cut.length, longLines: rejected.longLines + cut.length, lines: lines.sort((a, b) => a.line - b.line).slice(0, LISTED_LINES) };
}

function mergeRejects(parts: readonly RejectedRows[]): RejectedRows {
  return {
    count: parts.reduce((sum, p) => sum + p.count, 0),
    longLines: parts.reduce((sum, p) => sum + p.longLines, 0),
    lines: parts.flatMap((p) => p.lines).slice(0, LISTED_LINES),
    castColumns: [...new Set(parts.flatMap((p) => p.castColumns))],
    encodingLines: parts.reduce((sum, p) => sum + p.encodingLines, 0),
  };
}

/**
 * Copies the engine's connection-scoped rejects into a workspace table, so the set-aside rows outlive the step; the
 * lines cut out before the engine read the file are added, and every line is the file's (not the copy's).
 */
async function keepRejects(reader: Reader, rejects: string, rejected: RejectedRows, cut: readonly LongLine[]): Promise<void> {
  const { context } = reader;
  if (rejected.count === 0) return;
  const kept = quoteIdent(`${rejects}_kept`);
  const shifts = cut.map((l, i) => l.line - (i + 1));
  const line = shifts.length === 0 ? 'line' : `line + len(list_filter([${shifts.join(', ')}]::BIGINT[], lambda s: s < line))`;
  await context.sql.run(
    `CREATE TABLE ${kept} AS SELECT file_id, ${line} AS line, any_value(error_type) AS problem, any_value(csv_line) AS text FROM ${quoteIdent(rejects)} WHERE error_type NOT IN ('CAST', 'INVALID ENCODING', 'INVALID UNICODE') GROUP BY file_id, line ORDER BY file_id, line`,
    [],
    context.signal,
  );
  if (cut.length > 0) {
    const rows = cut.map((l) => `(0, ${l.line}, ${quoteLiteral(LINE_TOO_LONG)}, ${quoteLiteral(l.head)})`).join(', ');
    await context.sql.run(`INSERT INTO ${kept} VALUES ${rows}`, [], context.signal);
  }
}

/** `a line of 3,000,013 bytes, over the limit of 2,097,152 bytes`: for a refusal and for a line set aside alike. */
function longLineProblem(bytes: number, limit: number): string {
  return `a line of ${bytes.toLocaleString('en-US')} bytes, over the limit of ${limit.toLocaleString('en-US')} bytes`;
}
