import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvImport } from '../../../src/components/import/csv.js';
import { plainText } from '../../../src/data/plain-value.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, FIXTURES_DIR, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

const FIREWALL_COLUMNS = ['timestamp', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'protocol', 'action', 'bytes_sent', 'bytes_received', 'user', 'domain', 'url', 'file_hash'];

describe('import.csv', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('loads a firewall export with its row count, column names, engine types and roles', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['firewall.csv'] });
    const dataset = datasetOf(output);

    expect(dataset.rowCount).toBe(24);
    expect(output.rowsIn).toBe(24);
    expect(output.rowsOut).toBe(24);
    expect(dataset.columns.map((c) => c.name)).toEqual(FIREWALL_COLUMNS);
    expect(dataset.sources).toEqual(['firewall.csv']);

    const column = (name: string): { sqlType: string; role: string | null } => {
      const found = dataset.columns.find((c) => c.name === name);
      if (found === undefined) throw new Error(`no column ${name}`);
      return found;
    };
    expect(column('timestamp')).toEqual(expect.objectContaining({ sqlType: 'TIMESTAMP WITH TIME ZONE', role: 'timestamp' }));
    expect(column('src_port')).toEqual(expect.objectContaining({ sqlType: 'BIGINT', role: 'port' }));
    expect(column('bytes_sent')).toEqual(expect.objectContaining({ sqlType: 'BIGINT', role: 'measure' }));
    expect(column('src_ip')).toEqual(expect.objectContaining({ sqlType: 'VARCHAR', role: 'ip' }));
    expect(column('dst_ip').role).toBe('ip');
    expect(column('dst_port').role).toBe('port');
    expect(column('protocol').role).toBe('category');
    expect(column('user').role).toBe('user');
    expect(column('domain').role).toBe('domain');
    expect(column('url').role).toBe('url');
    expect(column('file_hash').role).toBe('hash');

    // The values themselves: the fifth data row is the connection to a Pikabot C2 address.
    const rows = await harness.rows(dataset.table);
    expect(rows[4]).toEqual(expect.objectContaining({ timestamp: '2026-03-02T08:14:05.000Z', dst_ip: '103.82.243.5', dst_port: 443, bytes_sent: 2311, user: 'omar.haddad' }));
    expect(rows[0]?.['file_hash']).toBeNull();
  });

  it('logs a read data operation with the rows and the bytes of the file', async () => {
    await harness.run(csvImport, {}, { paths: ['firewall.csv'] });
    const size = (await stat(join(FIXTURES_DIR, 'firewall.csv'))).size;

    const reads = harness.log.dataOperations.filter((op) => op.operation === 'read');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toEqual(expect.objectContaining({ target: 'firewall.csv', rows: 24, bytes: size, columns: FIREWALL_COLUMNS }));
  });

  it('stacks several files of one shape and says which file each row came from', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['firewall.csv', 'firewall-day2.csv'] });
    const dataset = datasetOf(output);

    expect(dataset.rowCount).toBe(28);
    expect(dataset.columns.map((c) => c.name)).toEqual([...FIREWALL_COLUMNS, 'source_file']);
    const perFile = await harness.sql.all(`SELECT source_file, count(*) AS n FROM "${dataset.table}" GROUP BY ALL ORDER BY n DESC`);
    expect(perFile.map((r) => [basename(plainText(r['source_file'])), r['n']])).toEqual([
      ['firewall.csv', 24],
      ['firewall-day2.csv', 4],
    ]);
    const day2 = await harness.sql.all(`SELECT dst_ip FROM "${dataset.table}" WHERE source_file LIKE '%firewall-day2.csv' ORDER BY "timestamp"`);
    expect(day2.map((r) => r['dst_ip'])).toEqual(['142.250.162.160', '168.61.173.149', '103.82.243.5', '10.20.0.53']);
  });

  it('refuses a missing file with a not-found error that names it', async () => {
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['firewall.csv', 'exports/missing-firewall.csv'] }), InputFileError);
    expect(error.problem).toBe('not-found');
    expect(error.code).toBe('input-file-not-found');
    expect(error.file).toBe('exports/missing-firewall.csv');
    expect(error.message).toContain('exports/missing-firewall.csv');
  });

  it('refuses an empty file and a header-only file as empty', async () => {
    const empty = await rejectionOf(harness.run(csvImport, {}, { paths: ['empty.csv'] }), InputFileError);
    expect(empty.problem).toBe('empty');
    expect(empty.message).toContain('empty.csv');

    const headerOnly = await rejectionOf(harness.run(csvImport, {}, { paths: ['header-only.csv'] }), InputFileError);
    expect(headerOnly.problem).toBe('empty');
    expect(headerOnly.message).toContain('header-only.csv');
  });

  it('names the row of a ragged CSV under strict, with a sniffed or a given delimiter', async () => {
    // Line 6 of the file (the fifth data row) has five fields where the header has six.
    for (const delimiter of [null, ',']) {
      const error = await rejectionOf(harness.run(csvImport, {}, { paths: ['ragged-firewall.csv'], delimiter, strict: true }), InputFileError);
      expect(error.problem).toBe('malformed');
      expect(error.message).toBe('ragged-firewall.csv:6: expected 6 fields, found 5 (row starts "2026-03-02T08:14:05Z,10.20.11.87,103.82.243.5,443,2311")');
    }
  });

  it('reads accented names from a Latin-1 file when told the encoding', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['hr-logins-latin1.csv'], encoding: 'latin-1' });
    const rows = await harness.rows(datasetOf(output).table);
    expect(rows.map((r) => [r['display_name'], r['city']])).toEqual([
      ['José Müller', 'Köln'],
      ['François Garçon', 'Orléans'],
      ['Zoë Halvorsen', 'Ålesund'],
      ['Inés Peña', 'Málaga'],
    ]);
  });

  it('reads a gzip-compressed file saved under a .csv name: its bytes say what it is, not its name', async () => {
    const output = await harness.run(csvImport, {}, { paths: ['firewall-gzipped.csv'] });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(24);
    expect(dataset.columns.map((c) => c.name).slice(0, 4)).toEqual(['timestamp', 'src_ip', 'src_port', 'dst_ip']);
    expect(output.message).toContain('inflated from firewall-gzipped.csv');
    const rows = await harness.rows(dataset.table);
    expect(rows[0]?.['src_ip']).toBe('10.20.12.214');
  });

  it('refuses a binary file read as UTF-8 when told the encoding, naming the encoding', async () => {
    const binary = resolve(import.meta.dirname, '..', '..', 'fixtures', 'bad', 'random-binary.csv');
    const error = await rejectionOf(harness.run(csvImport, {}, { paths: [binary], encoding: 'utf-8' }), InputFileError);
    expect(error.problem).toBe('malformed');
    expect(error.message.startsWith(binary)).toBe(true);
    expect(error.message).toMatch(/: text is not valid utf-8$/);
    expect(error.hint).toMatch(/encoding/);
  });
});
