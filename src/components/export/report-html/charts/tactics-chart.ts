// Chart: rows per ATT&CK tactic (a row mapped to two tactics counts in both), most first, named as in the matrix.
import type { TacticCount } from '../../report-series.js';
import type { ChartSpec } from '../render-chart.js';

export function tacticsChart(tactics: readonly TacticCount[], names: ReadonlyMap<string, string>): ChartSpec | null {
  if (tactics.length === 0) return null;
  const values = tactics.map((t) => ({ tactic: names.get(t.tactic) ?? t.tactic, rows: t.rows }));
  return {
    width: 360,
    height: { step: 18 },
    title: { text: 'Rows per ATT&CK tactic' },
    data: { values },
    mark: { type: 'bar', color: '#6f42c1', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'tactic', type: 'nominal', sort: values.map((v) => v.tactic), title: null, axis: { labelLimit: 200 } },
      x: { field: 'rows', type: 'quantitative', title: 'rows', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
}
