// The report's "Over time" sentence is English and tells the data's real span: the first and the last event, then the
// buckets, which start on the clock. Buckets longer than a day start at midnight UTC of the first event's day: counted
// from 1970, 41-week buckets over data from 2024-03-01 started on 2023-06-08, a date the reader took for the data's.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportExport } from '../../../src/components/export/report.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness } from '../../helpers/component-harness.js';

/** A log from 2024-03-01 with one event stamped 2099 (a clock gone wrong): 75 years, so buckets of 41 weeks. */
const LONG_SPAN = `SELECT * FROM (VALUES
  (TIMESTAMPTZ '2024-03-01 08:14:05+00', '10.20.11.87'),
  (TIMESTAMPTZ '2024-12-20 10:00:00+00', '10.20.11.87'),
  (TIMESTAMPTZ '2024-12-21 10:00:00+00', '10.20.12.30'),
  (TIMESTAMPTZ '2025-01-05 10:00:00+00', '10.20.12.30'),
  (TIMESTAMPTZ '2099-02-20 00:00:00+00', '10.20.13.5')
) AS t("timestamp", src_ip)`;

describe('the report over time', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeAll(async () => {
    harness = await ComponentHarness.open();
    dataset = await harness.table('long_span', LONG_SPAN);
  });
  afterAll(async () => {
    await harness.close();
  });

  it('says in Markdown when the data starts and ends, and how the buckets lie, none before the first day', async () => {
    await harness.run(reportExport, { datasets: [dataset] }, { output: 'threat_report', file: 'threat_report.md' });
    const text = await readFile(join(harness.outputDir, 'threat_report.md'), 'utf8');

    expect(text).toContain(
      'Events in timestamp (UTC): the first at 2024-03-01T08:14:05Z, the last at 2099-02-20T00:00:00Z, counted in 96 buckets of 41 weeks from 2024-03-01T00:00:00Z. The busiest bucket starts 2024-12-13T00:00:00Z and holds 3 events.',
    );
    expect(text).not.toContain('of one 41');
    const starts = [...text.matchAll(/^\| (\d{4}-\d\d-\d\dT[^ ]+) \|/gm)].map((m) => m[1] ?? '');
    expect(starts).toEqual(['2024-03-01T00:00:00Z', '2024-12-13T00:00:00Z', '2098-10-24T00:00:00Z']);
  });

  it('captions the HTML chart with the same span', async () => {
    await harness.run(reportExport, { datasets: [dataset] }, { output: 'threat_report', file: 'threat_report.html' });
    const page = await readFile(join(harness.outputDir, 'threat_report.html'), 'utf8');
    const caption = /<figure class="chart" data-chart="timeline">.*?<figcaption class="caption">(.*?)<\/figcaption>/s.exec(page)?.[1];

    expect(caption).toBe('From the first event at 2024-03-01T08:14:05Z to the last at 2099-02-20T00:00:00Z; one bar per 41 weeks, the first from 2024-03-01T00:00:00Z.');
  });
});
