import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonExport } from '../../../src/components/export/json.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness } from '../../helpers/component-harness.js';

const ENRICHED_ROWS = `SELECT * FROM (VALUES
  (TIMESTAMPTZ '2026-03-02 08:14:05+00', '10.20.11.87', '103.82.243.5', 86, 'critical', ['ip:103.82.243.5'], []::VARCHAR[]),
  (TIMESTAMPTZ '2026-03-02 09:10:09+00', '10.20.11.87', '5.253.62.205', 88, 'critical', ['domain:unimasa.icu', 'ip:5.253.62.205'], ['outlier:bytes_sent']),
  (TIMESTAMPTZ '2026-03-02 09:20:55.5+00', '10.20.0.11', '168.61.173.149', 0, 'none', []::VARCHAR[], []::VARCHAR[])
) AS t("timestamp", src_ip, dst_ip, threat_score, threat_level, ioc_matches, anomaly_reasons)`;

const EXPECTED = [
  { timestamp: '2026-03-02T08:14:05Z', src_ip: '10.20.11.87', dst_ip: '103.82.243.5', threat_score: 86, threat_level: 'critical', ioc_matches: ['ip:103.82.243.5'], anomaly_reasons: [] },
  { timestamp: '2026-03-02T09:10:09Z', src_ip: '10.20.11.87', dst_ip: '5.253.62.205', threat_score: 88, threat_level: 'critical', ioc_matches: ['domain:unimasa.icu', 'ip:5.253.62.205'], anomaly_reasons: ['outlier:bytes_sent'] },
  { timestamp: expect.stringMatching(/^2026-03-02T09:20:55\.50*Z$/) as unknown, src_ip: '10.20.0.11', dst_ip: '168.61.173.149', threat_score: 0, threat_level: 'none', ioc_matches: [], anomaly_reasons: [] },
];

describe('export.json', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    dataset = await harness.table('enriched', ENRICHED_ROWS);
  });
  afterEach(async () => {
    await harness.close();
  });

  it('writes one array of objects; lists stay arrays and timestamps are ISO 8601 with Z', async () => {
    const output = await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.json' });
    const path = join(harness.outputDir, 'enriched_data.json');
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));

    expect(parsed).toEqual(EXPECTED);
    expect(output.files).toEqual([{ output: 'enriched_data', path, format: 'json', bytes: (await stat(path)).size, rows: 3 }]);
    expect(await readdir(harness.outputDir)).toEqual(['enriched_data.json']);
    expect(harness.log.dataOperations).toContainEqual(expect.objectContaining({ operation: 'write', target: path, rows: 3 }));
  });

  it('writes JSON Lines when lines is true: one object per line', async () => {
    const output = await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.jsonl', lines: true });
    const text = await readFile(join(harness.outputDir, 'enriched_data.jsonl'), 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');

    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(EXPECTED);
    expect(output.files?.[0]?.format).toBe('jsonl');
  });

  it('refuses an output file name with a folder part', async () => {
    await expect(harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: '/tmp/enriched_data.json' })).rejects.toThrow(/no folder part/);
    expect(await readdir(harness.outputDir)).toEqual([]);
  });
});
