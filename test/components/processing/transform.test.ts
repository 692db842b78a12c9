import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvImport } from '../../../src/components/import/csv.js';
import { transformation } from '../../../src/components/processing/transform.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { TransformError } from '../../../src/model/errors/transform-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';
import { zeekTable } from '../../helpers/zeek-slice.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/processing/', import.meta.url));
const TRICKBOT = fileURLToPath(new URL('../../fixtures/analysis/trickbot-conn-slice.log', import.meta.url));

/**
 * connections.csv (10 rows, see its SOURCE.md), by hand: bytes 1500, 1500, 120, 64000, 64000, 999, 2500, 3000, 2500,
 * 1001; rows 2 and 9 repeat rows 1 and 7 exactly. bytes > 1000 keeps 8 rows; de-duplicated, 6: rows 1, 4, 5, 7, 8, 10.
 */
describe('processing.transform', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeAll(async () => {
    harness = await ComponentHarness.open({ baseDir: FIXTURES });
    dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['connections.csv'] }));
  });
  afterAll(async () => {
    await harness.close();
  });

  it('filters with a condition and keeps the input order', async () => {
    const output = await harness.run(transformation, { datasets: [dataset] }, { filter: "bytes > 1000 and proto == 'tcp'" });
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => Number(r['bytes']))).toEqual([1500, 1500, 64000, 64000, 2500, 3000, 2500]);
    expect(output.summary).toMatchObject({ rows_in: 10, rows_out: 7, filtered_out: 3, duplicates_removed: 0 });
    expect(output.message).toBe('7 of 10 rows kept: filter dropped 3');
  });

  it('drops duplicates after the filter, keeping the first of each', async () => {
    const output = await harness.run(transformation, { datasets: [dataset] }, { filter: 'bytes > 1000', dedupe: true });
    const result = datasetOf(output);
    const rows = await harness.rows(result);
    expect(rows.map((r) => `${r['user'] as string}:${Number(r['bytes'])}`)).toEqual(['alice:1500', 'carol:64000', 'carol:64000', 'alice:2500', 'eve:3000', 'bob:1001']);
    expect(output.summary).toMatchObject({ rows_in: 10, rows_out: 6, filtered_out: 2, duplicates_removed: 2 });
    // The result is a table: its row ids are positions in the transformed data, as later steps expect.
    expect(result.rowId).toBe('rowid');
    expect(result.rowCount).toBe(6);
  });

  it('de-duplicates on a key list', async () => {
    const output = await harness.run(transformation, { datasets: [dataset] }, { dedupe: ['user'] });
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => r['user'])).toEqual(['alice', 'bob', 'carol', 'dave', 'eve']);
    expect(output.summary).toMatchObject({ duplicates_removed: 5 });
  });

  it('derives columns from expressions, each able to use the one before', async () => {
    const output = await harness.run(
      transformation,
      { datasets: [dataset] },
      { derive: [{ name: 'kb', expression: 'round(bytes / 1000, 1)' }, { name: 'big', expression: 'kb >= 2.5' }], select: ['user', 'kb', 'big'] },
    );
    const rows = await harness.rows(datasetOf(output));
    expect(rows.slice(0, 4)).toEqual([
      { user: 'alice', kb: 1.5, big: false },
      { user: 'alice', kb: 1.5, big: false },
      { user: 'bob', kb: 0.1, big: false },
      { user: 'carol', kb: 64, big: true },
    ]);
    expect(output.summary?.['derived']).toEqual(['kb', 'big']);
  });

  it('selects and renames columns, rename last', async () => {
    const output = await harness.run(transformation, { datasets: [dataset] }, { select: ['dst_ip', 'dst_port', 'user'], rename: { dst_ip: 'destination', user: 'account' } });
    const result = datasetOf(output);
    expect(result.columns.map((c) => c.name)).toEqual(['destination', 'dst_port', 'account']);
    const rows = await harness.rows(result);
    expect(rows[5]).toEqual({ destination: '203.0.113.7', dst_port: 8080, account: 'dave' });
  });

  it('rewrites times with offsets as UTC instants, and those without in the assumed zone', async () => {
    const output = await harness.run(transformation, { datasets: [dataset] }, { normalise_time: ['ts'], assume_time_zone: 'Europe/Berlin', select: ['ts'] });
    const result = datasetOf(output);
    expect(result.columns[0]).toMatchObject({ name: 'ts', sqlType: 'TIMESTAMP WITH TIME ZONE' });
    const rows = await harness.sql.all(`SELECT strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS t FROM "${result.table}" ORDER BY rowid`);
    expect(rows.map((r) => r['t'])).toEqual([
      '2026-03-02T06:00:00Z', // 08:00 +02:00
      '2026-03-02T06:00:00Z',
      '2026-03-02T06:30:00Z', // 07:30 in Berlin (UTC+1 in March)
      '2026-03-02T06:15:00Z',
      '2026-03-02T06:45:00Z', // 01:45 -05:00
      '2026-03-02T03:30:00Z', // 09:00 +05:30
      '2026-03-02T10:00:00Z',
      null, // "not a time"
      '2026-03-02T10:00:00Z',
      '2026-03-02T11:00:00Z',
    ]);
    expect(output.summary?.['unreadable_times']).toEqual({ ts: 1 });
    expect(harness.log.entries.some((e) => e.type === 'transform-unreadable-times' && e.description.includes('1 values of ts'))).toBe(true);
  });

  it('reads times without an offset as UTC by default', async () => {
    const output = await harness.run(transformation, { datasets: [dataset] }, { normalise_time: ['ts'], select: ['ts'] });
    const rows = await harness.sql.all(`SELECT strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS t FROM "${datasetOf(output).table}" ORDER BY rowid`);
    expect(rows.map((r) => r['t'])).toEqual(['2026-03-02T06:00:00Z', '2026-03-02T06:00:00Z', '2026-03-02T07:30:00Z', '2026-03-02T06:15:00Z', '2026-03-02T06:45:00Z', '2026-03-02T03:30:00Z', '2026-03-02T10:00:00Z', null, '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z']);
    expect(output.summary).toMatchObject({ assume_time_zone: 'UTC', unreadable_times: { ts: 1 } });
  });

  it('normalises every timestamp column when asked for all, epoch seconds included', async () => {
    const table = await harness.table('tz_mixed', "SELECT * FROM (VALUES (TIMESTAMP '2026-03-02 12:00:00', 1772452800), (TIMESTAMP '2026-07-01 12:00:00', 1772452860)) AS v(seen_at, epoch_s)");
    const output = await harness.run(transformation, { datasets: [table] }, { normalise_time: true, assume_time_zone: 'America/New_York' });
    const result = datasetOf(output);
    const rows = await harness.sql.all(`SELECT strftime(seen_at, '%Y-%m-%d %H:%M') AS t FROM "${result.table}" ORDER BY rowid`);
    // New York is UTC-5 in March, UTC-4 (summer time) in July; the epoch column is no timestamp by its role.
    expect(rows.map((r) => r['t'])).toEqual(['2026-03-02 17:00', '2026-07-01 16:00']);
    expect(output.summary?.['normalised_time']).toEqual(['seen_at']);

    const epochs = await harness.run(transformation, { datasets: [table] }, { normalise_time: ['epoch_s'], select: ['epoch_s'] });
    const epochRows = await harness.sql.all(`SELECT strftime(epoch_s, '%Y-%m-%d %H:%M:%S') AS t FROM "${datasetOf(epochs).table}" ORDER BY rowid`);
    expect(epochRows.map((r) => r['t'])).toEqual(['2026-03-02 12:00:00', '2026-03-02 12:01:00']);
  });

  it('filters, derives and de-duplicates real Zeek connections by their dotted column names', async () => {
    // The 492 connections of the Trickbot slice (test/fixtures/analysis/SOURCE.md); counted with awk over the file:
    // 19 go to port 443 with more than 1,000 bytes sent, all from 172.16.9.5 to the C2 71.193.151.218; the first at
    // 1541213700.235068 (02:55:00.235068 UTC) with 1,486 bytes sent and 2,094 received.
    const conn = await zeekTable(harness, 'trickbot_conn', TRICKBOT);
    const filtered = await harness.run(transformation, { datasets: [conn] }, { filter: 'id.resp_p == 443 and orig_bytes > 1000' });
    expect(filtered.summary).toMatchObject({ rows_in: 492, rows_out: 19, filtered_out: 473 });
    const output = await harness.run(
      transformation,
      { datasets: [conn] },
      { filter: 'id.resp_p == 443 and orig_bytes > 1000', derive: [{ name: 'total_bytes', expression: 'orig_bytes + resp_bytes' }], dedupe: ['id.orig_h', 'id.resp_h'], select: ['ts', 'id.orig_h', 'id.resp_h', 'total_bytes'], rename: { 'id.orig_h': 'source', 'id.resp_h': 'destination' } },
    );
    const result = datasetOf(output);
    const rows = await harness.sql.all(`SELECT strftime(ts, '%Y-%m-%d %H:%M:%S.%f') AS ts, source, destination, total_bytes FROM "${result.table}"`);
    expect(rows).toEqual([{ ts: '2018-11-03 02:55:00.235068', source: '172.16.9.5', destination: '71.193.151.218', total_bytes: 3580 }]);
    expect(output.summary).toMatchObject({ rows_out: 1, filtered_out: 473, duplicates_removed: 18 });
  });

  it('names the nearest column when a column is unknown', async () => {
    const error = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { filter: 'byts > 1000' }), TransformError);
    expect(error).toMatchObject({ code: 'transform-unknown-column', parameter: 'filter', column: 'byts' });
    expect(error.message).toBe("processing.transform filter: unknown column 'byts'; did you mean 'bytes'?");
    expect(error.hint).toContain('the columns are: ts, src_ip, dst_ip, dst_port, proto, bytes, user');

    const select = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { select: ['usr'] }), TransformError);
    expect(select.message).toBe("processing.transform select: unknown column 'usr'; did you mean 'user'?");
    const dedupe = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { dedupe: ['src'] }), TransformError);
    expect(dedupe).toMatchObject({ parameter: 'dedupe', column: 'src' });
  });

  it('refuses a filter that is not a condition, and types that do not fit, naming the parameter', async () => {
    const notCondition = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { filter: 'bytes + 1' }), TransformError);
    expect(notCondition.message).toBe('processing.transform filter: the filter is a BIGINT value, not a condition');
    const types = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { derive: [{ name: 'x', expression: 'bytes + true' }] }), TransformError);
    expect(types).toMatchObject({ code: 'transform-bad-argument', parameter: 'derive[0].expression' });
  });

  it('refuses a derived name the data already has, an unknown time zone and a clash after renaming', async () => {
    const clash = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { derive: [{ name: 'Bytes', expression: 'bytes * 2' }] }), TransformError);
    expect(clash.message).toBe("processing.transform derive[0].name: the data already has a column 'bytes'");
    const zone = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { normalise_time: ['ts'], assume_time_zone: 'Mars/Olympus' }), TransformError);
    expect(zone).toMatchObject({ code: 'transform-bad-time-zone', message: "processing.transform assume_time_zone: unknown time zone 'Mars/Olympus'" });
    const twice = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { rename: { src_ip: 'dst_ip' } }), TransformError);
    expect(twice.message).toBe("processing.transform rename: two output columns would be named 'dst_ip'");
  });

  it('refuses hostile expressions before any SQL runs, and leaves the data intact', async () => {
    const attempts: [string, string][] = [
      ["bytes > 1; DROP TABLE connections", 'transform-not-allowed'],
      ['bytes > (SELECT max(bytes) FROM connections)', 'transform-syntax'],
      ["read_csv('/etc/passwd') IS NOT NULL", 'transform-unknown-function'],
      ['bytes > 1 -- comment', 'transform-not-allowed'],
      [`${'('.repeat(10_000)}1${')'.repeat(10_000)} = 1`, 'transform-too-complex'],
      [`bytes > ${'9'.repeat(60)}`, 'transform-too-complex'],
    ];
    for (const [filter, code] of attempts) {
      const error = await rejectionOf(harness.run(transformation, { datasets: [dataset] }, { filter: filter.slice(0, 2000) }), TransformError);
      expect(error.code, filter.slice(0, 40)).toBe(code);
    }
    expect(Number(await harness.sql.scalar(`SELECT count(*) FROM "${dataset.table}"`))).toBe(10);
    // A rename map with __proto__ is refused by the schema, not silently dropped.
    expect(transformation.params.safeParse(JSON.parse('{"rename": {"__proto__": "x"}}')).success).toBe(false);
  });
});
