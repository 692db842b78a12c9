// import.csv sets aside lines of max_line_bytes or more, as its parameter says, and reports them like ragged rows:
// the engine alone failed the whole file on such a line in its sniffing sample, and silently dropped one longer than
// its read buffer (shifting the line numbers after it).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csvImport } from '../../../src/components/import/csv.js';
import { mayHoldLongLine } from '../../../src/components/import/csv-long-lines.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

let folder: string;

/** `id,src_ip,note` rows 1..count (file line = id + 1), with some rows replaced. */
function rows(count: number, replace: Record<number, string>): string {
  const lines = ['id,src_ip,note'];
  for (let id = 1; id <= count; id += 1) lines.push(replace[id] ?? `${id},10.0.${id % 200}.${id % 250},ok`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cs-helper-long-'));
  await writeFile(join(folder, 'longmid.csv'), rows(2_000, { 500: `500,10.0.0.5,${'x'.repeat(3_000_000)}` }));
  // 40 KB against a 1 KB limit: longer than the engine's read buffer (16 x the limit), a ragged row after it.
  await writeFile(join(folder, 'beyond-buffer.csv'), rows(3_000, { 1_500: `1500,10.0.0.5,${'y'.repeat(40_000)}`, 2_500: '2500,10.0.0.9' }));
  const utf16 = rows(300, { 100: `100,10.0.0.1,${'w'.repeat(3_000)}` }).replace(/\n/g, '\r\n');
  await writeFile(join(folder, 'long-utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, 'utf16le')]));
  await writeFile(join(folder, 'only-long.csv'), `id,payload\n1,${'A'.repeat(5_000)}\n`);
  await writeFile(join(folder, 'long-header.csv'), `id,src_ip,${'n'.repeat(2_000)}\n1,10.0.0.1,ok\n`);
  await writeFile(join(folder, 'long-quoted.csv'), rows(50, { 20: `20,10.0.0.2,"start of a note\n${'z'.repeat(3_000)}\nend"` }));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('import.csv lines of max_line_bytes or more', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: folder });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('sets a 3 MB line of a 2,000-row file aside, keeps every other row, and names its line', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['longmid.csv'] });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(1_999);
    const ids = await harness.sql.all(`SELECT min(id) AS first, max(id) AS last, count(*) FILTER (WHERE id = 500) AS long FROM "${dataset.table}"`);
    expect(ids).toEqual([{ first: 1, last: 2_000, long: 0 }]);
    expect(output.message).toContain('; 1 line over max_line_bytes (2,097,152) set aside (line 501)');
    expect(harness.log.entries.find((e) => e.type === 'rows-set-aside')?.metadata).toMatchObject({ lines: [{ file: 'longmid.csv', line: 501, problem: 'a line of 3,000,013 bytes, over the limit of 2,097,152 bytes' }] });
    expect(output.summary).toMatchObject({ rows: 1_999, rejected_rows: 1, rejected_lines: [501] });
    expect(output.rowsIn).toBe(2_000);
    expect(harness.log.entries.find((e) => e.type === 'rows-set-aside')?.level).toBe('warn');
    expect(harness.log.dataOperations[0]?.detail).toEqual({ rejected_rows: 1, rejected_lines: ['longmid.csv:501'] });
  });

  it('reports a line longer than the engine read buffer, and the ragged row after it at its own line', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['beyond-buffer.csv'], max_line_bytes: 1024 });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(2_998);
    expect(output.message).toContain('; 1 ragged rows and 1 line over max_line_bytes (1,024) set aside (lines 1501, 2501)');
    expect(output.summary).toMatchObject({ rejected_rows: 2, rejected_lines: [1_501, 2_501] });
  });

  it('sets such a line of a UTF-16 file aside too, counted in UTF-8', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['long-utf16.csv'], max_line_bytes: 2048 });
    expect(datasetOf(output).rowCount).toBe(299);
    expect(output.summary).toMatchObject({ encoding: 'utf-16le', rejected_rows: 1, rejected_lines: [101] });
    expect((await harness.rows(datasetOf(output))).at(-1)).toMatchObject({ id: 300, note: 'ok' });
  });

  it('refuses a file whose every row is that long, naming the first line and how to raise the limit', async () => {
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['only-long.csv'], max_line_bytes: 1024 }), InputFileError);
    expect(error.message).toBe('only-long.csv:2: a line of 5,002 bytes, over the limit of 1,024 bytes');
    expect(error.hint).toBe('a field this long is unusual in an export: check the file, or, if you trust it, save the plan with --export, raise max_line_bytes of its import step (up to 268435456, 256 MiB) and run it with cs-helper run');
  });

  it('refuses a header line of that length, saying how to raise the limit', async () => {
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['long-header.csv'], max_line_bytes: 1024 }), InputFileError);
    expect(error.message).toBe('long-header.csv:1: a line of 2,010 bytes, over the limit of 1,024 bytes');
    expect(error.hint).toBe('a header or banner line cannot be set aside; or, if you trust the file, save the plan with --export, raise max_line_bytes of its import step (up to 268435456, 256 MiB) and run it with cs-helper run');
  });

  it('refuses a long line inside a quoted field over several lines rather than unbalance the quotes', async () => {
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['long-quoted.csv'], max_line_bytes: 1024 }), InputFileError);
    expect(error.line).toBe(22);
    expect(error.hint).toMatch(/^the line is part of a quoted field that runs over several lines and cannot be cut out; or, if you trust the file, save the plan with --export/);
  });
});

describe('the quick look for long lines', () => {
  it('never misses a line of the limit: exact when streaming (small limits), "maybe" only near the limit when probing', async () => {
    const signal = new AbortController().signal;
    const line = (bytes: number): string => `${'a,'.repeat(Math.floor(bytes / 2))}${bytes % 2 === 1 ? 'b' : ''}`;
    const body = (bytes: number): string => `${Array.from({ length: 5_000 }, (_, i) => `${i},short`).join('\n')}\n${line(bytes)}\n${'7,x\n'.repeat(3)}`;
    const look = async (limit: number, bytes: number): Promise<boolean> => {
      await writeFile(join(folder, 'probe.csv'), body(bytes));
      return mayHoldLongLine(join(folder, 'probe.csv'), limit, signal);
    };
    for (const limit of [1024, 3000, 100_000]) expect([limit, await look(limit, limit), await look(limit, limit - 1)]).toEqual([limit, true, false]);
    for (const limit of [256 * 1024, 2 * 1024 * 1024]) expect([limit, await look(limit, limit), await look(limit, Math.floor(limit / 4))]).toEqual([limit, true, false]);
  });
});
