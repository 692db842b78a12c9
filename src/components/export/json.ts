// export.json: writes a dataset as a JSON array (or JSON Lines) of strict JSON; list columns stay arrays, a finding's
// evidence is an object, and a non-finite number (NaN, Infinity) is null.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { plainText } from '../../data/plain-value.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import { defineComponent } from '../component.js';
import { exportSource, rowSourceParams } from '../inputs.js';
import { copyQueryToFile, outputPath, outputTargetParams } from './output-file.js';
import { exportRelation, type ExportRelation } from './export-relation.js';
import { jsonTextValueSql, jsonValueSql } from './json-value-sql.js';

export const jsonExportParams = z.object({
  ...outputTargetParams,
  ...rowSourceParams,
  lines: z.boolean().default(false).describe('Write JSON Lines (one object per line) instead of one array'),
});

export const jsonExport = defineComponent({
  id: 'export.json',
  version: '2',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'JSON Export',
  description:
    'Writes the (enriched) data as a JSON array of objects, or JSON Lines, strict JSON that JSON.parse and jq read: ioc_matches and anomaly_reasons stay arrays, a finding\'s evidence (detail) is an object, and numbers that are not finite (NaN, Infinity) are null. Choose it to feed another tool or a SIEM.',
  capabilities: [Capability.exportJson],
  consumes: ['dataset', 'findings'],
  produces: ['artefact'],
  order: 90,
  params: jsonExportParams,
  estimateMs: ({ bytes }) => 60 + bytes / 25_000,
  async run(context, inputs, params) {
    const dataset = await exportSource(context, inputs, params.source, 'export.json', params.kinds);
    const relation = exportRelation(dataset, params.source);
    const types = await engineTypes(context.sql, relation, context.signal);
    const columns = relation.columns.map((c, i) => {
      const value = relation.jsonTextColumns.has(c.name) ? jsonTextValueSql(quoteIdent(c.name)) : jsonValueSql({ ...c, sqlType: types[i] ?? c.sqlType }, quoteIdent(c.name));
      return `${value} AS ${quoteIdent(c.name)}`;
    });
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await copyQueryToFile(context.sql, `SELECT ${columns.join(', ')} FROM ${relation.from}`, path, `FORMAT JSON, ARRAY ${!params.lines}`, context.signal);
    context.log.dataOperation({ operation: 'write', target: path, rows: dataset.rowCount, bytes });
    return {
      files: [{ output: params.output, path, format: params.lines ? 'jsonl' : 'json', bytes, rows: dataset.rowCount }],
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message: `wrote ${path} (${dataset.rowCount.toLocaleString('en-US')} records, ${bytes.toLocaleString('en-US')} bytes)`,
    };
  },
});

/**
 * The engine's type name of each column, in order. A dataset's columns name the JSON type VARCHAR (it is VARCHAR with an
 * alias), and JSON text is where a NaN may hide, so the export asks the engine. DESCRIBE reads no rows.
 */
async function engineTypes(sql: SqlSession, relation: ExportRelation, signal: AbortSignal): Promise<string[]> {
  const described = await sql.all(`DESCRIBE SELECT ${relation.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${relation.from}`, [], signal);
  return described.map((row) => plainText(row['column_type']));
}
