// export.csv: writes a dataset as CSV; text a spreadsheet would run as a formula is neutralised, in cells and in the
// header, and lists become `;`-separated (a `;` inside an element written `%3B`, so the separator stays unambiguous).
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { DatasetColumn } from '../../model/dataset.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { defineComponent } from '../component.js';
import { exportSource, rowSourceParams } from '../inputs.js';
import { exportRelation } from './export-relation.js';
import { formulaSafeSql, formulaSafeText } from './formula-safe.js';
import { copyQueryToFile, outputPath, outputTargetParams } from './output-file.js';
import { isTimestampType } from '../../data/sql-types.js';
import { isoTimestampSql } from './timestamp-text.js';

/** How the CSV export joins a list cell, and how it writes the separator where an element holds one. */
export const LIST_SEPARATOR = ';';
export const ESCAPED_LIST_SEPARATOR = '%3B';

export const csvExportParams = z.object({
  ...outputTargetParams,
  ...rowSourceParams,
  formula_safe: z.boolean().default(true).describe('Prefix text cells and column names starting with = + - @ tab or CR with a quote, so spreadsheets show them as text'),
});

export const csvExport = defineComponent({
  id: 'export.csv',
  version: '2',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'CSV Export',
  description:
    'Writes the (enriched) data as CSV, safe to open in a spreadsheet: text cells and column names that would run as formulas are neutralised, numbers stay numbers, list columns (ioc_matches, anomaly_reasons) are joined with ";" (a ";" inside an element is written %3B).',
  capabilities: [Capability.exportCsv],
  consumes: ['dataset', 'findings'],
  produces: ['artefact'],
  order: 90,
  params: csvExportParams,
  // Measured on 2 cores: ~2.7 s for the enriched copy of a 156 MB input (more columns out than in).
  estimateMs: ({ bytes }) => 60 + bytes / 60_000,
  async run(context, inputs, params) {
    const dataset = await exportSource(context, inputs, params.source, 'export.csv', params.kinds);
    const relation = exportRelation(dataset, params.source);
    const scan = await scanColumns(context.sql, relation.from, relation.columns, context.signal);
    // The header row is the columns' names: a name from the input file is text like any cell, and opened the same way.
    const header = (name: string): string => (params.formula_safe ? formulaSafeText(name) : name);
    const select = relation.columns.map((c) => `${cellSql(c, params.formula_safe, scan.timestampFormat !== null)} AS ${quoteIdent(header(c.name))}`);
    const options = ["FORMAT CSV", 'HEADER true', "DELIMITER ','", ...(scan.timestampFormat === null ? [] : [`TIMESTAMPFORMAT ${quoteLiteral(scan.timestampFormat)}`])];
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await copyQueryToFile(context.sql, `SELECT ${select.join(', ')} FROM ${relation.from}`, path, options.join(', '), context.signal);
    context.log.dataOperation({ operation: 'write', target: path, rows: dataset.rowCount, bytes, columns: relation.columns.map((c) => c.name) });
    return {
      files: [{ output: params.output, path, format: 'csv', bytes, rows: dataset.rowCount }],
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message: `wrote ${path} (${dataset.rowCount.toLocaleString('en-US')} rows, ${bytes.toLocaleString('en-US')} bytes)`,
    };
  },
});

interface ColumnScan {
  /** One ISO format for every timestamp column (all zoned, whole seconds); null to format each cell in SQL. */
  readonly timestampFormat: string | null;
}

/** Whether timestamps carry fractions decides if the COPY option can format them all (cheaper than a function per cell). */
async function scanColumns(sql: SqlSession, from: string, columns: readonly DatasetColumn[], signal: AbortSignal): Promise<ColumnScan> {
  const timestamps = columns.filter((c) => isTimestampType(c.sqlType));
  const allZoned = timestamps.length > 0 && timestamps.every((c) => c.sqlType === 'TIMESTAMP WITH TIME ZONE');
  if (!allZoned) return { timestampFormat: null };
  const fractions = await sql.scalar(`SELECT bool_or(${timestamps.map((c) => `microsecond(${quoteIdent(c.name)}) % 1000000 <> 0`).join(' OR ')}) FROM ${from}`, [], signal);
  // With fractions somewhere, each cell is formatted on its own so whole seconds stay without `.000000`.
  return { timestampFormat: fractions === true ? null : '%Y-%m-%dT%H:%M:%SZ' };
}

function isTextual(column: DatasetColumn): boolean {
  return column.sqlType === 'VARCHAR' || column.sqlType.endsWith('[]');
}

/**
 * A cell's text before the formula rule: a list joined with `;`. A `;` inside an element (a URL's `/a;b=1`) is written
 * `%3B`, as percent-encoding writes it in a URL, so splitting the cell on `;` gives the elements back. Other characters
 * stay as they are: encoding `%` too would turn every `%20` of a matched URL into `%2520`.
 */
function textOf(column: DatasetColumn): string {
  const c = quoteIdent(column.name);
  if (!column.sqlType.endsWith('[]')) return c;
  const element = `replace(CAST(element AS VARCHAR), ${quoteLiteral(LIST_SEPARATOR)}, ${quoteLiteral(ESCAPED_LIST_SEPARATOR)})`;
  return `array_to_string(list_transform(${c}, element -> ${element}), ${quoteLiteral(LIST_SEPARATOR)})`;
}

/**
 * The CSV text of one cell: lists joined, timestamps in ISO 8601 (by the COPY option when `timestampsByOption`), and
 * formula-leading text prefixed with a quote (OWASP's CSV injection advice). A plain number written as text ("-5")
 * shows as a number in a spreadsheet and runs nothing, so it is left alone.
 */
export function cellSql(column: DatasetColumn, neutralise: boolean, timestampsByOption = false): string {
  const c = quoteIdent(column.name);
  if (!timestampsByOption) {
    const timestamp = isoTimestampSql(column, c);
    if (timestamp !== null) return timestamp;
  }
  const text = textOf(column);
  if (!neutralise || !isTextual(column)) return text;
  return formulaSafeSql(text);
}
