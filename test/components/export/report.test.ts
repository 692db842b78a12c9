import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import { statisticsAnalysis } from '../../../src/components/analysis/statistics.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import { reportExport } from '../../../src/components/export/report.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { plainText } from '../../../src/data/plain-value.js';
import { enrichment } from '../../../src/components/processing/enrich.js';
import { qualityCheck } from '../../../src/components/validation/quality.js';
import { ComponentHarness, datasetOf, findingsOf, summaryOf } from '../../helpers/component-harness.js';

// The fixture has 8 rows, under the 50 from which values can be rare by default: its one POST is the anomaly shown.
const RARE_IN_EIGHT_ROWS = { rare_min_rows: 8 };

const SECTIONS = ['## Summary', '### Over time', '## Top findings', '## Top talkers and entities', '## Indicator hits', '## Anomalies and patterns', '## Data quality', '## Statistics', '## The plan that ran'];

/** Pipes that separate cells: a `|` not escaped with a backslash. */
const cellSeparators = (line: string): number => (line.match(/(?<!\\)\|/g) ?? []).length;

/** The lines of the Markdown table that follows a heading. */
function tableAfter(text: string, heading: string): string[] {
  const start = text.indexOf(heading);
  const lines = text.slice(start).split('\n').slice(1);
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rest = lines.slice(first);
  const end = rest.findIndex((l) => !l.startsWith('|'));
  return end === -1 ? rest : rest.slice(0, end);
}

describe('export.report (Markdown)', () => {
  let harness: ComponentHarness;
  let output: ComponentOutput;
  let quality: ComponentOutput;
  let text: string;

  // The proxy log goes through the same steps as in a planned run, under the plan's node ids.
  beforeAll(async () => {
    harness = await ComponentHarness.open();
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['proxy-hostile.csv'], delimiter: ',' }, { node: 'import' }));
    quality = await harness.run(qualityCheck, { datasets: [dataset] }, {}, { node: 'quality' });
    const statistics = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {}, { node: 'statistics' });
    const patterns = await harness.run(patternAnalysis, { datasets: [dataset] }, RARE_IN_EIGHT_ROWS, { node: 'patterns' });
    const iocs = await harness.run(iocMatch, { datasets: [dataset] }, {}, { node: 'ioc-match' });
    const findings = [findingsOf(patterns), findingsOf(iocs)];
    const enriched = await harness.run(enrichment, { datasets: [dataset], findings }, {}, { node: 'enrich' });
    output = await harness.run(
      reportExport,
      {
        datasets: [datasetOf(enriched)],
        findings,
        summaries: [summaryOf(qualityCheck, quality, 'quality'), summaryOf(statisticsAnalysis, statistics, 'statistics'), summaryOf(patternAnalysis, patterns, 'patterns'), summaryOf(iocMatch, iocs, 'ioc-match'), summaryOf(enrichment, enriched, 'enrich')],
      },
      { output: 'threat_report', file: 'threat_report.md', title: 'Proxy threat report' },
      { node: 'export-threat_report' },
    );
    text = await readFile(join(harness.outputDir, 'threat_report.md'), 'utf8');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('writes the report file it reports, and nothing else', async () => {
    const path = join(harness.outputDir, 'threat_report.md');
    expect(output.files).toEqual([{ output: 'threat_report', path, format: 'md', bytes: (await stat(path)).size, rows: null }]);
    expect(await readdir(harness.outputDir)).toEqual(['threat_report.md']);
    expect(text.startsWith('# Proxy threat report\n')).toBe(true);
  });

  it('has every section whose data exists, in order', () => {
    const positions = SECTIONS.map((s) => text.indexOf(`\n${s}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('- **Asked:** Analyze this CSV for security threats and export enriched data');
    expect(text).toContain('- **Rows:** 8');
  });

  it('lists the indicator rows as top findings and the feeds that hit', () => {
    const top = tableAfter(text, '## Top findings');
    // method: the column the strongest pattern finding names (a rare method), shown beside the roles' columns.
    expect(top[0]).toBe('| row | timestamp | client\\_ip | user | url | method | score | level | indicators | anomalies |');
    const vman = top.find((l) => l.includes('http://vman23.com/ba21/admin.php'));
    expect(vman).toMatch(/^\| 2 \|/);
    expect(vman).toContain('url:http://vman23.com/ba21/admin.php');
    expect(top.find((l) => l.includes('lojalstil.mk'))).toMatch(/^\| 3 \|/);

    const hits = tableAfter(text, '## Indicator hits');
    expect(hits).toContainEqual('| viriback | url | 2 | 2 | Pony |');
  });

  it('shows anomalies, data quality and the plan that ran', () => {
    expect(tableAfter(text, '## Anomalies and patterns')).toContainEqual(expect.stringMatching(/^\| rare:method \| 1 \| 10(\.0)? \|$/));
    expect(text).toContain(`Score **${plainText(quality.summary?.['score'])}/100**`);
    const plan = tableAfter(text, '## The plan that ran');
    expect(plan).toContainEqual(expect.stringMatching(/^\| 1 \| sequential \| import \| import\.csv \| completed \| \d+ ms \| 8 rows, 6 columns/));
    // Each of the two admin.php URLs is a listed URL, and its host is also a listed domain: two hits per row.
    expect(plan).toContainEqual(expect.stringMatching(/^\| 2 \| parallel \| ioc-match \| intel\.ioc-match \| completed \| \d+ ms \| 4 indicator hits on 2 rows/));
    // The report itself is still running while it is written.
    expect(plan).toContainEqual(expect.stringMatching(/^\| 4 \| parallel \| export-threat\\_report \| export\.report \| running \| {2}\|/));
  });

  it('has the tables the HTML report draws as charts: events over time and the top entities', () => {
    // 08:00:12 to 08:41:27: 42 one-minute buckets; the three rows with a signal, each alone in its minute.
    expect(text).toContain(
      'Events in timestamp (UTC): the first at 2026-03-02T08:00:12Z, the last at 2026-03-02T08:41:27Z, counted in 42 buckets of one minute from 2026-03-02T08:00:00Z. The busiest bucket starts 2026-03-02T08:00:00Z and holds 1 event.',
    );
    expect(tableAfter(text, '### Over time')).toEqual([
      '| bucket start | events | rows with a signal |',
      '| --- | --- | --- |',
      '| 2026-03-02T08:03:00Z | 1 | 1 |',
      '| 2026-03-02T08:07:00Z | 1 | 1 |',
      '| 2026-03-02T08:15:00Z | 1 | 1 |',
    ]);
    const users = tableAfter(text, 'Most rows in **user** (user):');
    expect(users[0]).toBe('| value | rows | rows with a signal | max score |');
    expect(users).toHaveLength(2 + 8);
    // Every user made one request; the two with listed URLs are scored high (78).
    expect(users).toContainEqual('| &lt;script&gt;alert(1)&lt;/script&gt; | 1 | 1 | 78 |');
    expect(users).toContainEqual('| kira.rossi | 1 | 0 | 0 |');
  });

  it('escapes values from the data: no raw HTML, and a pipe does not split a table row', () => {
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const top = tableAfter(text, '## Top findings');
    const header = top[0] ?? '';
    const withPipe = top.find((l) => l.includes('a\\|b'));
    expect(withPipe).toBeDefined();
    expect(cellSeparators(withPipe ?? '')).toBe(cellSeparators(header));
    for (const line of top) expect(cellSeparators(line)).toBe(cellSeparators(header));
  });
});

describe('export.report without analyses', () => {
  it('leaves out the sections that have no data', async () => {
    const harness = await ComponentHarness.open();
    try {
      const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['transfers.csv'] }));
      await harness.run(reportExport, { datasets: [dataset] }, { output: 'quality_report', file: 'quality_report.md' });
      const text = await readFile(join(harness.outputDir, 'quality_report.md'), 'utf8');

      expect(text).toContain('\n## Summary\n');
      expect(text).toContain('\n## The plan that ran\n');
      for (const absent of ['## Top findings', '## Indicator hits', '## Anomalies and patterns', '## Data quality', '## Statistics']) expect(text).not.toContain(absent);
    } finally {
      await harness.close();
    }
  });
});
