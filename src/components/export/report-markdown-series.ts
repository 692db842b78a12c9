// The Markdown report's tables for what the HTML report draws: events over time (the busiest buckets) and the top
// talkers and entities. Same model, same bounds; no charts.
import { formatCount, mdCell, mdTable } from './markdown.js';
import type { ReportModel } from './report-model.js';

/** Buckets listed: those with the most flagged rows (or events when nothing was scored), in time order. */
const TIMELINE_ROWS = 10;

export function timelineLines(model: ReportModel): string[] {
  const timeline = model.timeline;
  if (timeline === null || timeline.points.length === 0) return [];
  const scored = timeline.points.some((p) => p.flagged !== null);
  const weight = (p: (typeof timeline.points)[number]): number => (scored ? (p.flagged ?? 0) : p.events);
  const listed = [...timeline.points]
    .filter((p) => weight(p) > 0)
    .sort((a, b) => weight(b) - weight(a) || (a.start < b.start ? -1 : 1))
    .slice(0, TIMELINE_ROWS)
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  const start = timeline.points[0]?.start ?? '';
  const peak = timeline.points.reduce((best, p) => (p.events > best.events ? p : best), timeline.points[0] ?? { start: '', events: 0, flagged: null });
  const count = timeline.points.length;
  // The data's own first and last event, then the buckets: these start on the clock (a whole minute, hour, midnight UTC),
  // so the first one may start a little before the first event.
  const span = `Events in ${mdCell(timeline.column)} (UTC): the first at ${mdCell(timeline.first)}, the last at ${mdCell(timeline.last)}, counted in ${formatCount(count)} ${count === 1 ? 'bucket' : 'buckets'} of ${bucketWidthText(timeline.bucket)} from ${mdCell(start)}.`;
  const busiest = `The busiest bucket starts ${mdCell(peak.start)} and holds ${formatCount(peak.events)} ${peak.events === 1 ? 'event' : 'events'}.`;
  const lines = ['### Over time', '', `${span} ${busiest} ${scored ? 'The buckets with the most rows carrying a threat signal:' : 'The busiest buckets:'}`, ''];
  lines.push(mdTable(scored ? ['bucket start', 'events', 'rows with a signal'] : ['bucket start', 'events'], listed.map((p) => (scored ? [p.start, p.events, p.flagged] : [p.start, p.events]))));
  return lines;
}

/** A bucket's width after "of": "one minute", "one hour", "5 minutes", "41 weeks". */
export function bucketWidthText(bucket: string): string {
  return /^\d/.test(bucket) ? bucket : `one ${bucket}`;
}

export function entitiesLines(model: ReportModel): string[] {
  if (model.entities.length === 0) return [];
  const lines = ['## Top talkers and entities', ''];
  for (const entity of model.entities) {
    lines.push(`Most rows in **${mdCell(entity.column)}** (${mdCell(entity.role)}):`, '', mdTable(['value', 'rows', 'rows with a signal', 'max score'], entity.byEvents.map((e) => [e.value, e.events, e.flagged, e.maxScore])));
    if (entity.byScore.length > 0) {
      lines.push(`Highest threat score in **${mdCell(entity.column)}**:`, '', mdTable(['value', 'rows', 'rows with a signal', 'max score'], entity.byScore.map((e) => [e.value, e.events, e.flagged, e.maxScore])));
    }
  }
  return lines;
}
