// Worksheets whose header repeats a name: the header stays the header (the repeat told apart as user_1, as the CSV
// reader names it), no data row is lost, numbers stay numbers; profile and import agree. And a text file under an
// .xlsx name: read as the CSV it is when it is one, refused as no workbook otherwise.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excelImport } from '../../../src/components/import/excel.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { profileFile } from '../../../src/planner/profile-file.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

let work: string;
let harness: ComponentHarness;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-xlsx-'));
  harness = await ComponentHarness.open({ baseDir: work });
});
afterAll(async () => {
  await harness.close();
  await rm(work, { recursive: true, force: true });
});

/** A one-sheet workbook written by SheetJS, an independent writer. */
async function workbookOf(name: string, rows: unknown[][]): Promise<string> {
  const path = join(work, name);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'Data');
  await writeFile(path, XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST: true }) as Buffer);
  return path;
}

async function imported(path: string, params: Record<string, unknown> = {}): Promise<{ columns: [string, string][]; rows: Record<string, unknown>[]; headerRows: unknown }> {
  const output = await harness.run(excelImport, {}, { paths: [path], ...params });
  const dataset = datasetOf(output);
  return { columns: dataset.columns.map((c) => [c.name, c.sqlType]), rows: await harness.rows(dataset), headerRows: output.summary?.['header_rows'] };
}

describe('a repeated column name in a worksheet header', () => {
  it('above text cells: the header is kept, the repeat is user_1, every data row is loaded', async () => {
    const path = await workbookOf('users.xlsx', [
      ['src_ip', 'dst_ip', 'user', 'user'],
      ['10.0.0.1', '8.8.8.8', 'a', 'A'],
      ['10.0.0.2', '1.1.1.1', 'b', 'B'],
    ]);
    const { columns, rows, headerRows } = await imported(path);
    expect(columns.map(([name]) => name)).toEqual(['src_ip', 'dst_ip', 'user', 'user_1']);
    expect(headerRows).toEqual([1]);
    expect(rows).toEqual([
      { src_ip: '10.0.0.1', dst_ip: '8.8.8.8', user: 'a', user_1: 'A' },
      { src_ip: '10.0.0.2', dst_ip: '1.1.1.1', user: 'b', user_1: 'B' },
    ]);
    const profile = await profileFile(path);
    expect(profile).toMatchObject({ kind: 'xlsx', has_header: true, estimated_rows: 2 });
    expect(profile.columns.map((c) => c.name)).toEqual(['src_ip', 'dst_ip', 'user', 'user_1']);
    expect(profile.columns.find((c) => c.name === 'src_ip')?.role).toBe('ip');
  });

  it('above numbers: the header is not read as data, and the byte counts stay numbers', async () => {
    const path = await workbookOf('bytes.xlsx', [
      ['src_ip', 'bytes', 'bytes'],
      ['10.0.0.1', 100, 200],
      ['10.0.0.2', 300, 400],
    ]);
    const { columns, rows } = await imported(path);
    expect(columns).toEqual([['src_ip', 'VARCHAR'], ['bytes', 'BIGINT'], ['bytes_1', 'BIGINT']]);
    expect(rows).toEqual([{ src_ip: '10.0.0.1', bytes: 100, bytes_1: 200 }, { src_ip: '10.0.0.2', bytes: 300, bytes_1: 400 }]);
    expect((await profileFile(path)).columns.map((c) => c.name)).toEqual(['src_ip', 'bytes', 'bytes_1']);
  });

  it('names that differ only in case are told apart too (the engine compares names without case)', async () => {
    const path = await workbookOf('case.xlsx', [
      ['User', 'user', 'host'],
      ['alice', 'ALICE', 'ws-1'],
    ]);
    const { columns, rows } = await imported(path);
    expect(columns.map(([name]) => name)).toEqual(['User', 'user_1', 'host']);
    expect(rows).toEqual([{ User: 'alice', user_1: 'ALICE', host: 'ws-1' }]);
  });

  it('gets the same names from a header row named by header_row, below a title', async () => {
    const path = await workbookOf('titled.xlsx', [['Weekly export'], ['User', 'user', 'host'], ['alice', 'ALICE', 'ws-1']]);
    const { columns, rows } = await imported(path, { header_row: 2 });
    expect(columns.map(([name]) => name)).toEqual(['User', 'user_1', 'host']);
    expect(rows).toEqual([{ User: 'alice', user_1: 'ALICE', host: 'ws-1' }]);
  });
});

describe('worksheets without a header stay headerless', () => {
  it('a first row of repeated words, and a first row of addresses, are data', async () => {
    for (const [name, rows] of [
      ['levels.xlsx', [['low', 'low', 'high'], ['high', 'low', 'low'], ['low', 'high', 'low']]],
      ['addresses.xlsx', [['10.0.0.1', '8.8.8.8'], ['10.0.0.2', '1.1.1.1']]],
    ] as const) {
      const path = await workbookOf(name, rows.map((r) => [...r]));
      const result = await imported(path);
      expect(result.headerRows, name).toEqual([null]);
      expect(result.rows, name).toHaveLength(rows.length);
      expect((await profileFile(path)).has_header, name).toBe(false);
    }
  });
});

describe('a text file named .xlsx', () => {
  it('is refused as no workbook, naming the file, when it is no table', async () => {
    const path = join(work, 'fake.xlsx');
    await writeFile(path, 'this is not a spreadsheet\n');
    const error = await rejectionOf(profileFile(path), InputFileError);
    expect(error.message).toBe(`${path}: is not an Excel workbook (an .xlsx file is a zip archive; this one holds text)`);
    expect(error.problem).toBe('unsupported');
    expect(error.hint).toContain('save it again from Excel');
  });

  it('is read as the CSV it holds when it is one, and the profile says so', async () => {
    const path = join(work, 'export.xlsx');
    await writeFile(path, 'timestamp,src_ip,bytes\n2026-03-02T08:00:00Z,10.0.0.1,100\n2026-03-02T08:00:01Z,10.0.0.2,200\n');
    const profile = await profileFile(path);
    expect(profile).toMatchObject({ kind: 'csv', has_header: true, estimated_rows: 2 });
    expect(profile.notes).toContain('named .xlsx but holds delimited text: read as CSV');
  });
});
