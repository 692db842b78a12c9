// Chart: events per time bucket, and below on the same time axis the rows with a threat signal, so a burst of
// findings can be read against the traffic around it. Each bar spans its bucket (x to x2), whatever the bucket size,
// and rises from 0 (y2): with a ranged x, Vega-Lite would otherwise draw a bar only a few pixels high.
import type { Timeline } from '../../report-series.js';
import type { ChartSpec } from '../render-chart.js';

const WIDTH = 560;

/**
 * Axis labels on a 24-hour clock, as logs write times: Vega's default labels a minute tick `%I:%M`, a 12-hour clock
 * without AM or PM, so 13:11 read as 01:11. Each tick is labelled by the finest unit it falls on.
 */
const TIME_LABELS = { year: '%Y', quarter: '%b %Y', month: '%b %Y', week: '%b %d', date: '%b %d', hours: '%H:00', minutes: '%H:%M', seconds: ':%S', milliseconds: '.%L' };

export function timelineChart(timeline: Timeline | null): ChartSpec | null {
  if (timeline === null || timeline.points.length < 2) return null;
  const values = timeline.points.map((p) => ({ start: p.start, end: new Date(Date.parse(p.start) + timeline.bucketSeconds * 1000).toISOString(), events: p.events, flagged: p.flagged }));
  const x = { field: 'start', type: 'temporal', scale: { type: 'utc' }, axis: { format: TIME_LABELS }, title: `${timeline.column} (UTC, per ${timeline.bucket})` } as const;
  const events = {
    width: WIDTH,
    height: 110,
    title: { text: 'Events over time' },
    mark: { type: 'bar', color: '#5b7fa6' },
    encoding: { x: { ...x, axis: { ...x.axis, title: null, labels: false } }, x2: { field: 'end' }, y: { field: 'events', type: 'quantitative', title: 'events' }, y2: { datum: 0 } },
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
