// import.excel on hostile and broken packages: zip bombs (honest and lying sizes), encrypted and legacy files, macro-only
// workbooks, entity tricks, damaged zips, too many cells. Each gives one clear InputFileError naming the file.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { excelImport } from '../../../src/components/import/excel.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';
import { sheetXml, workbookParts, zipArchive } from '../../helpers/zip-writer.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const ROW = '<row><c t="inlineStr"><is><t>host</t></is></c><c><v>1</v></c></row>';

describe('import.excel on hostile workbooks', () => {
  let harness: ComponentHarness;
  let work: string;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
    work = await mkdtemp(join(tmpdir(), 'cs-helper-excel-bad-'));
  });
  afterEach(async () => {
    await harness.close();
    await rm(work, { recursive: true, force: true });
  });

  async function refusal(name: string, content: Buffer, params: Record<string, unknown> = {}): Promise<InputFileError> {
    const path = join(work, name);
    await writeFile(path, content);
    return rejectionOf(harness.run(excelImport, {}, { paths: [path], ...params }), InputFileError);
  }

  it('refuses a sheet that inflates past the bound, before inflating it', async () => {
    // 8 MB of rows that deflate to a few kilobytes: a zip bomb in miniature, against a 1 MB bound.
    const bomb = sheetXml(ROW.repeat(120_000));
    const error = await refusal('bomb.xlsx', zipArchive(workbookParts(bomb)), { max_uncompressed_bytes: 1024 * 1024 });
    expect(error.problem).toBe('too-large');
    expect(error.message).toMatch(/bomb\.xlsx: the workbook inflates to more than 1048576 bytes \(xl\/worksheets\/sheet1\.xml alone is \d+\): refused as a possible zip bomb$/);
  });

  it('refuses a part that declares 4 GB under the default bound, without reading it', async () => {
    const error = await refusal('declared.xlsx', zipArchive(workbookParts(sheetXml(ROW), { sheetPart: { declaredSize: 0xffff_fff0 } })));
    expect(error.problem).toBe('too-large');
    expect(error.message).toContain('refused as a possible zip bomb');
  });

  it('stops a part that inflates to more than the size it declares', async () => {
    const error = await refusal('liar.xlsx', zipArchive(workbookParts(sheetXml(ROW.repeat(50_000)), { sheetPart: { declaredSize: 200 } })));
    expect(error.problem).toBe('malformed');
    expect(error.message).toMatch(/liar\.xlsx: xl\/worksheets\/sheet1\.xml is damaged: .*too many bytes/);
  });

  it('refuses password-protected workbooks and legacy .xls files with their own messages', async () => {
    const magic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const encrypted = await refusal('secret.xlsx', Buffer.concat([magic, Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(512)]));
    expect(encrypted.message).toBe(`${join(work, 'secret.xlsx')}: is an encrypted (password-protected) workbook`);
    expect(encrypted.hint).toContain('remove the password');
    const legacy = await refusal('old.xls', Buffer.concat([magic, Buffer.alloc(2048)]));
    expect(legacy.message).toBe(`${join(work, 'old.xls')}: is a legacy Excel 97-2003 workbook (.xls) or another OLE compound file`);
  });

  it('refuses encrypted zip entries and workbooks with macro sheets only', async () => {
    const flagged = await refusal('flagged.xlsx', zipArchive(workbookParts(sheetXml(ROW), { sheetPart: { encryptedFlag: true } })));
    expect(flagged.message).toContain('the part xl/worksheets/sheet1.xml is encrypted');
    const macros = await refusal('macros.xlsm', zipArchive(workbookParts(sheetXml(ROW), { kind: 'macrosheet' })));
    expect(macros.message).toBe(`${join(work, 'macros.xlsm')}: has no worksheet to read (only macrosheet sheets)`);
  });

  it('expands no entity but XML\'s own: a billion-laughs sheet is malformed XML', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>`;
    const error = await refusal('laughs.xlsx', zipArchive(workbookParts(laughs)));
    expect(error.message).toBe(`${join(work, 'laughs.xlsx')}: sheet 'Data': not well-formed XML (undefined entity.)`);
  });

  it('refuses a cell of more than 4 million characters, and more cells than max_cells', async () => {
    const huge = sheetXml(`<row><c t="inlineStr"><is><t>${'A'.repeat(5 * 1024 * 1024)}</t></is></c></row>`);
    const long = await refusal('long.xlsx', zipArchive(workbookParts(huge)));
    expect(long.message).toContain('a text or attribute of more than 4194304 characters');
    const cells = await refusal('cells.xlsx', zipArchive(workbookParts(sheetXml(ROW.repeat(20)))), { max_cells: 25 });
    expect(cells.problem).toBe('too-large');
    expect(cells.message).toContain("sheet 'Data': more cells than the limit");
  });

  it('names the cell whose shared string does not exist, and refuses zips that are not workbooks or are cut short', async () => {
    const dangling = await refusal('dangling.xlsx', zipArchive(workbookParts(sheetXml('<row><c r="B2" t="s"><v>7</v></c></row>'))));
    expect(dangling.message).toBe(`${join(work, 'dangling.xlsx')}: sheet 'Data': cell B2 points at shared string 7, which does not exist`);
    const other = await refusal('photos.xlsx', zipArchive([{ name: 'photo.jpg', data: 'not really' }]));
    expect(other.message).toBe(`${join(work, 'photos.xlsx')}: is a zip archive but not an Excel workbook (no xl/workbook.xml)`);
    const real = await readFile(join(IMPORT_FIXTURES, 'excel/unsw-nb15-testing-sample.xlsx'));
    const cut = await refusal('cut.xlsx', real.subarray(0, real.length / 2));
    expect(cut.problem).toBe('malformed');
    expect(cut.message).toMatch(/^.*cut\.xlsx: not a readable xlsx package: /);
  });
});
