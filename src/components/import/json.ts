// import.json: loads JSON arrays and JSON Lines into the workspace; nested objects become dotted columns (`b.c`).
import { basename } from 'node:path';
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { checkInputFile, resolveInput } from '../../data/input-files.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { defineComponent } from '../component.js';
import { firstLine } from './engine-error-text.js';

export const jsonImportParams = z.object({
  paths: z.array(z.string().min(1)).min(1).describe('JSON files: an array of objects, or one object per line (JSON Lines)'),
  format: z.enum(['auto', 'array', 'newline_delimited']).default('auto'),
  flatten_depth: z.number().int().min(0).max(8).default(4).describe('How many levels of nested objects become dotted columns'),
  max_object_bytes: z.number().int().positive().max(256 * 1024 * 1024).default(16 * 1024 * 1024),
});

export const jsonImport = defineComponent({
  id: 'import.json',
  version: '1',
  type: ComponentType.DATA_IMPORT,
  complexity: Complexity.SIMPLE,
  title: 'JSON Import',
  description: 'Loads JSON event files (an array of objects or JSON Lines) into the analysis engine, flattening nested objects into dotted column names. Choose it for EDR/SIEM JSON exports and API dumps.',
  capabilities: [Capability.importJson],
  consumes: [],
  produces: ['dataset'],
  order: 0,
  params: jsonImportParams,
  estimateMs: ({ bytes }) => 120 + bytes / 40_000,
  async run(context, _inputs, params) {
    const files = params.paths.map((p) => ({ display: p, absolute: resolveInput(context.run.baseDir, p) }));
    let bytes = 0;
    for (const file of files) bytes += await checkInputFile(file.absolute, file.display);

    const raw = context.tableName('import_json_raw');
    const list = `[${files.map((f) => quoteLiteral(f.absolute)).join(', ')}]`;
    const options = [`format = ${quoteLiteral(params.format)}`, 'union_by_name = true', `maximum_object_size = ${params.max_object_bytes}`];
    if (files.length > 1) options.push('filename = true');
    try {
      await context.sql.run(`CREATE TABLE ${quoteIdent(raw)} AS SELECT * FROM read_json(${list}, ${options.join(', ')})`, [], context.signal);
    } catch (error) {
      if (error instanceof Error && error.name !== 'CancelledError') {
        throw new InputFileError(files.map((f) => f.display).join(', '), 'malformed', `not valid JSON: ${firstLine(error.message)}`, {
          hint: 'CS Helper reads a JSON array of objects or JSON Lines (one object per line)',
          cause: error,
        });
      }
      throw error;
    }

    const table = context.tableName('import_json');
    const select = await flattenedSelect(context.sql, raw, params.flatten_depth, files.length > 1, context.signal);
    await context.sql.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT ${select} FROM ${quoteIdent(raw)}`, [], context.signal);
    await context.sql.run(`DROP TABLE ${quoteIdent(raw)}`, [], context.signal);

    const dataset = await context.describe(table, files.map((f) => f.display));
    if (dataset.rowCount === 0) throw new InputFileError(files.map((f) => f.display).join(', '), 'empty', 'no records in the file');
    context.log.dataOperation({ operation: 'read', target: files.map((f) => f.display).join(', '), rows: dataset.rowCount, bytes, columns: dataset.columns.map((c) => c.name) });
    return {
      dataset,
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      summary: { files: files.map((f) => basename(f.display)), rows: dataset.rowCount, bytes, columns: dataset.columns.length },
      message: `${dataset.rowCount.toLocaleString('en-US')} records, ${dataset.columns.length} columns`,
    };
  },
});

/** Builds a select list that lifts struct fields to top-level columns named by their path; a `filename` column becomes `source_file`. */
async function flattenedSelect(sql: SqlSession, table: string, depth: number, addedFilename: boolean, signal: AbortSignal): Promise<string> {
  const parts: string[] = [];
  const walk = async (expression: string, path: string, level: number): Promise<void> => {
    // unnest() lists a struct's fields at any depth; `a.b.*` is a syntax error in the engine below the first level.
    const columns = await sql.describe(`SELECT ${expression === '' ? '*' : `unnest(${expression})`} FROM ${quoteIdent(table)}`, signal);
    for (const column of columns) {
      const childPath = path === '' ? column.name : `${path}.${column.name}`;
      const childExpression = expression === '' ? quoteIdent(column.name) : `${expression}.${quoteIdent(column.name)}`;
      if (column.structEntries !== null && level < depth) {
        await walk(childExpression, childPath, level + 1);
      } else {
        const alias = addedFilename && path === '' && column.name === 'filename' ? 'source_file' : childPath;
        parts.push(`${childExpression} AS ${quoteIdent(alias)}`);
      }
    }
  };
  await walk('', '', 0);
  return parts.join(', ');
}
