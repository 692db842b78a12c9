// A column holding a list of times (`"seen": ["2024-01-01T00:00:00Z", ...]` in JSON) is a list, not a timestamp: the
// exports must not format it as one (a `microsecond()` of a TIMESTAMP[] list failed the whole export with a binder error).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { isTimestampType } from '../../../src/components/export/timestamp-text.js';
import { jsonImport } from '../../../src/components/import/json.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

describe('exports of a column of timestamp lists', () => {
  let folder: string;
  let harness: ComponentHarness;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cs-helper-timestamp-lists-'));
    await writeFile(join(folder, 'sightings.jsonl'), '{"src_ip":"10.0.0.1","seen":["2024-01-01T00:00:00","2024-01-02T10:30:00"]}\n{"src_ip":"10.0.0.2","seen":["2024-02-01T00:00:00"]}\n');
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('tells single timestamps from lists of them', () => {
    expect(['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_NS'].every(isTimestampType)).toBe(true);
    expect(['TIMESTAMP[]', 'TIMESTAMP WITH TIME ZONE[]', 'STRUCT(t TIMESTAMP)', 'DATE'].some(isTimestampType)).toBe(false);
  });

  it('writes the rows to JSON and CSV with every time of every list', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['sightings.jsonl'] }));
    expect(dataset.columns.find((c) => c.name === 'seen')?.sqlType).toMatch(/^TIMESTAMP.*\[\]$/);
    await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.json' });
    const rows = JSON.parse(await readFile(join(harness.outputDir, 'enriched_data.json'), 'utf8')) as { src_ip: string; seen: string[] }[];
    expect(rows.map((r) => [r.src_ip, r.seen.length])).toEqual([['10.0.0.1', 2], ['10.0.0.2', 1]]);
    expect(rows[0]?.seen[1]).toContain('2024-01-02');
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const csv = await readFile(join(harness.outputDir, 'enriched_data.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('src_ip,seen');
    expect(csv).toContain('10.0.0.2');
  });
});
