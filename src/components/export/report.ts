// export.report: the report an analyst hands on: summary, top findings, indicator hits, anomalies, quality, statistics, the plan that ran.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { defineComponent } from '../component.js';
import { outputFileNameSchema, outputPath, writeTextFile } from './output-file.js';
import { buildReportModel } from './report-model.js';
import { renderMarkdownReport } from './report-markdown.js';

export const reportParams = z.object({
  output: z.string(),
  file: outputFileNameSchema,
  format: z.enum(['md']).default('md').describe('Markdown in this version; the HTML report with charts comes later'),
  title: z.string().max(200).default('Threat report'),
  top: z.number().int().min(1).max(500).default(25).describe('How many of the highest-scoring rows to list'),
});

export const reportExport = defineComponent({
  id: 'export.report',
  version: '1',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'Report Export',
  description: 'Writes a readable report (Markdown): what was asked, the threat picture in numbers, the highest-scoring rows with their reasons, indicator hits by source, anomalies, data quality, statistics, and the plan that ran with its real timings.',
  capabilities: [Capability.reportMarkdown],
  consumes: ['dataset', 'findings', 'summary'],
  produces: ['artefact'],
  order: 95,
  params: reportParams,
  estimateMs: ({ rows }) => 40 + rows / 10_000,
  async run(context, inputs, params) {
    const model = await buildReportModel(context, inputs, params.top);
    const text = renderMarkdownReport(model, params.title);
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await writeTextFile(path, text);
    context.log.dataOperation({ operation: 'write', target: path, bytes });
    return {
      files: [{ output: params.output, path, format: params.format, bytes, rows: null }],
      rowsIn: model.rows,
      rowsOut: 0,
      message: `wrote ${path} (${model.topRows.length} top rows, ${bytes.toLocaleString('en-US')} bytes)`,
    };
  },
});
