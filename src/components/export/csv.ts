// export.csv: writes a dataset as CSV; text a spreadsheet would run as a formula is neutralised, lists become `;`-separated.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { DatasetColumn } from '../../model/dataset.js';
import { quoteIdent } from '../../data/sql-text.js';
import { defineComponent } from '../component.js';
import { requireDataset } from '../inputs.js';
import { copyQueryToFile, outputFileNameSchema, outputPath } from './output-file.js';
import { isoTimestampSql } from './timestamp-text.js';

export const csvExportParams = z.object({
  output: z.string().describe('The output name the user asked for, e.g. enriched_data'),
  file: outputFileNameSchema.describe('File name inside the output folder, e.g. enriched_data.csv'),
  source: z.enum(['dataset', 'findings']).default('dataset').describe('Write the data rows or the findings table'),
  formula_safe: z.boolean().default(true).describe('Prefix text cells starting with = + - @ tab or CR with a quote, so spreadsheets show them as text'),
});

export const csvExport = defineComponent({
  id: 'export.csv',
  version: '1',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'CSV Export',
  description: 'Writes the (enriched) data as CSV, safe to open in a spreadsheet: text cells that would run as formulas are neutralised, numbers stay numbers, list columns (ioc_matches, anomaly_reasons) are joined with ";".',
  capabilities: [Capability.exportCsv],
  consumes: ['dataset', 'findings'],
  produces: ['artefact'],
  order: 90,
  params: csvExportParams,
  estimateMs: ({ bytes, rows }) => 20 + rows / 1_000 + bytes / 200_000,
  async run(context, inputs, params) {
    const dataset = params.source === 'findings' ? inputs.findings.at(-1) : requireDataset(inputs, 'export.csv');
    if (dataset === undefined) throw new Error('no findings to export');
    const select = dataset.columns.map((c) => `${cellSql(c, params.formula_safe)} AS ${quoteIdent(c.name)}`);
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await copyQueryToFile(context.sql, `SELECT ${select.join(', ')} FROM ${quoteIdent(dataset.table)}`, path, "FORMAT CSV, HEADER true, DELIMITER ','", context.signal);
    context.log.dataOperation({ operation: 'write', target: path, rows: dataset.rowCount, bytes, columns: dataset.columns.map((c) => c.name) });
    return {
      files: [{ output: params.output, path, format: 'csv', bytes, rows: dataset.rowCount }],
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message: `wrote ${path} (${dataset.rowCount.toLocaleString('en-US')} rows, ${bytes.toLocaleString('en-US')} bytes)`,
    };
  },
});

/** The CSV text of one cell: lists joined, and formula-leading text prefixed with a quote (OWASP's CSV injection advice). */
export function cellSql(column: DatasetColumn, formulaSafe: boolean): string {
  const c = quoteIdent(column.name);
  const timestamp = isoTimestampSql(column, c);
  if (timestamp !== null) return timestamp;
  const isList = column.sqlType.endsWith('[]');
  const text = isList ? `array_to_string(${c}, ';')` : c;
  if (!formulaSafe || !(isList || column.sqlType === 'VARCHAR')) return text;
  // A plain number written as text ("-5") shows as a number in a spreadsheet and runs nothing: leave it alone.
  // The first-character test is cheap and false for nearly every cell, so the regular expression rarely runs.
  return `CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) AND NOT regexp_full_match(${text}, '[+-]?[0-9]+([.][0-9]+)?') THEN '''' || ${text} ELSE ${text} END`;
}
