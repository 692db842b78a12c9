// Chart: rows per threat level, the levels with a signal only ("none" dwarfs them and is stated beside the chart).
import type { ChartSpec } from '../render-chart.js';

export const LEVEL_COLOURS: Readonly<Record<string, string>> = { critical: '#b42318', high: '#e8590c', medium: '#d29b00', low: '#5b8fd6' };
const LEVELS = ['critical', 'high', 'medium', 'low'];

export function threatLevelChart(byLevel: Readonly<Record<string, number>> | null): ChartSpec | null {
  if (byLevel === null) return null;
  const values = LEVELS.map((level) => ({ level, rows: byLevel[level] ?? 0 }));
  if (values.every((v) => v.rows === 0)) return null;
  return {
    width: 240,
    height: 140,
    title: { text: 'Rows by threat level' },
    data: { values },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'level', type: 'nominal', sort: LEVELS, title: null },
      x: { field: 'rows', type: 'quantitative', title: 'rows', axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'level', type: 'nominal', scale: { domain: LEVELS, range: LEVELS.map((l) => LEVEL_COLOURS[l] ?? '#888') }, legend: null },
    },
  };
}
