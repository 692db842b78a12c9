// The CSV export is safe to open in a spreadsheet down to its header row: a column name from the input that starts like
// a formula gets the same `'` as a cell. And a list cell splits back into its elements on `;`: a `;` inside an element
// (a matched URL's `/a;b=1`) is written %3B; the JSON export keeps the element as it is, in a real array.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { formulaSafeText } from '../../../src/components/export/formula-safe.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { jsonImport } from '../../../src/components/import/json.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

describe('export.csv: header row and list cells', () => {
  let folder: string;
  let harness: ComponentHarness;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cs-helper-csv-header-'));
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
    await rm(folder, { recursive: true, force: true });
  });

  const parse = async (file: string): Promise<{ header: string[]; rows: string[][] }> => {
    const parsed = Papa.parse<string[]>(await readFile(join(harness.outputDir, file), 'utf8'), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header = [], ...rows] = parsed.data;
    return { header, rows };
  };

  it('neutralises column names of a JSON Lines input that start like a formula', async () => {
    await writeFile(join(folder, 'events.jsonl'), '{"src_ip":"10.0.0.1","=1+2":"a","@SUM(1)":"b"}\n');
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['events.jsonl'] }));
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });

    expect(await parse('enriched_data.csv')).toEqual({ header: ['src_ip', "'=1+2", "'@SUM(1)"], rows: [['10.0.0.1', 'a', 'b']] });
  });

  it('neutralises a CSV input header cell that would run HYPERLINK, and keeps the other names', async () => {
    await writeFile(join(folder, 'flows.csv'), 'src_ip,bytes,=HYPERLINK("http://evil")\n10.0.0.1,5,x\n');
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['flows.csv'] }));
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });

    expect(await parse('enriched_data.csv')).toEqual({ header: ['src_ip', 'bytes', `'=HYPERLINK("http://evil")`], rows: [['10.0.0.1', '5', 'x']] });
  });

  it('writes the names as they are when formula_safe is off', async () => {
    await writeFile(join(folder, 'events.jsonl'), '{"src_ip":"10.0.0.1","=1+2":"a"}\n');
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['events.jsonl'] }));
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'raw', file: 'raw.csv', formula_safe: false });

    expect((await parse('raw.csv')).header).toEqual(['src_ip', '=1+2']);
  });

  it('applies the cell rule to names: formula leads get a quote, plain numbers and ordinary names do not', () => {
    expect(['=cmd', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '-5', '+1.5', 'user=kira', 'bytes_sent'].map(formulaSafeText)).toEqual([
      "'=cmd",
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tcmd",
      "'\rcmd",
      '-5',
      '+1.5',
      'user=kira',
      'bytes_sent',
    ]);
  });

  it('writes a ";" inside a list element as %3B, so the cell splits back into its elements; JSON keeps the element', async () => {
    const dataset = await harness.table(
      'matched',
      `SELECT * FROM (VALUES
        ('10.9.9.9', ['ip:10.9.9.9', 'url:http://evil.example.com/a;b=1'], ['outlier:bytes_sent']),
        ('10.0.0.1', ['url:http://a.example/x%20y'], []::VARCHAR[])
      ) AS t(dst_ip, ioc_matches, anomaly_reasons)`,
    );
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.json' });
    const { rows } = await parse('enriched_data.csv');
    const json = JSON.parse(await readFile(join(harness.outputDir, 'enriched_data.json'), 'utf8')) as { ioc_matches: string[] }[];

    expect(rows.map((r) => r[1])).toEqual(['ip:10.9.9.9;url:http://evil.example.com/a%3Bb=1', 'url:http://a.example/x%20y']);
    expect(rows[0]?.[1]?.split(';')).toHaveLength(2);
    expect(json.map((r) => r.ioc_matches)).toEqual([['ip:10.9.9.9', 'url:http://evil.example.com/a;b=1'], ['url:http://a.example/x%20y']]);
  });
});
