// import.csv on what analysts really bring: abuse.ch dumps with '#' banners and padded fields, every encoding a
// Windows or Linux tool writes, ragged rows set aside with their line numbers, and values that outgrow a sniffed type.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csvImport } from '../../../src/components/import/csv.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const COMPONENT_FIXTURES = fileURLToPath(new URL('../../fixtures/components/', import.meta.url));

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-csv-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('import.csv on abuse.ch dumps', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('takes MalwareBazaar column names from the last banner line and trims the padded fields', async () => {
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['malwarebazaar-dump.csv'] }));
    expect(dataset.rowCount).toBe(6);
    expect(dataset.columns.map((c) => c.name)).toEqual(['first_seen_utc', 'sha256_hash', 'md5_hash', 'sha1_hash', 'reporter', 'file_name', 'file_type_guess', 'mime_type', 'signature', 'clamav', 'vtpercent', 'imphash', 'ssdeep', 'tlsh']);
    const rows = await harness.rows(dataset);
    expect(rows[0]).toMatchObject({ first_seen_utc: '2026-02-26T13:41:09.000Z', sha256_hash: '19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e', md5_hash: '9363fa2625198beb1fcce0ef07f558ff', reporter: 'abuse_ch', file_name: 'pm68k', mime_type: 'application/x-executable' });
    expect(rows[1]).toMatchObject({ reporter: 'James_inthe_box', file_name: 'Cotizacion industrial Flow.exe' });
    expect(dataset.columns.find((c) => c.name === 'sha256_hash')?.role).toBe('hash');
  });

  it('reads URLhaus with its commented header, keeping a quoted comma list in one field', async () => {
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['urlhaus-recent.csv'] }));
    expect(dataset.rowCount).toBe(10);
    expect(dataset.columns.map((c) => c.name)).toEqual(['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter']);
    const rows = await harness.rows(dataset);
    expect(rows[0]).toMatchObject({ id: 3786237, url: 'http://182.126.120.150:58801/i', tags: '32-bit,elf,mips,Mozi', reporter: 'geenensp' });
  });

  it('reads SSLBL unquoted rows under a commented header', async () => {
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['sslbl-sha1.csv'] }));
    expect(dataset.columns.map((c) => c.name)).toEqual(['Listingdate', 'SHA1', 'Listingreason']);
    expect(dataset.rowCount).toBe(5);
    expect((await harness.rows(dataset))[0]).toMatchObject({ SHA1: '854c68ab7ad70b6f95f76ec64b8a46c145997629', Listingreason: 'AsyncRAT C&C' });
  });
});

describe('import.csv encodings', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('detects Windows-1252 and decodes 0x80-0x9F (euro sign, curly quotes, dash) correctly, logging the decision', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['payments-windows1252.csv'] });
    const rows = await harness.rows(datasetOf(output));
    expect(rows.map((r) => [r['display_name'], r['note'], r['amount']])).toEqual([
      ['José Müller', '“urgent” invoice', '€1200'],
      ['François Garçon', 'fee – Q1', '€80'],
      ['Zoë Halvorsen', 'ok', '€15'],
    ]);
    expect(output.summary).toMatchObject({ encoding: 'windows-1252' });
    expect(harness.log.decisions.map((d) => [d.decision, d.chosen])).toEqual([
      ['text encoding', 'windows-1252'],
      ['transcode input', 'windows-1252 -> utf-8 copy'],
    ]);
  });

  const LOGON_USERS = ['root', 'admin', 'ørjan'];
  it.each([
    ['logons-utf16be-bom.csv', 'utf-16be'],
    ['logons-utf16le-nobom.csv', 'utf-16le'],
    ['logons-utf16be-nobom.csv', 'utf-16be'],
  ])('reads %s (%s) with its columns and accents', async (file, encoding) => {
    const output = await harness.run(csvImport, {}, { paths: [file] });
    const dataset = datasetOf(output);
    expect(dataset.columns.map((c) => c.name)).toEqual(['TimeCreated', 'Computer', 'EventID', 'TargetUserName', 'IpAddress']);
    expect((await harness.rows(dataset)).map((r) => r['TargetUserName'])).toEqual(LOGON_USERS);
    expect(output.summary).toMatchObject({ encoding });
  });

  it('drops a UTF-8 byte order mark from the first column name', async () => {
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['assets-utf8-bom.csv'] }));
    expect(dataset.columns.map((c) => c.name)).toEqual(['hostname', 'ip', 'owner']);
    expect((await harness.rows(dataset)).map((r) => r['owner'])).toEqual(['Søren', 'Zoë']);
    expect(harness.log.decisions).toEqual([]);
  });

  it('reads stray Windows-1252 lines of a UTF-8 file as Windows-1252, naming them in a decision and a warning', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['logins-mixed-encoding.csv'] });
    expect((await harness.rows(datasetOf(output))).map((r) => r['city'])).toEqual(['Milano', 'Köln', 'Málaga', 'Ålesund']);
    const fallback = harness.log.decisions.find((d) => d.decision === 'text encoding fallback');
    expect(fallback?.reasoning).toBe('logins-mixed-encoding.csv: 1 lines are not valid UTF-8 (lines 4); they were read as Windows-1252');
    expect(harness.log.entries.filter((e) => e.level === 'warn').map((e) => e.type)).toEqual(['mixed-encoding']);
  });
});

describe('import.csv ragged rows and types', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: COMPONENT_FIXTURES });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('sets ragged rows aside and names their lines in the message, the summary, a warning and the data operation', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['ragged-firewall.csv'] });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(6);
    expect((await harness.rows(dataset)).map((r) => r['dst_port'])).toEqual([443, 123, 161, 53, 80, 443]);
    expect(output.message).toBe('6 rows, 6 columns (timestamp:timestamp, src_ip:ip, dst_ip:ip, dst_port:port); 1 ragged rows set aside (line 6)');
    expect(output.summary).toMatchObject({ rows: 6, rejected_rows: 1, rejected_lines: [6] });
    expect(output.rowsIn).toBe(7);
    expect(harness.log.entries.find((e) => e.type === 'rows-set-aside')?.level).toBe('warn');
    expect(harness.log.dataOperations[0]?.detail).toEqual({ rejected_rows: 1, rejected_lines: ['ragged-firewall.csv:6'] });
  });

  it('refuses the first ragged row with strict, naming its line', async () => {
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['ragged-firewall.csv'], strict: true }), InputFileError);
    expect(error.message).toBe('ragged-firewall.csv:6: expected 6 fields, found 5 (row starts "2026-03-02T08:14:05Z,10.20.11.87,103.82.243.5,443,2311")');
    expect(error.line).toBe(6);
  });

  it('reads a column as text when a value far down the file does not fit its sniffed type, keeping every row', async () => {
    const path = join(temp, 'ports-late-text.csv');
    const rows = Array.from({ length: 30_000 }, (_, i) => `10.20.10.${i % 250},${1024 + (i % 60_000)}`);
    await writeFile(path, `src_ip,dst_port\n${rows.join('\n')}\n10.20.10.7,ssh\n`);
    const output = await harness.run(csvImport, {}, { paths: [path] });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(30_001);
    expect(dataset.columns.find((c) => c.name === 'dst_port')?.sqlType).toBe('VARCHAR');
    expect(await harness.sql.scalar(`SELECT dst_port FROM "${dataset.table}" WHERE src_ip = '10.20.10.7' AND dst_port = 'ssh'`)).toBe('ssh');
    expect(harness.log.decisions.map((d) => d.chosen)).toEqual(['text for dst_port']);
  });

  it('takes explicit overrides: delimiter, column names and types', async () => {
    const path = join(temp, 'pipes.txt');
    await writeFile(path, '1700000000|10.20.10.24|443\n1700000060|10.20.10.25|8443\n');
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: [path], delimiter: '|', header: false, columns: ['epoch', 'src_ip', 'dst_port'], types: { epoch: 'VARCHAR' } }));
    expect(dataset.columns.map((c) => [c.name, c.sqlType])).toEqual([['epoch', 'VARCHAR'], ['src_ip', 'VARCHAR'], ['dst_port', 'BIGINT']]);
    expect((await harness.rows(dataset)).map((r) => r['epoch'])).toEqual(['1700000000', '1700000060']);
  });

  it('sets a line longer than max_line_bytes aside, naming it; with strict it refuses the file at that line', async () => {
    const path = join(temp, 'long-field.csv');
    await writeFile(path, `user,note\nkira,short\nomar,${'A'.repeat(5000)}\n`);
    const output = await harness.run(csvImport, {}, { paths: [path], max_line_bytes: 1024 });
    expect((await harness.rows(datasetOf(output))).map((r) => r['user'])).toEqual(['kira']);
    expect(output.message).toContain('1 line over max_line_bytes (1,024) set aside (line 3)');
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: [path], max_line_bytes: 1024, strict: true }), InputFileError);
    expect(error.message).toBe(`${path}:3: a line of 5,005 bytes, over the limit of 1,024 bytes`);
  });
});
