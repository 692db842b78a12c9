// export.json: writes a dataset as a JSON array (or JSON Lines); list columns stay arrays.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { quoteIdent } from '../../data/sql-text.js';
import { defineComponent } from '../component.js';
import { exportSource, rowSourceParams } from '../inputs.js';
import { copyQueryToFile, outputPath, outputTargetParams } from './output-file.js';
import { isoTimestampSql } from './timestamp-text.js';

export const jsonExportParams = z.object({
  ...outputTargetParams,
  ...rowSourceParams,
  lines: z.boolean().default(false).describe('Write JSON Lines (one object per line) instead of one array'),
});

export const jsonExport = defineComponent({
  id: 'export.json',
  version: '1',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'JSON Export',
  description: 'Writes the (enriched) data as a JSON array of objects, or JSON Lines; ioc_matches and anomaly_reasons stay arrays. Choose it to feed another tool or a SIEM.',
  capabilities: [Capability.exportJson],
  consumes: ['dataset', 'findings'],
  produces: ['artefact'],
  order: 90,
  params: jsonExportParams,
  estimateMs: ({ bytes }) => 60 + bytes / 25_000,
  async run(context, inputs, params) {
    const dataset = await exportSource(context, inputs, params.source, 'export.json', params.kinds);
    const columns = dataset.columns.map((c) => `${isoTimestampSql(c, quoteIdent(c.name)) ?? quoteIdent(c.name)} AS ${quoteIdent(c.name)}`);
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await copyQueryToFile(context.sql, `SELECT ${columns.join(', ')} FROM ${quoteIdent(dataset.table)}`, path, `FORMAT JSON, ARRAY ${!params.lines}`, context.signal);
    context.log.dataOperation({ operation: 'write', target: path, rows: dataset.rowCount, bytes });
    return {
      files: [{ output: params.output, path, format: params.lines ? 'jsonl' : 'json', bytes, rows: dataset.rowCount }],
      rowsIn: dataset.rowCount,
      rowsOut: dataset.rowCount,
      message: `wrote ${path} (${dataset.rowCount.toLocaleString('en-US')} records, ${bytes.toLocaleString('en-US')} bytes)`,
    };
  },
});
