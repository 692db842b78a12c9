// Renders every chart the report's data calls for, each inside a <figure data-chart="name"> with a caption; a chart
// whose data is absent is null and its figure is left out.
import type { ReportModel } from '../report-model.js';
import type { QualityReport } from '../report-quality.js';
import type { Timeline } from '../report-series.js';
import { entitiesChart } from './charts/entities-chart.js';
import { qualityChart } from './charts/quality-chart.js';
import { tacticsChart } from './charts/tactics-chart.js';
import { threatLevelChart } from './charts/threat-level-chart.js';
import { timelineChart } from './charts/timeline-chart.js';
import { html, trustedMarkup, type Markup } from './html.js';
import { renderChartSvg, type ChartSpec } from './render-chart.js';

export const CHART_NAMES = ['threat-levels', 'timeline', 'entities', 'tactics', 'quality'] as const;
export type ChartName = (typeof CHART_NAMES)[number];
export type ReportCharts = Readonly<Record<ChartName, Markup | null>>;

export interface RenderedCharts {
  readonly charts: ReportCharts;
  /** Wall-clock milliseconds spent compiling and rendering, for the step's log. */
  readonly renderMs: number;
  readonly warnings: readonly string[];
}

async function figure(name: ChartName, spec: ChartSpec | null, caption: string, warnings: string[]): Promise<Markup | null> {
  if (spec === null) return null;
  let svg: string;
  try {
    svg = await renderChartSvg(spec, warnings);
  } catch (error) {
    // One chart that cannot be drawn must not cost the analyst the whole report: it is left out and logged.
    warnings.push(`chart ${name} not drawn: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  return html`<figure class="chart" data-chart="${name}">${trustedMarkup(svg)}<figcaption class="caption">${caption}</figcaption></figure>`;
}

export async function renderReportCharts(model: ReportModel, quality: QualityReport | null): Promise<RenderedCharts> {
  const started = performance.now();
  const warnings: string[] = [];
  const none = model.byLevel?.['none'] ?? 0;
  const tacticNames = new Map((model.attack?.by_tactic ?? []).map((t) => [t.tactic, t.name]));
  const charts: ReportCharts = {
    'threat-levels': await figure('threat-levels', threatLevelChart(model.byLevel), `${none.toLocaleString('en-US')} rows carry no signal and are not drawn.`, warnings),
    timeline: await figure('timeline', timelineChart(model.timeline), timelineCaption(model.timeline), warnings),
    entities: await figure('entities', entitiesChart(model.entities), 'The busiest values of each address, user and host column; red: rows with a threat signal.', warnings),
    tactics: await figure('tactics', tacticsChart(model.tactics, tacticNames), 'A row mapped to techniques of two tactics counts in both.', warnings),
    quality: await figure('quality', qualityChart(quality?.columns ?? []), 'Worst columns first; validity is drawn for columns with a rule for their role.', warnings),
  };
  return { charts, renderMs: performance.now() - started, warnings };
}

/** The data's real first and last event, then the bars: they start on the clock, the first a little before the data. */
function timelineCaption(timeline: Timeline | null): string {
  if (timeline === null) return '';
  return `From the first event at ${timeline.first} to the last at ${timeline.last}; one bar per ${timeline.bucket}, the first from ${timeline.points[0]?.start ?? ''}.`;
}
