// The report names what the Sigma rules fired on: a Detections section (rule, level, rows, techniques, the most severe
// first) in the HTML and the Markdown report, from the Acunetix attack lines read as an access log.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigmaAnalysis } from '../../../src/components/analysis/sigma.js';
import { reportExport } from '../../../src/components/export/report.js';
import { logImport } from '../../../src/components/import/log.js';
import { enrichment } from '../../../src/components/processing/enrich.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

const ATTACKS = resolve(import.meta.dirname, '..', '..', 'fixtures', 'import', 'web-logs', 'acunetix-attacks.txt');
const EXPECTED = [
  ['Cross Site Scripting Strings', 'high', '2', 'T1189'],
  ['SQL Injection Strings In URI', 'high', '2', 'T1190'],
  ['Server Side Template Injection Strings', 'high', '2', 'T1221'],
  ['Path Traversal Exploitation Attempts', 'medium', '2', 'T1190'],
];

describe('export.report detections', () => {
  let harness: ComponentHarness;
  let html: string;
  let markdown: string;

  beforeAll(async () => {
    harness = await ComponentHarness.open();
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: [ATTACKS] }, { node: 'import' }));
    const sigma = await harness.run(sigmaAnalysis, { datasets: [dataset] }, {}, { node: 'sigma' });
    const findings = [findingsOf(sigma)];
    const enriched = await harness.run(enrichment, { datasets: [dataset], findings }, {}, { node: 'enrich' });
    for (const file of ['report.html', 'report.md']) {
      await harness.run(reportExport, { datasets: [datasetOf(enriched)], findings }, { output: 'report', file, title: 'Web attacks' }, { node: 'export-report' });
    }
    html = await readFile(join(harness.outputDir, 'report.html'), 'utf8');
    markdown = await readFile(join(harness.outputDir, 'report.md'), 'utf8');
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  it('lists each rule that fired with its level, rows and techniques, the most severe first (Markdown)', () => {
    const start = markdown.indexOf('## Detections');
    expect(start).toBeGreaterThan(0);
    const table = markdown.slice(start).split('\n').filter((l) => l.startsWith('| ')).slice(0, 2 + EXPECTED.length);
    expect(table[0]).toBe('| rule | level | rows | techniques |');
    expect(table[1]).toBe('| --- | --- | --- | --- |');
    expect(table.slice(2).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()))).toEqual(EXPECTED);
  });

  it('has the same section in the HTML report, linked from its contents', () => {
    const section = /<section id="detections">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    const cells = [...section.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(EXPECTED.flat());
    expect(html).toContain('<a href="#detections">Detections</a>');
  });
});
