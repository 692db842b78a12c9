// analysis.patterns on a measure with two modes: a robust z-score assumes one, so a web log's response sizes
// (redirects of a few hundred bytes, pages of tens of KB) had a third or more of their rows "past the threshold" (the
// acunetix scan log of ../shared/data: 2,481 of 6,539 rows flagged outlier:bytes). Such a column reports no
// outliers and is named in the summary; a one-mode column of the same table still reports its planted outlier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, findingsOf } from '../../helpers/component-harness.js';
import { runPatterns } from './pattern-fixtures.js';

let harness: ComponentHarness;
let dataset: DatasetHandle;
let output: ComponentOutput;
let labels: Map<string, number>;

beforeAll(async () => {
  harness = await ComponentHarness.open();
  // 3,000 requests: every third answered with a ~300-byte redirect, the others with a ~20 KB page (small, steady
  // spreads around each), and a duration of 40-136 ms with one request of 90 s.
  dataset = await harness.table(
    'requests',
    `SELECT TIMESTAMPTZ '2026-03-02 08:00:00+00' + to_seconds(i) AS timestamp, '10.0.0.' || (i % 7) AS client_ip,
            CASE WHEN i % 3 = 0 THEN 300 + i % 17 ELSE 20000 + (i * 37) % 900 END AS bytes,
            CASE WHEN i = 1234 THEN 90000 ELSE 40 + (i * 13) % 97 END AS duration_ms
     FROM range(3000) AS r(i)`,
  );
  output = await runPatterns(harness, dataset, { detectors: ['outliers', 'entity_outliers'] });
  const rows = await harness.sql.all(`SELECT label, count(*) AS n FROM "${findingsOf(output).table}" GROUP BY label`);
  labels = new Map(rows.map((r) => [plainText(r['label']), Number(r['n'])]));
}, 60_000);

afterAll(async () => {
  await harness.close();
});

describe('analysis.patterns on a measure with two modes', () => {
  it('reports no outlier of the two-mode column, and names it with its share past the threshold', () => {
    expect(labels.get('outlier:bytes')).toBeUndefined();
    expect(labels.get('entity-outlier:bytes')).toBeUndefined();
    const skipped = output.summary?.['outlier_columns_skipped'] as { column: string; kind: string; share_past_threshold: number }[];
    expect(skipped.map((s) => [s.column, s.kind])).toEqual([['bytes', 'outlier']]);
    expect(skipped[0]?.share_past_threshold).toBeGreaterThan(0.3);
  });

  it('still reports the planted outlier of the one-mode column', () => {
    expect(labels.get('outlier:duration_ms')).toBe(1);
    expect(dataset.columns.find((c) => c.name === 'bytes')?.role).toBe('measure');
  });
});
