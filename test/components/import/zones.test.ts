// Times known to be UTC keep their zone from import to export: Zeek epoch seconds, access-log times with an offset,
// audit stamps and JSON text written with `Z` or an offset are typed TIMESTAMP WITH TIME ZONE, so the CSV and JSON
// exports write them with `Z`; JSON text written without a zone stays a wall time (no `Z` invented).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvExport } from '../../../src/components/export/csv.js';
import { jsonExport } from '../../../src/components/export/json.js';
import { jsonImport } from '../../../src/components/import/json.js';
import { logImport } from '../../../src/components/import/log.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const ZONED = 'TIMESTAMP WITH TIME ZONE';

describe('timestamps keep their zone from import to export', () => {
  let harness: ComponentHarness;
  let work: string;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
    work = await mkdtemp(join(tmpdir(), 'cs-helper-'));
  });
  afterEach(async () => {
    await harness.close();
    await rm(work, { recursive: true, force: true });
  });

  const typeOf = (dataset: DatasetHandle, name: string): string | undefined => dataset.columns.find((c) => c.name === name)?.sqlType;

  /** The column's cells as the exported CSV and JSON files hold them. */
  const exported = async (dataset: DatasetHandle, column: string): Promise<{ csv: string[]; json: unknown[] }> => {
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'out.csv' });
    await harness.run(jsonExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'out.json' });
    const csv = Papa.parse<Record<string, string>>(await readFile(join(harness.outputDir, 'out.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const json = JSON.parse(await readFile(join(harness.outputDir, 'out.json'), 'utf8')) as Record<string, unknown>[];
    return { csv: csv.map((r) => r[column] ?? ''), json: json.map((r) => r[column]) };
  };

  it('writes a Zeek conn.log ts (epoch seconds) with its Z, to the microsecond', async () => {
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: ['zeek/conn-trickbot.log'] }));
    expect(typeOf(dataset, 'ts')).toBe(ZONED);
    const { csv, json } = await exported(dataset, 'ts');
    // 1541117137.618695 and 1541117137.655498, the first and third connections.
    expect([csv[0], csv[2]]).toEqual(['2018-11-02T00:05:37.618695Z', '2018-11-02T00:05:37.655498Z']);
    expect([json[0], json[2]]).toEqual(['2018-11-02T00:05:37.618695Z', '2018-11-02T00:05:37.655498Z']);
  });

  it('writes an access-log time given at +0300 as the UTC instant with its Z', async () => {
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: ['web-logs/acunetix-slice.txt'] }));
    expect(typeOf(dataset, 'timestamp')).toBe(ZONED);
    const { csv, json } = await exported(dataset, 'timestamp');
    // [22/Dec/2016:16:30:52 +0300] and [22/Dec/2016:16:29:05 +0300], the first two lines.
    expect(csv.slice(0, 2)).toEqual(['2016-12-22T13:30:52Z', '2016-12-22T13:29:05Z']);
    expect(json.slice(0, 2)).toEqual(['2016-12-22T13:30:52Z', '2016-12-22T13:29:05Z']);
  });

  it('writes an audit stamp (epoch seconds) with its Z', async () => {
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: ['auditd-sample.log'] }));
    expect(typeOf(dataset, 'timestamp')).toBe(ZONED);
    const { csv } = await exported(dataset, 'timestamp');
    // audit(1605000000.000:9001) and audit(1605001234.567:1234).
    expect(csv.slice(0, 2)).toEqual(['2020-11-10T09:20:00Z', '2020-11-10T09:40:34.567000Z']);
  });

  it('keeps the Z of JSON text written with Z or an offset, and invents none for text without a zone', async () => {
    const path = join(work, 'events.jsonl');
    await writeFile(path, [
      JSON.stringify({ at: '2024-01-01T00:00:00Z', seen: '2024-01-01T03:00:00+03:00', local: '2024-01-01T00:00:00', mixed: '2024-01-01T00:00:00Z', host: { boot: '2023-12-31T23:59:59.5Z' } }),
      JSON.stringify({ at: '2024-01-02T12:30:00Z', seen: '2024-01-02T12:30:00-0130', local: '2024-01-02T12:30:00', mixed: '2024-01-02T12:30:00', host: { boot: null } }),
      '',
    ].join('\n'));
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: [path] }));

    expect(dataset.columns.map((c) => [c.name, c.sqlType])).toEqual([['at', ZONED], ['seen', ZONED], ['local', 'TIMESTAMP'], ['mixed', 'VARCHAR'], ['host.boot', ZONED]]);
    expect((await exported(dataset, 'at')).csv).toEqual(['2024-01-01T00:00:00Z', '2024-01-02T12:30:00Z']);
    expect((await exported(dataset, 'seen')).json).toEqual(['2024-01-01T00:00:00Z', '2024-01-02T14:00:00Z']);
    expect((await exported(dataset, 'host.boot')).json).toEqual(['2023-12-31T23:59:59.500000Z', null]);
    expect((await exported(dataset, 'local')).csv).toEqual(['2024-01-01T00:00:00', '2024-01-02T12:30:00']);
    // Text with a zone beside text without one: the engine's reader keeps the column as text, each value as written.
    expect((await exported(dataset, 'mixed')).json).toEqual(['2024-01-01T00:00:00Z', '2024-01-02T12:30:00']);
  });

  it('types times only the engine\'s reader reads (01-02-2024 10:00:00 PM) as before, beside a zoned column', async () => {
    const path = join(work, 'us-dates.jsonl');
    await writeFile(path, [
      JSON.stringify({ logged: '01-02-2024 10:00:00 PM', at: '2024-01-02T22:00:00Z' }),
      JSON.stringify({ logged: '12-31-2023 09:15:30 AM', at: '2023-12-31T09:15:30Z' }),
    ].join('\n'));
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: [path] }));

    expect(dataset.columns.map((c) => [c.name, c.sqlType])).toEqual([['logged', 'TIMESTAMP'], ['at', ZONED]]);
    expect((await exported(dataset, 'logged')).csv).toEqual(['2024-01-02T22:00:00', '2023-12-31T09:15:30']);
    expect((await exported(dataset, 'at')).csv).toEqual(['2024-01-02T22:00:00Z', '2023-12-31T09:15:30Z']);

    // A list of times is the reader's to type too, as before.
    const lists = join(work, 'lists.jsonl');
    await writeFile(lists, JSON.stringify({ at: '2024-01-02T22:00:00Z', seen: ['2024-01-02T22:00:00Z', '2024-01-02T23:00:00Z'] }));
    const listed = datasetOf(await harness.run(jsonImport, {}, { paths: [lists] }));
    expect(listed.columns.map((c) => [c.name, c.sqlType])).toEqual([['at', ZONED], ['seen', 'TIMESTAMP[]']]);
  });

  it('invents no zone for a value without one past the records the reader samples', async () => {
    // The reader types the column from its first 20,480 records (all at +02:00) and reads the last one as a wall time.
    const path = join(work, 'late.jsonl');
    const zoned = Array.from({ length: 20_500 }, (_, i) => JSON.stringify({ at: `2024-01-01T${String(i % 24).padStart(2, '0')}:00:00+02:00`, n: i }));
    await writeFile(path, [...zoned, JSON.stringify({ at: '2024-01-02T05:00:00', n: 20_500 })].join('\n'));
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: [path] }));

    expect(typeOf(dataset, 'at')).toBe('TIMESTAMP');
    const { csv } = await exported(dataset, 'at');
    expect([csv[0], csv[3], csv.at(-1)]).toEqual(['2023-12-31T22:00:00', '2024-01-01T01:00:00', '2024-01-02T05:00:00']);
  });

  it('keeps the Z across several files stacked with source_file, and in a struct left nested', async () => {
    const first = join(work, 'a.jsonl');
    const second = join(work, 'b.jsonl');
    await writeFile(first, JSON.stringify({ at: '2024-05-01T08:00:00Z', host: { boot: '2024-05-01T07:00:00Z' } }));
    await writeFile(second, JSON.stringify({ at: '2024-05-01T09:00:00.25+01:00', host: { boot: '2024-05-01T06:00:00Z' } }));
    const stacked = datasetOf(await harness.run(jsonImport, {}, { paths: [first, second] }));
    expect(stacked.columns.map((c) => [c.name, c.sqlType])).toEqual([['at', ZONED], ['host.boot', ZONED], ['source_file', 'VARCHAR']]);
    expect((await exported(stacked, 'at')).json).toEqual(['2024-05-01T08:00:00Z', '2024-05-01T08:00:00.250000Z']);

    // flatten_depth 0 keeps `host` a struct: the reader types what it holds, as before.
    const nested = datasetOf(await harness.run(jsonImport, {}, { paths: [first], flatten_depth: 0 }));
    expect(nested.columns.map((c) => [c.name, c.sqlType])).toEqual([['at', ZONED], ['host', 'STRUCT("boot" TIMESTAMP)']]);
  });

  it('keeps the Z of the records of a CloudTrail {"Records": [...]} file', async () => {
    const path = join(work, 'cloudtrail.json');
    await writeFile(path, JSON.stringify({ Records: [
      { eventTime: '2024-03-01T10:00:00Z', eventName: 'ConsoleLogin', sourceIPAddress: '203.0.113.9' },
      { eventTime: '2024-03-01T10:05:00Z', eventName: 'GetObject', sourceIPAddress: '203.0.113.9' },
    ] }));
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: [path] }));
    expect(typeOf(dataset, 'eventTime')).toBe(ZONED);
    expect((await exported(dataset, 'eventTime')).csv).toEqual(['2024-03-01T10:00:00Z', '2024-03-01T10:05:00Z']);
  });

  it('keeps the Z of the SystemTime of Windows event JSON (TimeCreated)', async () => {
    const dataset = datasetOf(await harness.run(jsonImport, {}, { paths: ['security-events-data-array.json'] }));
    expect(typeOf(dataset, 'TimeCreated')).toBe(ZONED);
    expect((await exported(dataset, 'TimeCreated')).csv[0]).toBe('2026-03-02T08:30:11Z');
  });
});
