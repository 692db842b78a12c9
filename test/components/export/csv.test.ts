import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellSql, csvExport } from '../../../src/components/export/csv.js';
import { outputPath } from '../../../src/components/export/output-file.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { CancelledError } from '../../../src/model/errors/cancelled-error.js';
import { UsageError } from '../../../src/model/errors/usage-error.js';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

/** Proxy rows whose text a spreadsheet would run as formulas, beside values that must stay as they are. */
const HOSTILE_ROWS = `SELECT * FROM (VALUES
  (TIMESTAMPTZ '2026-03-02 08:14:05+00', '=cmd|'' /C calc''!A0', CAST(2311 AS BIGINT), CAST(-0.25 AS DOUBLE), ['ip:103.82.243.5', 'url:http://officeman.tk/images/admin.php']),
  (TIMESTAMPTZ '2026-03-02 08:15:19.25+00', '+1+1', CAST(-5 AS BIGINT), 1.5, ['=HYPERLINK("http://officeman.tk")']),
  (TIMESTAMPTZ '2026-03-02 08:21:55+00', '-2+3', CAST(0 AS BIGINT), 0.0, []::VARCHAR[]),
  (TIMESTAMPTZ '2026-03-02 08:22:10+00', '@SUM(A1)', CAST(51 AS BIGINT), 2.0, []::VARCHAR[]),
  (TIMESTAMPTZ '2026-03-02 08:30:02+00', chr(9) || 'cmd /c whoami', CAST(72 AS BIGINT), 3.0, []::VARCHAR[]),
  (TIMESTAMPTZ '2026-03-02 08:32:44+00', chr(13) || 'cmd /c whoami', CAST(90 AS BIGINT), 4.0, []::VARCHAR[]),
  (TIMESTAMPTZ '2026-03-02 08:40:13+00', '-5', CAST(1204 AS BIGINT), 5.0, []::VARCHAR[]),
  (TIMESTAMPTZ '2026-03-02 08:41:27+00', 'user=kira.rossi', CAST(1550 AS BIGINT), 6.0, []::VARCHAR[]),
  (NULL, NULL, NULL, NULL, NULL)
) AS t("timestamp", note, bytes_sent, ratio, ioc_matches)`;

describe('export.csv', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    dataset = await harness.table('hostile', HOSTILE_ROWS);
  });
  afterEach(async () => {
    await harness.close();
  });

  const readCsv = async (path: string): Promise<Record<string, string>[]> => {
    const parsed = Papa.parse<Record<string, string>>(await readFile(path, 'utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  };

  it('neutralises formula cells with a leading quote and leaves numbers as they are', async () => {
    const output = await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const rows = await readCsv(join(harness.outputDir, 'enriched_data.csv'));

    expect(rows.map((r) => r['note'])).toEqual([
      "'=cmd|' /C calc'!A0",
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tcmd /c whoami",
      "'\rcmd /c whoami",
      '-5',
      'user=kira.rossi',
      '',
    ]);
    expect(rows.map((r) => r['bytes_sent'])).toEqual(['2311', '-5', '0', '51', '72', '90', '1204', '1550', '']);
    expect(rows.map((r) => r['ratio'])).toEqual(['-0.25', '1.5', '0.0', '2.0', '3.0', '4.0', '5.0', '6.0', '']);
    expect(output.rowsOut).toBe(9);
  });

  it('joins list columns with ";" and neutralises a list that starts like a formula', async () => {
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const rows = await readCsv(join(harness.outputDir, 'enriched_data.csv'));
    expect(rows.slice(0, 3).map((r) => r['ioc_matches'])).toEqual(['ip:103.82.243.5;url:http://officeman.tk/images/admin.php', `'=HYPERLINK("http://officeman.tk")`, '']);
  });

  it('neutralises cells in a plain projection, without the join that let a million rows come out of order', async () => {
    // An IN list of five or more constants in a SELECT list is planned as a join, whose output order is not the table's.
    const cells = dataset.columns.map((c) => cellSql(c, true));
    const plan = (await harness.sql.all(`EXPLAIN SELECT ${cells.join(', ')} FROM "${dataset.table}"`)).map((r) => plainText(r['explain_value'])).join('\n');
    expect(plan).toContain('PROJECTION');
    expect(plan).not.toMatch(/JOIN/);
  });

  it('writes the rows of a large table in their order', async () => {
    const rows = 600_000;
    const large = await harness.table('large', `SELECT i AS seq, CASE WHEN i % 1000 = 0 THEN '=formula' || i ELSE 'note ' || i END AS note, [CAST(i AS VARCHAR)] AS tags FROM range(${rows}) AS r(i)`);
    const output = await harness.run(csvExport, { datasets: [large] }, { output: 'large', file: 'large.csv' });
    const lines = (await readFile(output.files?.[0]?.path ?? '', 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(rows + 1);
    const outOfOrder = lines.slice(1).filter((line, i) => !line.startsWith(`${i},`));
    expect(outOfOrder.slice(0, 3)).toEqual([]);
    expect(lines[1001]).toBe("1000,'=formula1000,1000");
  });

  it('writes timestamps as ISO 8601 in UTC with Z', async () => {
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const rows = await readCsv(join(harness.outputDir, 'enriched_data.csv'));
    expect(rows[0]?.['timestamp']).toBe('2026-03-02T08:14:05Z');
    expect(rows[1]?.['timestamp']).toMatch(/^2026-03-02T08:15:19\.250*Z$/);
    expect(rows[8]?.['timestamp']).toBe('');
  });

  it('writes the raw text when formula_safe is off', async () => {
    await harness.run(csvExport, { datasets: [dataset] }, { output: 'raw', file: 'raw.csv', formula_safe: false });
    const rows = await readCsv(join(harness.outputDir, 'raw.csv'));
    expect(rows.slice(0, 4).map((r) => r['note'])).toEqual(["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)']);
  });

  it('reports the file it wrote, which exists under its final name only', async () => {
    const output = await harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'enriched_data.csv' });
    const path = join(harness.outputDir, 'enriched_data.csv');
    const bytes = (await stat(path)).size;

    expect(output.files).toEqual([{ output: 'enriched_data', path, format: 'csv', bytes, rows: 9 }]);
    expect(await readdir(harness.outputDir)).toEqual(['enriched_data.csv']);
    expect(harness.log.dataOperations).toContainEqual(expect.objectContaining({ operation: 'write', target: path, rows: 9, bytes }));
    const header = (await readFile(path, 'utf8')).split('\n')[0];
    expect(header).toBe('timestamp,note,bytes_sent,ratio,ioc_matches');
  });

  it('refuses an output file name with a folder part', async () => {
    await expect(harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: 'reports/enriched_data.csv' })).rejects.toThrow(/no folder part/);
    await expect(harness.run(csvExport, { datasets: [dataset] }, { output: 'enriched_data', file: '..enriched.csv' })).rejects.toThrow(/cannot contain \.\./);
    const error = await rejectionOf(Promise.resolve().then(() => outputPath(harness.outputDir, '../enriched_data.csv')), UsageError);
    expect(error.message).toContain('../enriched_data.csv');
    expect(await readdir(harness.outputDir)).toEqual([]);
  });

  it('leaves neither the file nor a temporary file when cancelled while writing', async () => {
    const big = await harness.table('big', `SELECT range AS event_id, 'GET /api/v1/items/' || range AS request FROM range(3000000)`);
    const controller = new AbortController();
    // Abort as soon as the temporary file exists, i.e. while the engine writes it.
    let sawTemporary = false;
    const watcher = setInterval(() => {
      void readdir(harness.outputDir).then((names) => {
        if (names.some((n) => n.endsWith('.tmp'))) {
          sawTemporary = true;
          controller.abort();
        }
      });
    }, 2);
    try {
      const run = harness.run(csvExport, { datasets: [big] }, { output: 'events', file: 'events.csv' }, { signal: controller.signal });
      await rejectionOf(run, CancelledError);
    } finally {
      clearInterval(watcher);
    }
    expect(sawTemporary).toBe(true);
    expect(await readdir(harness.outputDir)).toEqual([]);
  });
});
