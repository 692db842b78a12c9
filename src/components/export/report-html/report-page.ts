// The self-contained HTML report: one file, inline CSS and SVG, no script, no font or image to fetch; the only links
// go to technique pages on attack.mitre.org and to the other files of the same run, relative to the report.
import type { ReportModel } from '../report-model.js';
import type { QualityReport } from '../report-quality.js';
import { attackSection } from './attack-section.js';
import { classifySection } from './classify-section.js';
import { qualitySection, statisticsSection } from './data-sections.js';
import { anomaliesSection, detectionsSection, entitiesSection, indicatorSection, topFindingsSection } from './findings-sections.js';
import { html, trustedMarkup, type Markup } from './html.js';
import { PAGE_STYLE } from './page-style.js';
import type { ReportCharts } from './report-charts.js';
import { pageFooter, planSection } from './run-section.js';
import { summarySection } from './summary-section.js';

export interface HtmlReportInput {
  readonly model: ReportModel;
  readonly title: string;
  readonly charts: ReportCharts;
  readonly quality: QualityReport | null;
  /** When the page was made, ISO; passed in so the page is a function of its inputs. */
  readonly generatedAt: string;
}

const SECTION_TITLES: Readonly<Record<string, string>> = {
  summary: 'Summary',
  'top-findings': 'Top findings',
  entities: 'Entities',
  indicators: 'Indicator hits',
  detections: 'Detections',
  anomalies: 'Anomalies',
  attack: 'ATT&CK',
  classification: 'ML classification',
  quality: 'Data quality',
  statistics: 'Statistics',
  plan: 'Plan',
};

export function renderHtmlReport(input: HtmlReportInput): string {
  const { model, charts } = input;
  const sections: (Markup | string)[] = [
    summarySection(model, charts),
    topFindingsSection(model),
    entitiesSection(model, charts),
    indicatorSection(model),
    detectionsSection(model),
    anomaliesSection(model),
    attackSection(model.attack, charts),
    classifySection(model.summaries['processing.classify']),
    qualitySection(input.quality, charts),
    statisticsSection(model.summaries['analysis.statistics']),
    planSection(model),
  ];
  const present = sections.filter((s): s is Markup => s !== '');
  const ids = present.map((s) => /^<section id="([a-z-]+)"/.exec(s.toString())?.[1]).filter((id): id is string => id !== undefined);
  const toc = ids.map((id) => html`<a href="#${id}">${SECTION_TITLES[id] ?? id}</a>`);
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="CS Helper">
<title>${input.title}</title>
<style>${trustedMarkup(PAGE_STYLE)}</style>
</head><body><main>
<header class="page"><h1>${input.title}</h1><div class="muted">${model.files.join(', ')} · ${model.rows.toLocaleString('en-US')} rows · ${input.generatedAt}</div><nav class="toc">${toc}</nav></header>
${present}
${pageFooter(model, input.generatedAt)}
</main></body></html>
`;
  return page.toString();
}
