// The report's charts are drawn without generating code: Vega's expressions run through vega-interpreter, so nothing
// in a chart (our specs, the data's values) is ever compiled with `Function`.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderChartSvg } from '../../../src/components/export/report-html/render-chart.js';
import { threatLevelChart } from '../../../src/components/export/report-html/charts/threat-level-chart.js';

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
