// A text-mode classification's report names its text column as the model's input and never among the
// columns not used as features (the phishing URLs are id-like as a tabular feature, and were listed as both).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportExport } from '../../../src/components/export/report.js';
import { classification } from '../../../src/components/processing/classify.js';
import { readClassifySummary } from '../../../src/components/processing/classify-report-section.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf, summaryOf } from '../../helpers/component-harness.js';

/** 80 distinct URLs, phishing ones with lure words and odd hosts, as in the phishing dataset's url,status. */
const URLS = `SELECT CASE WHEN i % 2 = 0
    THEN 'http://' || ['secure-login', 'account-verify', 'paypal-update', 'bank-confirm'][1 + i % 4] || i::VARCHAR || '.' || ['tk', 'ml', 'xyz', 'top'][1 + (i // 2) % 4] || '/signin/verify.php?id=' || i::VARCHAR
    ELSE 'https://www.' || ['wikipedia', 'github', 'bbc', 'python', 'mozilla'][1 + i % 5] || '.org/wiki/page' || i::VARCHAR END AS url,
  CASE WHEN i % 2 = 0 THEN 'phishing' ELSE 'legitimate' END AS status
  FROM range(80) r(i)`;

describe('text-mode classification report', () => {
  let harness: ComponentHarness;
  let urls: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    urls = await harness.table('urls', URLS);
  });
  afterEach(async () => {
    await harness.close();
  });

  it('says the model reads url, and lists url nowhere as unused, in Markdown and HTML', async () => {
    const output = await harness.run(classification, { datasets: [urls] }, { label: 'status' });
    expect(output.summary?.['mode']).toBe('text');
    expect(output.summary?.['features']).toEqual(['url']);
    expect(readClassifySummary(output.summary)?.excluded.map((e) => e.column)).not.toContain('url');
    // The step's own summary (and the session log) agree with the report.
    expect((output.summary?.['excluded'] as { column: string }[]).map((e) => e.column)).not.toContain('url');

    const inputs = { datasets: [datasetOf(output)], summaries: [summaryOf(classification, output)] };
    await harness.run(reportExport, inputs, { output: 'threat_report', file: 'threat_report.md' });
    await harness.run(reportExport, inputs, { output: 'threat_report', file: 'threat_report.html' });
    const markdown = await readFile(join(harness.outputDir, 'threat_report.md'), 'utf8');
    const ml = markdown.slice(markdown.indexOf('## ML classification'));
    expect(ml).toContain('TF-IDF and naive Bayes on url predict status for 80 rows');
    expect(ml).not.toMatch(/^\| url \|/m);
    const page = await readFile(join(harness.outputDir, 'threat_report.html'), 'utf8');
    const section = page.slice(page.indexOf('<section id="classification">'), page.indexOf('</section>', page.indexOf('<section id="classification">')));
    expect(section).toContain('TF-IDF and naive Bayes on <code>url</code>');
    expect(section).not.toMatch(/<td>url<\/td>/);
  });

  it('keeps the columns really left out', () => {
    const summary = readClassifySummary({
      mode: 'text', rows: 10, label: 'status', features: ['url'], model: null, model_loaded: false, labelled_rows: 10, majority_rate: 0.5, cv: null, anomalies: null, top_anomaly_score: null,
      excluded: [
        { column: 'url', reason: 'id-like', detail: '10 distinct values in 10 rows' },
        { column: 'status', reason: 'label', detail: 'the column to predict' },
      ],
    });
    expect(summary?.excluded).toEqual([{ column: 'status', reason: 'label', detail: 'the column to predict' }]);
  });
});
