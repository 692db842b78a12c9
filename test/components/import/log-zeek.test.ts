// import.log on real Zeek logs of the Trickbot capture: column names and types from the header, values of given rows,
// unset and empty fields, the #close trailer, stacking two Zeek versions, and broken lines reported by number.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logImport } from '../../../src/components/import/log.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const CONN_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents', 'ip_proto'];
const HEADER = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\thttp', '#fields\tts\tuid\turi\tstatus_code\ttags', '#types\ttime\tstring\tstring\tcount\tset[enum]'];

describe('import.log: Zeek TSV', () => {
  let harness: ComponentHarness;
  let work: string;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
    work = await mkdtemp(join(tmpdir(), 'cs-helper-zeek-'));
  });
  afterEach(async () => {
    await harness.close();
    await rm(work, { recursive: true, force: true });
  });

  it('names and types the columns of a conn.log from its #fields and #types header', async () => {
    const output = await harness.run(logImport, {}, { paths: ['zeek/conn-trickbot.log'] });
    const dataset = datasetOf(output);

    expect(dataset.rowCount).toBe(300);
    expect(dataset.columns.map((c) => c.name)).toEqual(CONN_FIELDS);
    const column = (name: string): { sqlType: string; role: string | null } => dataset.columns.find((c) => c.name === name) ?? { sqlType: '?', role: null };
    expect(column('ts')).toEqual(expect.objectContaining({ sqlType: 'TIMESTAMP WITH TIME ZONE', role: 'timestamp' }));
    expect(column('id.orig_h')).toEqual(expect.objectContaining({ sqlType: 'VARCHAR', role: 'ip' }));
    expect(column('id.resp_h').role).toBe('ip');
    expect(column('id.orig_p').sqlType).toBe('INTEGER');
    expect(column('id.resp_p')).toEqual(expect.objectContaining({ sqlType: 'INTEGER', role: 'port' }));
    expect(column('duration').sqlType).toBe('DOUBLE');
    expect(column('orig_bytes').sqlType).toBe('BIGINT');
    expect(column('local_orig').sqlType).toBe('BOOLEAN');
    expect(column('tunnel_parents').sqlType).toBe('VARCHAR[]');
    expect(column('ip_proto').sqlType).toBe('BIGINT');
    // The #close trailer is not a rejected line.
    expect(output.summary).toEqual(expect.objectContaining({ format: 'zeek', zeek_path: 'conn', rejected_lines: 0, rows: 300 }));
    expect(harness.log.entries.filter((e) => e.level === 'warn')).toEqual([]);
  });

  it('reads the values of the third connection exactly, the time to the microsecond in UTC', async () => {
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: ['zeek/conn-trickbot.log'] }));
    const rows = await harness.rows(dataset);
    // 1541117137.655498	CJVAG33m5Wb5JaVL9	172.16.9.233	49161	172.16.9.5	88	tcp	krb_tcp	0.004037	1651	1627	RSTR	T	T	0	ShADadFr	6	1903	6	1879	-	6
    expect(rows[2]).toEqual(expect.objectContaining({
      'uid': 'CJVAG33m5Wb5JaVL9',
      'id.orig_h': '172.16.9.233',
      'id.orig_p': 49161,
      'id.resp_h': '172.16.9.5',
      'id.resp_p': 88,
      'service': 'krb_tcp',
      'duration': 0.004037,
      'orig_bytes': 1651,
      'conn_state': 'RSTR',
      'local_orig': true,
      'history': 'ShADadFr',
      'tunnel_parents': null,
      'ip_proto': 6,
    }));
    const ts = await harness.sql.scalar(`SELECT CAST(ts AS VARCHAR) FROM ${dataset.table} WHERE uid = 'CJVAG33m5Wb5JaVL9'`);
    expect(ts).toBe('2018-11-02 00:05:37.655498+00');
  });

  it('reads an http.log: (empty) sets as empty lists, vectors as lists, unset fields as NULL', async () => {
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: ['zeek/http-trickbot.log'] }));
    expect(dataset.rowCount).toBe(200);
    expect(dataset.columns.find((c) => c.name === 'resp_mime_types')?.sqlType).toBe('VARCHAR[]');
    const rows = await harness.rows(dataset);
    expect(rows[0]).toEqual(expect.objectContaining({ 'method': 'GET', 'host': 'www.msftncsi.com', 'uri': '/ncsi.txt', 'referrer': null, 'user_agent': 'Microsoft NCSI', 'status_code': 200, 'tags': [], 'resp_mime_types': ['text/plain'], 'id.resp_h': '23.63.78.26' }));
    expect(rows[1]).toEqual(expect.objectContaining({ host: 'bespokeutilitysolutions.co.uk', uri: '/sun.sets', status_code: 403, status_msg: 'Forbidden' }));
  });

  it('stacks logs of two Zeek versions by field name, with a source_file column', async () => {
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: ['zeek/conn-2010.log', 'zeek/conn-trickbot.log'] }));
    expect(dataset.rowCount).toBe(315);
    expect(dataset.columns.map((c) => c.name)).toEqual([...CONN_FIELDS.filter((f) => f !== 'ip_proto'), 'source_file', 'ip_proto']);
    const rows = await harness.rows(dataset);
    expect(rows[0]).toEqual(expect.objectContaining({ 'id.orig_h': '192.168.23.129', 'id.resp_p': 53, 'local_orig': null, 'tunnel_parents': [], 'ip_proto': null, 'source_file': 'zeek/conn-2010.log' }));
    expect(rows[15]).toEqual(expect.objectContaining({ 'uid': 'CYtJYz4gNk3t5ZEt2', 'ip_proto': 6, 'source_file': 'zeek/conn-trickbot.log' }));
  });

  it('keeps a # inside a field and an (empty) string, and reports a broken line by its number', async () => {
    const lines = [
      ...HEADER,
      '1541117142.680642\tCQ6SNQ3yMHiOE8wsEh\t/index.html#section-2\t200\t(empty)',
      '1541117143.000001\tCQ6SNQ3yMHiOE8wsEi\t(empty)\t404\tHTTP::URI_SQLI,HTTP::POST_BODY',
      '1541117144.5\tCQ6SNQ3yMHiOE8wsEj\t/cut-short',
      '1541117145.25\tCQ6SNQ3yMHiOE8wsEk\t/next\tnot-a-count\t-',
      '1541117146.125\tCQ6SNQ3yMHiOE8wsEl\t-\t-\t-',
      '#close\t2025-11-23-10-29-58',
    ];
    await writeFile(join(work, 'http.log'), `${lines.join('\n')}\n`);
    const output = await harness.run(logImport, {}, { paths: [join(work, 'http.log')] });
    const rows = await harness.rows(datasetOf(output));

    expect(rows.map((r) => r['uri'])).toEqual(['/index.html#section-2', '', null]);
    expect(rows[1]?.['tags']).toEqual(['HTTP::URI_SQLI', 'HTTP::POST_BODY']);
    expect(rows[2]).toEqual(expect.objectContaining({ status_code: null, tags: null }));
    expect(output.summary).toEqual(expect.objectContaining({ rejected_lines: 2 }));
    const warning = harness.log.entries.find((e) => e.type === 'lines-rejected');
    expect(warning?.description).toContain('http.log:10 (expected 5 fields, found 3)');
    expect(warning?.description).toContain('http.log:11 (a value that is not of its column');
    expect(output.message).toContain('2 line(s) set aside');
  });

  it('refuses to stack two different logs, naming both', async () => {
    const error = await rejectionOf(harness.run(logImport, {}, { paths: ['zeek/conn-trickbot.log', 'zeek/http-trickbot.log'] }), InputFileError);
    expect(error.message).toBe("zeek/http-trickbot.log: is a Zeek 'http' log, while zeek/conn-trickbot.log is a 'conn' log; one workflow reads one kind of log");
  });

  it('refuses a header whose #fields and #types disagree, naming the line', async () => {
    await writeFile(join(work, 'broken.log'), `${HEADER.slice(0, 6).join('\n')}\n#types\ttime\tstring\n1\tx\n`);
    const error = await rejectionOf(harness.run(logImport, {}, { paths: [join(work, 'broken.log')], format: 'zeek' }), InputFileError);
    expect(error.message).toBe(`${join(work, 'broken.log')}:7: not a readable Zeek log header: #fields names 5 columns but #types gives 2`);
  });

  it('refuses a log with a header and no data lines', async () => {
    await writeFile(join(work, 'empty.log'), `${HEADER.join('\n')}\n#close\t2025-11-23-10-29-58\n`);
    const error = await rejectionOf(harness.run(logImport, {}, { paths: [join(work, 'empty.log')] }), InputFileError);
    expect(error.problem).toBe('empty');
    expect(error.message).toContain('no data lines below the Zeek header');
  });
});
