// export.report: the report an analyst hands on: summary, top findings, entities, indicator hits, anomalies, ATT&CK,
// quality, statistics, the plan that ran. HTML (self-contained, with charts rendered to SVG at export time) or Markdown.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { defineComponent } from '../component.js';
import { outputTargetParams, outputPath, writeTextFile } from './output-file.js';
import { buildReportModel } from './report-model.js';
import { renderMarkdownReport } from './report-markdown.js';
import { qualityReportOf } from './report-quality.js';

export const reportParams = z.object({
  ...outputTargetParams,
  format: z
    .enum(['html', 'md'])
    .optional()
    .describe('html: one self-contained page with charts; md: Markdown with the same sections as tables. Left out: md for a file ending in .md, html otherwise'),
  title: z.string().max(200).default('Threat report').describe('The report title, shown at the top and in the page title'),
  top: z.number().int().min(1).max(500).default(25).describe('How many of the highest-scoring rows to list'),
});

/** The format a report is written in: the one asked for, else the file name's. */
export function reportFormat(params: { readonly format?: 'html' | 'md' | undefined; readonly file: string }): 'html' | 'md' {
  return params.format ?? (params.file.toLowerCase().endsWith('.md') ? 'md' : 'html');
}

export const reportExport = defineComponent({
  id: 'export.report',
  version: '4',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'Report Export',
  description:
    'Writes a report to hand on: a self-contained HTML page with charts (events over time, threat levels, top talkers, ATT&CK tactics, quality by column) that opens offline, or Markdown with the same sections. It holds what was asked, the threat picture in numbers, the highest-scoring rows with their reasons, indicator hits by source, anomalies and patterns, the ATT&CK matrix, data quality, statistics, and the plan that ran with its real timings.',
  capabilities: [Capability.reportHtml, Capability.reportMarkdown],
  consumes: ['dataset', 'findings', 'summary'],
  produces: ['artefact'],
  order: 95,
  params: reportParams,
  // Fitted to the HTML report, the default (2026-11-27): ~860 ms on the 10k-row example (loading vega and drawing the
  // charts is most of it), 1.1-1.5 s on a million rows. Markdown costs far less; measured runs take over.
  estimateMs: ({ rows }) => 850 + rows / 2_500,
  async run(context, inputs, params) {
    const format = reportFormat(params);
    const model = await buildReportModel(context, inputs, params.top);
    let text: string;
    if (format === 'html') {
      // Loaded on first use: vega and vega-lite take about half a second to load, which no other command should pay.
      const [{ renderReportCharts }, { renderHtmlReport }] = await Promise.all([import('./report-html/report-charts.js'), import('./report-html/report-page.js')]);
      const quality = qualityReportOf(model.summaries['validation.quality']);
      const rendered = await renderReportCharts(model, quality);
      const drawn = Object.values(rendered.charts).filter((c) => c !== null).length;
      context.log.info('report-charts', `${drawn} charts rendered to SVG in ${Math.round(rendered.renderMs)} ms`, { charts: drawn, ms: Math.round(rendered.renderMs) });
      for (const warning of rendered.warnings.slice(0, 10)) context.log.warn('report-chart-warning', warning);
      text = renderHtmlReport({ model, title: params.title, charts: rendered.charts, quality, generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    } else {
      text = renderMarkdownReport(model, params.title);
    }
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await writeTextFile(path, text);
    context.log.dataOperation({ operation: 'write', target: path, bytes });
    return {
      files: [{ output: params.output, path, format, bytes, rows: null }],
      rowsIn: model.rows,
      rowsOut: 0,
      message: `wrote ${path} (${model.topRows.length} top rows, ${bytes.toLocaleString('en-US')} bytes)`,
    };
  },
});
