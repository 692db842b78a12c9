// Chart: the busiest addresses, users and hosts, one small bar chart per column, each bar split into the rows with a
// threat signal (red) and the rest, so a talker that is both busy and flagged stands out.
import type { EntityColumn } from '../../report-series.js';
import type { ChartSpec } from '../render-chart.js';

/** Bars per column in the chart; the tables list the same values with their counts. */
const BARS = 8;

export function entitiesChart(entities: readonly EntityColumn[]): ChartSpec | null {
  if (entities.length === 0) return null;
  // Unscored data (no enrichment ran) has no signal to split by: plain bars, no legend.
  const scored = entities.some((e) => e.byEvents.some((c) => c.flagged !== null));
  const domain = scored ? ['with a threat signal', 'other rows'] : ['rows'];
  const charts = entities.map((entity) => {
    const top = entity.byEvents.slice(0, BARS);
    const values = top.flatMap((e) =>
      scored
        ? [
            { value: e.value, part: 'with a threat signal', rows: e.flagged ?? 0 },
            { value: e.value, part: 'other rows', rows: e.events - (e.flagged ?? 0) },
          ]
        : [{ value: e.value, part: 'rows', rows: e.events }],
    );
    return {
      width: 260,
      height: { step: 14 },
      title: { text: `Top ${entity.column} (${entity.role})`, fontSize: 12 },
      data: { values },
      mark: { type: 'bar' as const },
      encoding: {
        y: { field: 'value', type: 'nominal' as const, sort: top.map((e) => e.value), title: null, axis: { labelLimit: 160 } },
        x: { field: 'rows', type: 'quantitative' as const, stack: 'zero' as const, title: 'rows' },
        color: {
          field: 'part',
          type: 'nominal' as const,
          scale: { domain, range: scored ? ['#b42318', '#9db4cf'] : ['#5b7fa6'] },
          legend: scored ? { orient: 'bottom' as const, title: null, labelLimit: 240 } : null,
        },
        order: { field: 'part', sort: 'descending' as const },
      },
    };
  });
  return { concat: charts, columns: 2, spacing: 24, resolve: { scale: { color: 'shared' } } };
}
