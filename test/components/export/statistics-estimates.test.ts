// Both reports mark a distinct count the statistics step estimated (a table over its exact_max_rows) with `≈`, and
// show exact ones as they are.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statisticsAnalysis } from '../../../src/components/analysis/statistics.js';
import { reportExport } from '../../../src/components/export/report.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, summaryOf } from '../../helpers/component-harness.js';

describe('the statistics section of the reports', () => {
  let harness: ComponentHarness;
  let events: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    events = await harness.table('events', `SELECT 'proto' || (i % 7)::VARCHAR AS proto, i AS bytes FROM range(200) r(i)`);
  });
  afterEach(async () => {
    await harness.close();
  });

  async function reports(params: Record<string, unknown>): Promise<{ markdown: string; html: string }> {
    const statistics = await harness.run(statisticsAnalysis, { datasets: [events] }, params);
    const inputs = { datasets: [events], summaries: [summaryOf(statisticsAnalysis, statistics)] };
    await harness.run(reportExport, inputs, { output: 'threat_report', file: 'threat_report.md' });
    await harness.run(reportExport, inputs, { output: 'threat_report', file: 'threat_report.html' });
    return { markdown: await readFile(join(harness.outputDir, 'threat_report.md'), 'utf8'), html: await readFile(join(harness.outputDir, 'threat_report.html'), 'utf8') };
  }

  it('shows the exact count as it is', async () => {
    const { markdown, html } = await reports({});
    expect(markdown).toMatch(/^\| proto \| VARCHAR \| [^|]* \| 7 \|/m);
    expect(html).not.toContain('≈');
  });

  it('marks an estimate with ≈ in Markdown and HTML', async () => {
    const { markdown, html } = await reports({ exact_max_rows: 100 });
    expect(markdown).toMatch(/^\| proto \| VARCHAR \| [^|]* \| ≈\d+ \|/m);
    expect(html).toMatch(/<td>≈\d+<\/td>/);
  });
});
