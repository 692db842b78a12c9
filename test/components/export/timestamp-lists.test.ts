// A column holding a list of times (`"seen": ["2024-01-01T00:00:00Z", ...]` in JSON) is a list, not a timestamp: no step
// may cast, bucket or format it as one (the export's `microsecond()` and the quality check's cast to TIMESTAMPTZ of a
// TIMESTAMP[] list each failed the whole run).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { isTimestampType } from '../../../src/data/sql-types.js';
import { jsonImport } from '../../../src/components/import/json.js';
import { createBuiltInRegistry } from '../../../src/components/built-ins.js';
import { executePlan } from '../../../src/engine/execute-plan.js';
import { planWorkflow } from '../../../src/planner/plan-workflow.js';
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

  it('runs a whole threat workflow over the file: the list column is data, not the time axis', async () => {
    const registry = createBuiltInRegistry();
    const outputDir = join(folder, 'out');
    const plan = await planWorkflow({ problem: 'Analyze this for threats and export enriched data with statistics and a report', inputFiles: ['sightings.jsonl'], outputs: ['enriched_data', 'threat_report'], baseDir: folder, outputDir }, registry);
    const result = await executePlan(plan, { registry, signal: AbortSignal.timeout(60_000) });
    expect(result.steps.filter((s) => s.status !== 'completed').map((s) => s.node)).toEqual([]);
    expect(result.status).toBe('completed');
    const rows = (await readFile(join(outputDir, 'enriched_data.csv'), 'utf8')).trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]?.split(',').slice(0, 2)).toEqual(['src_ip', 'seen']);
  });
});
