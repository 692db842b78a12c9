// The JSON export writes strict JSON that JSON.parse and jq read: a CSV cell `inf` or `NaN` reads as a non-finite
// double, which DuckDB's COPY ... FORMAT JSON wrote as the bare tokens Infinity and NaN. They are written as null,
// wherever they sit (a column, a list, a struct, JSON text); text that says "NaN" stays text.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

describe('export.json: numbers that are not finite', () => {
  let folder: string;
  let harness: ComponentHarness;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cs-helper-json-non-finite-'));
    // The analyst's file, as QA wrote it: a ratio column whose engine type is DOUBLE, with inf and NaN in it.
    await writeFile(join(folder, 'ratios.csv'), 'src_ip,ratio\n10.0.0.1,0.5\n10.0.0.2,inf\n10.0.0.3,NaN\n');
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
    await rm(folder, { recursive: true, force: true });
  });

  const importRatios = async () => datasetOf(await harness.run(csvImport, {}, { paths: ['ratios.csv'] }));

  it('writes inf and NaN cells of a CSV input as null, in a file JSON.parse reads', async () => {
    const dataset = await importRatios();
    expect(dataset.columns.find((c) => c.name === 'ratio')?.sqlType).toBe('DOUBLE');
    await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.json' });
    const text = await readFile(join(harness.outputDir, 'enriched_data.json'), 'utf8');

    expect(text).not.toMatch(/Infinity|NaN/);
    expect(JSON.parse(text)).toEqual([
      { src_ip: '10.0.0.1', ratio: 0.5 },
      { src_ip: '10.0.0.2', ratio: null },
      { src_ip: '10.0.0.3', ratio: null },
    ]);
  });

  it('writes JSON Lines whose every line JSON.parse reads', async () => {
    const dataset = await importRatios();
    await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.jsonl', lines: true });
    const lines = (await readFile(join(harness.outputDir, 'enriched_data.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');

    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { src_ip: '10.0.0.1', ratio: 0.5 },
      { src_ip: '10.0.0.2', ratio: null },
      { src_ip: '10.0.0.3', ratio: null },
    ]);
  });

  it('keeps the CSV export as it was: the engine writes inf and nan as text a spreadsheet shows', async () => {
    const dataset = await importRatios();
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const rows = Papa.parse<Record<string, string>>(await readFile(join(harness.outputDir, 'enriched_data.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r['ratio'])).toEqual(['0.5', 'inf', 'nan']);
  });

  it('writes null for non-finite numbers inside lists, structs and JSON text, and keeps text that reads "NaN"', async () => {
    const dataset = await harness.table(
      'nested',
      `SELECT * FROM (VALUES
        (1, ['inf'::DOUBLE, 1.5, '-inf'::DOUBLE], {'z': 'nan'::DOUBLE, 'note': 'a:NaN, Infinity'}, '{"score": NaN, "tags": ["inf",],}'::JSON, 'NaN', 'nan'::FLOAT),
        (2, [2.5], {'z': 3.0, 'note': 'ok'}, '{"score": 1}'::JSON, 'Infinity', 0.25::FLOAT)
      ) AS t(id, ratios, stats, evidence, label, weight)`,
    );
    await harness.run(jsonExport, { datasets: [dataset] }, { output: 'nested', file: 'nested.json' });
    const parsed: unknown = JSON.parse(await readFile(join(harness.outputDir, 'nested.json'), 'utf8'));

    expect(parsed).toEqual([
      { id: 1, ratios: [null, 1.5, null], stats: { z: null, note: 'a:NaN, Infinity' }, evidence: { score: null, tags: ['inf'] }, label: 'NaN', weight: null },
      { id: 2, ratios: [2.5], stats: { z: 3, note: 'ok' }, evidence: { score: 1 }, label: 'Infinity', weight: 0.25 },
    ]);
  });
});
