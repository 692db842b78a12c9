// Renders the report model as Markdown; every value from the data goes through mdCell.
import { plainText, type PlainValue } from '../../data/plain-value.js';
import type { ReportModel } from './report-model.js';
import { formatCount, formatMs, mdCell, mdTable } from './markdown.js';
import { attackReportSection } from '../integration/attack-report-section.js';
import { classifyReportSection } from '../processing/classify-report-section.js';
import { entitiesLines, timelineLines } from './report-markdown-series.js';
import { THREAT_LEVELS, threatPicture } from './report-threat-picture.js';
import { distinctCell } from './statistics-cells.js';

export function renderMarkdownReport(model: ReportModel, title: string): string {
  const parts: string[] = [`# ${mdCell(title, 200)}`, '', ...summarySection(model), ...timelineLines(model)];
  if (model.topRows.length > 0) {
    parts.push('## Top findings', '', `The ${model.topRows.length} highest-scoring rows (row numbers count data rows from 1):`, '');
    const headers = ['row', ...model.topColumns, 'score', 'level', 'indicators', 'anomalies'];
    parts.push(mdTable(headers, model.topRows.map((r) => [r['row'], ...model.topColumns.map((c) => r[c]), r['threat_score'], r['threat_level'], r['ioc_matches'], r['anomaly_reasons']])));
  }
  parts.push(...entitiesLines(model));
  if (model.iocHits.length > 0) {
    parts.push('## Indicator hits', '', mdTable(['source', 'type', 'hits', 'distinct indicators', 'threat'], model.iocHits.map((r) => [r['source'], r['type'], r['hits'], r['indicators'], r['threat']])));
  }
  if (model.detections.length > 0) {
    parts.push('## Detections', '', 'What the Sigma rules fired on, by rule, the most severe first:', '', mdTable(['rule', 'level', 'rows', 'techniques'], model.detections.map((r) => [r['title'], r['level'], r['rows'], r['techniques']])));
  }
  if (model.anomalies.length > 0 || model.datasetFindings.length > 0) {
    parts.push('## Anomalies and patterns', '');
    if (model.anomalies.length > 0) parts.push(mdTable(['reason', 'rows', 'max score'], model.anomalies.map((r) => [r['label'], r['rows'], r['max_score']])));
    if (model.datasetFindings.length > 0) {
      parts.push('', 'Patterns across the data:', '', mdTable(['pattern', 'entity', 'evidence'], model.datasetFindings.map((r) => [r['label'], r['entity'], r['detail']])));
    }
  }
  parts.push(...attackReportSection(model.summaries['integration.attack']));
  parts.push(...classifyReportSection(model.summaries['processing.classify']));
  const quality = model.summaries['validation.quality'];
  if (quality !== undefined) parts.push(...qualitySection(quality));
  const statistics = model.summaries['analysis.statistics'];
  if (statistics !== undefined) parts.push(...statisticsSection(statistics));
  parts.push(...planSection(model));
  return parts.join('\n') + '\n';
}

function summarySection(model: ReportModel): string[] {
  const lines = ['## Summary', '', `- **Asked:** ${mdCell(model.problem, 500)}`, `- **Files:** ${model.files.map((f) => mdCell(f)).join(', ')}`, `- **Rows:** ${formatCount(model.rows)}`];
  lines.push(`- **Plan confidence:** ${model.confidence.score.toFixed(2)}`, `- **Time to this report:** ${formatMs(model.elapsedMs)}`, '');
  const picture = threatPicture(model);
  if (model.byLevel !== null && picture.length > 0) {
    const levels = model.byLevel;
    lines.push(picture.join(' '), '', mdTable(['threat level', 'rows'], THREAT_LEVELS.map((k) => [k, levels[k] ?? 0])));
  }
  return lines;
}

function qualitySection(quality: Readonly<Record<string, PlainValue>>): string[] {
  const breakdown = quality['breakdown'] as Record<string, number> | undefined;
  const columns = (quality['columns'] as Record<string, PlainValue>[] | undefined) ?? [];
  const worst = [...columns].sort((a, b) => Number(a['completeness']) - Number(b['completeness'])).slice(0, 10);
  return [
    '## Data quality',
    '',
    `Score **${mdCell(quality['score'])}/100**: completeness ${pct1(breakdown?.['completeness'])}, validity ${pct1(breakdown?.['validity'])}, uniqueness ${pct1(breakdown?.['uniqueness'])}; ${mdCell(quality['duplicate_rows'])} duplicate rows.`,
    '',
    mdTable(['column', 'role', 'completeness', 'missing', 'invalid'], worst.map((c) => [c['column'], c['role'], pct1(c['completeness']), c['missing'], c['invalid']])),
  ];
}

function statisticsSection(statistics: Readonly<Record<string, PlainValue>>): string[] {
  const columns = (statistics['columns'] as Record<string, PlainValue>[] | undefined) ?? [];
  const top = (statistics['top_values'] as Record<string, { value: PlainValue; count: PlainValue }[]> | undefined) ?? {};
  const lines = [
    '## Statistics',
    '',
    mdTable(['column', 'type', 'role', 'distinct', 'null %', 'min', 'max', 'mean'], columns.map((c) => [c['column'], c['type'], c['role'], distinctCell(c), c['null_percentage'], c['min'], c['max'], c['mean']])),
  ];
  const entries = Object.entries(top);
  if (entries.length > 0) {
    lines.push('Most frequent values:', '', mdTable(['column', 'top values'], entries.map(([column, values]) => [column, values.map((v) => `${plainText(v.value)} (${plainText(v.count)})`).join(', ')])));
  }
  return lines;
}

function planSection(model: ReportModel): string[] {
  const lines = ['## The plan that ran', ''];
  const stepByNode = new Map(model.steps.map((s) => [s.node, s]));
  const rows = model.stages.flatMap((stage) =>
    stage.nodes.map((node) => {
      const step = stepByNode.get(node);
      return [stage.index + 1, stage.mode, node, model.components[node] ?? '', step?.status ?? 'running', step === undefined ? '' : formatMs(step.durationMs), step?.summary ?? ''];
    }),
  );
  lines.push(mdTable(['stage', 'mode', 'step', 'component', 'status', 'time', 'result'], rows));
  if (model.unavailable.length > 0) {
    lines.push('Not covered by this version:', '', ...model.unavailable.map((u) => `- ${mdCell(u.capability)} (wanted by ${mdCell(u.wanted_by)}): ${mdCell(u.reason, 300)}`), '');
  }
  lines.push(`Run ${mdCell(model.runId)}${model.sessionId === null ? '' : `, session ${mdCell(model.sessionId)}`}.`);
  return lines;
}

function pct1(value: unknown): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '';
}
