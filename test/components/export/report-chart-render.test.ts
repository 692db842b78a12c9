// The report's charts are drawn without generating code: Vega's expressions run through vega-interpreter, so nothing
// in a chart (our specs, the data's values) is ever compiled with `Function`.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderChartSvg } from '../../../src/components/export/report-html/render-chart.js';
import { threatLevelChart } from '../../../src/components/export/report-html/charts/threat-level-chart.js';
import { timelineChart } from '../../../src/components/export/report-html/charts/timeline-chart.js';

describe('report chart rendering', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('renders a chart to SVG with marks and never calls Function', async () => {
    const compiled = vi.spyOn(globalThis, 'Function');
    const spec = threatLevelChart({ critical: 3, high: 5, medium: 8, low: 13 });
    expect(spec).not.toBeNull();
    if (spec === null) return;
    const svg = await renderChartSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('mark-rect');
    expect(svg).toMatch(/aria-label="[^"]*critical/);
    expect(compiled).not.toHaveBeenCalled();
  });
});

describe('the timeline chart', () => {
  it('labels its time axis on a 24-hour clock in UTC', async () => {
    // The acunetix scan of ../shared/data ran from 13:11 to 13:41 UTC (the last minute ends at 13:42); Vega's default labels read 01:11 to 01:42.
    const points = Array.from({ length: 31 }, (_, i) => ({ start: new Date(Date.UTC(2016, 11, 22, 13, 11 + i)).toISOString(), events: 100 + i, flagged: i % 3 }));
    const spec = timelineChart({ column: 'timestamp', bucket: 'minute', bucketSeconds: 60, first: '2016-12-22T13:11:04Z', last: '2016-12-22T13:41:55Z', points });
    expect(spec).not.toBeNull();
    if (spec === null) return;
    const svg = await renderChartSvg(spec);
    const labels = [...svg.matchAll(/<text[^>]*>(\d\d:\d\d)<\/text>/g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.filter((l) => l === undefined || l < '13:11' || l > '13:42')).toEqual([]);
  });
});
