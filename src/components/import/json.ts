// import.json: loads JSON arrays, JSON Lines and objects one after another into the workspace; nested objects become
// dotted columns (`b.c`), Windows event JSON becomes the flat fields detection rules name (EventID, Image, ...).
import { basename } from 'node:path';
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { type ComponentContext, type ComponentOutput, defineComponent } from '../component.js';
import { type ImportFiles, inflatedNote, withImportFiles } from './import-files.js';
import { firstLine } from './engine-error-text.js';
import { lineOfJsonRecord } from './json-record-line.js';
import { recordListColumn, unwrapRecordList } from './json-record-list.js';
import { windowsEventSelect, windowsRoot } from './json-windows-events.js';
import { TIMESTAMP_DETECTION_OFF, recordsOf, timestampTyping, typedSelect } from './json-timestamps.js';

/** The engine infers nested structure this deep at most; deeper values stay JSON text (and 10,000 levels cannot crash it). */
const MAX_INFERRED_DEPTH = 12;

export const jsonImportParams = z.object({
  paths: z.array(z.string().min(1)).min(1).describe('JSON files: an array of objects, JSON Lines, objects one after another, or a {"Records": [...]} wrapper (CloudTrail, Azure)'),
  format: z.enum(['auto', 'array', 'newline_delimited']).default('auto').describe("'array' for one JSON array of objects, 'newline_delimited' for JSON Lines or objects one after another; 'auto' tells them apart"),
  flatten_depth: z.number().int().min(0).max(8).default(4).describe('How many levels of nested objects become dotted columns'),
  // The engine raises a smaller limit to 16 MiB (DuckDB 1.5: an object of 17 MB read with 1 MB set), so that is the floor.
  max_object_bytes: z
    .number()
    .int()
    .min(16 * 1024 * 1024)
    .max(256 * 1024 * 1024)
    .default(16 * 1024 * 1024)
    .describe('Limit on the size of one JSON object, in bytes (16 to 256 MiB), so a hostile file cannot make the engine buffer without bound; a file with an object past it is refused, naming the file. The engine reads in buffers of twice the limit, so objects somewhat larger may still be read'),
  windows_events: z.boolean().default(true).describe('Flatten Windows event JSON (Event.System / EventData / UserData) to the field names detection rules use'),
});

export const jsonImport = defineComponent({
  id: 'import.json',
  version: '8',
  type: ComponentType.DATA_IMPORT,
  complexity: Complexity.SIMPLE,
  title: 'JSON Import',
  description: 'Loads JSON event files (an array of objects, JSON Lines, objects one after another, or records in a wrapper such as CloudTrail\'s {"Records": [...]}) into the analysis engine, flattening nested objects into dotted column names and Windows event JSON into EventID, Channel, Computer and the EventData fields. Choose it for EDR/SIEM JSON exports, Windows event logs and API dumps.',
  capabilities: [Capability.importJson],
  consumes: [],
  produces: ['dataset'],
  order: 0,
  params: jsonImportParams,
  estimateMs: ({ bytes }) => 120 + bytes / 40_000,
  run: (context, _inputs, params) => withImportFiles(context, params.paths, (opened) => importJson(context, params, opened)),
});

async function importJson(context: ComponentContext, params: z.infer<typeof jsonImportParams>, { files, bytes }: ImportFiles): Promise<ComponentOutput> {
  const raw = context.tableName('import_json_raw');
  const list = `[${files.map((f) => quoteLiteral(f.absolute)).join(', ')}]`;
  const options = [`format = ${quoteLiteral(params.format)}`, 'union_by_name = true', `maximum_object_size = ${params.max_object_bytes}`, `maximum_depth = ${MAX_INFERRED_DEPTH}`];
  if (files.length > 1) options.push('filename = true');
  const typedReader = `read_json(${list}, ${options.join(', ')})`;
  // Times stay text on this read, so a zone written in them (`Z`, `+03:00`) is not lost (see json-timestamps.ts).
  let wrapper = await readRecords(context, raw, `read_json(${list}, ${[...options, `timestampformat = ${quoteLiteral(TIMESTAMP_DETECTION_OFF)}`].join(', ')})`, files);
  let select = await selectList(context.sql, raw, params, files.length > 1, context.signal);
  const unwrapped = wrapper === null ? null : { column: wrapper.column, keepFilename: files.length > 1 };
  const typing = await timestampTyping(context.sql, { select, textTable: quoteIdent(raw), typedRecords: await recordsOf(context.sql, typedReader, unwrapped, context.signal) }, context.signal);
  if (typing.kind === 'reader') {
    // Times only the reader types (its other formats, lists of times, times in a struct left nested): read again,
    // typed by the reader as before, the columns whose every value had a zone then retyped as instants.
    await context.sql.run(`DROP TABLE ${quoteIdent(raw)}`, [], context.signal);
    wrapper = await readRecords(context, raw, typedReader, files);
    select = await selectList(context.sql, raw, params, files.length > 1, context.signal);
  }
  if (wrapper !== null && wrapper.otherKeys.length > 0) {
    context.log.warn('wrapper-keys-left-out', `the records are read from '${wrapper.column}'; the wrapper's other keys are left out: ${wrapper.otherKeys.slice(0, 10).join(', ')}`, { keys: wrapper.otherKeys.slice(0, 50) });
  }

  const table = context.tableName('import_json');
  await context.sql.run(`CREATE TABLE ${quoteIdent(table)} AS ${typedSelect(select, quoteIdent(raw), typing)}`, [], context.signal);
  await context.sql.run(`DROP TABLE ${quoteIdent(raw)}`, [], context.signal);

  const dataset = await context.describe(table, files.map((f) => f.display));
  if (dataset.rowCount === 0) throw new InputFileError(files.map((f) => f.display).join(', '), 'empty', 'no records in the file');
  context.log.dataOperation({ operation: 'read', target: files.map((f) => f.display).join(', '), rows: dataset.rowCount, bytes, columns: dataset.columns.map((c) => c.name) });
  return {
    dataset,
    rowsIn: dataset.rowCount,
    rowsOut: dataset.rowCount,
    summary: { files: files.map((f) => basename(f.display)), rows: dataset.rowCount, bytes, columns: dataset.columns.length },
    message: `${dataset.rowCount.toLocaleString('en-US')} records, ${dataset.columns.length} columns${inflatedNote(files)}`,
  };
}

/**
 * Reads the files with `reader` into `raw`: the records as rows (a wrapper's list unwrapped), an inflated copy named as
 * the archive the user gave. Returns the wrapper the records came from, if any.
 */
async function readRecords(context: ComponentContext, raw: string, reader: string, files: ImportFiles['files']): Promise<{ column: string; otherKeys: string[] } | null> {
  try {
    await context.sql.run(`CREATE TABLE ${quoteIdent(raw)} AS SELECT * FROM ${reader}`, [], context.signal);
  } catch (error) {
    if (error instanceof Error && error.name !== 'CancelledError' && !context.signal.aborted) throw await jsonError(error, files, context.signal);
    throw error;
  }

  // The engine names the file it read: an inflated copy is named as the archive the user gave.
  const copies = files.filter((f) => f.absolute !== f.original);
  if (files.length > 1 && copies.length > 0) {
    const cases = copies.map((f) => `WHEN ${quoteLiteral(f.absolute)} THEN ${quoteLiteral(f.original)}`).join(' ');
    await context.sql.run(`UPDATE ${quoteIdent(raw)} SET filename = CASE filename ${cases} ELSE filename END`, [], context.signal);
  }
  // CloudTrail's {"Records": [...]} and the like: the records are the rows.
  const wrapper = await recordListColumn(context.sql, raw, context.signal);
  if (wrapper !== null) await unwrapRecordList(context.sql, raw, wrapper.column, files.length > 1, context.signal);
  return wrapper;
}

/** Windows event columns when the file holds Windows events, then every other column flattened to dotted names. */
async function selectList(sql: SqlSession, table: string, params: z.infer<typeof jsonImportParams>, addedFilename: boolean, signal: AbortSignal): Promise<string> {
  const columns = await sql.describe(`SELECT * FROM ${quoteIdent(table)}`, signal);
  const root = params.windows_events ? windowsRoot(columns) : null;
  if (root === null) return flattenedSelect(sql, table, params.flatten_depth, addedFilename, signal);
  const parts = await windowsEventSelect(sql, table, root.expression, signal);
  const rest = columns.filter((c) => !root.consumed.includes(c.name));
  if (rest.length > 0) {
    const others = await flattenedSelect(sql, `(SELECT ${rest.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(table)})`, params.flatten_depth, addedFilename, signal, false);
    parts.push(others);
  }
  return parts.join(', ');
}

/** One line naming the file and, when the engine says, the line (and record) where the JSON breaks. */
async function jsonError(error: Error, files: readonly { display: string; absolute: string }[], signal: AbortSignal): Promise<InputFileError> {
  const message = error.message;
  const file = files.find((f) => message.includes(`"${f.absolute}"`)) ?? files[0];
  const display = file?.display ?? files.map((f) => f.display).join(', ');
  const limit = /"maximum_object_size" of (\d+) bytes exceeded/.exec(message);
  if (limit !== null) {
    const mib = Number(limit[1]) / 1024 / 1024;
    return new InputFileError(display, 'too-large', `a JSON object is larger than the import's limit of ${Number.isInteger(mib) ? String(mib) : mib.toFixed(1)} MiB (max_object_bytes)`, {
      hint: 'if you trust the file: save the plan with --export, raise max_object_bytes of its import step (up to 268435456, 256 MiB) and run it with cs-helper run',
      cause: error,
    });
  }
  const malformed = /Malformed JSON in file "[^"]*", at byte (\d+) in (line|record\/value) (\d+): ([^\n]*)/.exec(message);
  const hint = 'CS Helper reads a JSON array of objects, JSON Lines, or JSON objects one after another';
  if (malformed === null) return new InputFileError(display, 'malformed', `not valid JSON: ${firstLine(message).slice(0, 300)}`, { hint, cause: error });
  const [, byte, unit, at, what] = malformed;
  // The engine counts lines and records one past the broken one (checked on JSON Lines with a bad second, third and
  // last line, and on arrays with a bad first, second and fourth object).
  const place = Math.max(1, Number(at) - 1);
  const problem = `not valid JSON: ${(what ?? '').trim().replace(/\.$/, '')} (byte ${byte ?? '?'}${unit === 'line' ? '' : ` of record ${place}`})`;
  const line = unit === 'line' ? place : file === undefined ? null : await lineOfJsonRecord(file.absolute, place, Number(byte), signal);
  return new InputFileError(display, 'malformed', problem, { ...(line === null ? {} : { line }), hint, cause: error });
}

/** Builds a select list that lifts struct fields to top-level columns named by their path; a `filename` column becomes `source_file`. */
async function flattenedSelect(sql: SqlSession, table: string, depth: number, addedFilename: boolean, signal: AbortSignal, quoteTable = true): Promise<string> {
  const from = quoteTable ? quoteIdent(table) : table;
  const parts: { expression: string; alias: string }[] = [];
  const walk = async (expression: string, path: string, level: number): Promise<void> => {
    // unnest() lists a struct's fields at any depth; `a.b.*` is a syntax error in the engine below the first level.
    const columns = await sql.describe(`SELECT ${expression === '' ? '*' : `unnest(${expression})`} FROM ${from}`, signal);
    for (const column of columns) {
      const childPath = path === '' ? column.name : `${path}.${column.name}`;
      const childExpression = expression === '' ? quoteIdent(column.name) : `${expression}.${quoteIdent(column.name)}`;
      if (column.structEntries !== null && level < depth) {
        await walk(childExpression, childPath, level + 1);
      } else {
        const alias = addedFilename && path === '' && column.name === 'filename' ? 'source_file' : childPath;
        // A field whose type varies between records (EventID 4698 in one, "4698" in another) comes as JSON, whose
        // text would keep a string's quotes: read as the value it holds (objects and lists stay JSON text).
        const value = column.json ? `json_extract_string(${childExpression}, '$')` : childExpression;
        parts.push({ expression: value, alias });
      }
    }
  };
  await walk('', '', 0);
  return winlogbeatNames(parts)
    .map((p) => `${p.expression} AS ${quoteIdent(p.alias)}`)
    .join(', ');
}

/** Winlogbeat's (Elastic) names of the Windows event fields, and the names the detection rules use for them. */
const WINLOG_FIELDS: Readonly<Record<string, string>> = {
  'winlog.channel': 'Channel',
  'winlog.event_id': 'EventID',
  'winlog.computer_name': 'Computer',
  'winlog.provider_name': 'Provider_Name',
  'winlog.record_id': 'EventRecordID',
};
const WINLOG_DATA = /^winlog\.(?:event_data|user_data)\.(.+)$/;

/**
 * Windows events shipped by Winlogbeat (`winlog.channel`, `winlog.event_id`, `winlog.event_data.CommandLine`) read with
 * the names of the Windows event JSON (Channel, EventID, CommandLine), so the rules and the logsource filter see them.
 * A name already taken (ignoring case, as the engine does) keeps its dotted form.
 */
function winlogbeatNames(parts: readonly { expression: string; alias: string }[]): { expression: string; alias: string }[] {
  if (!parts.some((p) => p.alias === 'winlog.channel') || !parts.some((p) => p.alias === 'winlog.event_id')) return [...parts];
  const taken = new Set(parts.map((p) => p.alias.toLowerCase()));
  return parts.map((p) => {
    const name = WINLOG_FIELDS[p.alias] ?? WINLOG_DATA.exec(p.alias)?.[1];
    if (name === undefined || name.includes('.') || taken.has(name.toLowerCase())) return p;
    taken.add(name.toLowerCase());
    return { expression: p.expression, alias: name };
  });
}
