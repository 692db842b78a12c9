// Chart: completeness and validity per column, worst first, so the columns to distrust are at the top.
import type { QualityColumn } from '../../report-quality.js';
import type { ChartSpec } from '../render-chart.js';

/** Columns charted; the quality table lists the same worst ones. */
export const QUALITY_CHART_COLUMNS = 20;

export function qualityChart(columns: readonly QualityColumn[]): ChartSpec | null {
  if (columns.length === 0) return null;
  const shown = columns.slice(0, QUALITY_CHART_COLUMNS);
  const values = shown.flatMap((c) => [
    { column: c.column, measure: 'completeness', share: c.completeness },
    ...(c.validity === null ? [] : [{ column: c.column, measure: 'validity', share: c.validity }]),
  ]);
  return {
    width: 360,
    height: { step: 10 },
    title: { text: 'Quality by column' },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'column', type: 'nominal', sort: shown.map((c) => c.column), title: null, axis: { labelLimit: 180 } },
      yOffset: { field: 'measure', type: 'nominal' },
      x: { field: 'share', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: { field: 'measure', type: 'nominal', scale: { domain: ['completeness', 'validity'], range: ['#5b7fa6', '#2f9e6e'] }, legend: { orient: 'bottom', title: null } },
    },
  };
}
