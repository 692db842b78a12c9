// Chart: events per time bucket, and below on the same time axis the rows with a threat signal, so a burst of
// findings can be read against the traffic around it. Each bar spans its bucket (x to x2), whatever the bucket size,
// and rises from 0 (y2): with a ranged x, Vega-Lite would otherwise draw a bar only a few pixels high.
import type { Timeline } from '../../report-series.js';
import type { ChartSpec } from '../render-chart.js';

const WIDTH = 560;

export function timelineChart(timeline: Timeline | null): ChartSpec | null {
  if (timeline === null || timeline.points.length < 2) return null;
  const values = timeline.points.map((p) => ({ start: p.start, end: new Date(Date.parse(p.start) + timeline.bucketSeconds * 1000).toISOString(), events: p.events, flagged: p.flagged }));
  const x = { field: 'start', type: 'temporal', scale: { type: 'utc' }, title: `${timeline.column} (UTC, per ${timeline.bucket})` } as const;
  const events = {
    width: WIDTH,
    height: 110,
    title: { text: 'Events over time' },
    mark: { type: 'bar', color: '#5b7fa6' },
    encoding: { x: { ...x, axis: { title: null, labels: false } }, x2: { field: 'end' }, y: { field: 'events', type: 'quantitative', title: 'events' }, y2: { datum: 0 } },
  } as const;
  if (timeline.points.every((p) => p.flagged === null)) return { data: { values }, vconcat: [{ ...events, encoding: { ...events.encoding, x } }] };
  const flagged = {
    width: WIDTH,
    height: 70,
    title: { text: 'Rows with a threat signal' },
    mark: { type: 'bar', color: '#b42318' },
    encoding: { x, x2: { field: 'end' }, y: { field: 'flagged', type: 'quantitative', title: 'flagged', axis: { tickMinStep: 1, format: 'd' } }, y2: { datum: 0 } },
  } as const;
  return { data: { values }, vconcat: [events, flagged], spacing: 6 };
}
