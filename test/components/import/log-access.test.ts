// import.log on a real Apache access log of a vulnerability scan (every line wrapped in one more pair of quotes, escaped
// quotes inside fields): parsed fields and times in UTC, and lines that do not fit reported by number, never dropped.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logImport } from '../../../src/components/import/log.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const SLICE = 'web-logs/acunetix-slice.txt';
const COLUMNS = ['client_ip', 'ident', 'user', 'timestamp', 'method', 'path', 'protocol', 'status', 'bytes', 'referrer', 'user_agent', 'raw'];
const CHROME_41 = 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.21 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.21';

describe('import.log: access logs', () => {
  let harness: ComponentHarness;
  let work: string;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: IMPORT_FIXTURES });
    work = await mkdtemp(join(tmpdir(), 'cs-helper-access-'));
  });
  afterEach(async () => {
    await harness.close();
    await rm(work, { recursive: true, force: true });
  });

  it('splits every line of the scan into typed columns, with the client recognised as an IP', async () => {
    const output = await harness.run(logImport, {}, { paths: [SLICE] });
    const dataset = datasetOf(output);
    expect(dataset.rowCount).toBe(127);
    expect(dataset.columns.map((c) => c.name)).toEqual(COLUMNS);
    const column = (name: string): { sqlType: string; role: string | null } => dataset.columns.find((c) => c.name === name) ?? { sqlType: '?', role: null };
    expect(column('client_ip')).toEqual(expect.objectContaining({ sqlType: 'VARCHAR', role: 'ip' }));
    expect(column('timestamp')).toEqual(expect.objectContaining({ sqlType: 'TIMESTAMP WITH TIME ZONE', role: 'timestamp' }));
    expect(column('status').sqlType).toBe('INTEGER');
    expect(column('bytes').sqlType).toBe('BIGINT');
    expect(output.summary).toEqual(expect.objectContaining({ format: 'access', unparsed_lines: 0, partial_lines: 0, rejected_lines: 0, blank_lines: 0 }));
  });

  it('reads line 3 field by field, its +0300 time converted to UTC', async () => {
    const rows = await harness.rows(datasetOf(await harness.run(logImport, {}, { paths: [SLICE] })));
    // "192.168.4.25 - - [22/Dec/2016:16:28:53 +0300] "POST /index.php/component/search/ HTTP/1.1" 303 374 "http://192.168.4.161/DVWA" "Mozilla/5.0 ...""
    expect(rows[2]).toEqual({
      client_ip: '192.168.4.25',
      ident: null,
      user: null,
      timestamp: '2016-12-22T13:28:53.000Z',
      method: 'POST',
      path: '/index.php/component/search/',
      protocol: 'HTTP/1.1',
      status: 303,
      bytes: 374,
      referrer: 'http://192.168.4.161/DVWA',
      user_agent: CHROME_41,
      raw: null,
    });
  });

  it('undoes the escaped quotes of injected payloads and keeps an empty request target', async () => {
    const rows = await harness.rows(datasetOf(await harness.run(logImport, {}, { paths: [SLICE] })));
    expect(rows[31]?.['path']).toBe(`/index.php/component/search/?ordering=newest&searchphrase=any&searchword=%f0''%f0""`);
    // Line 121 (line 934 of the original): a DOM-XSS probe in the referrer.
    expect(rows[120]).toEqual(expect.objectContaining({ status: 200, bytes: 3147, referrer: `http://www.acunetix-referrer.com/javascript:domxssExecutionSink(0,"'\\"><xsstag>()refdxss")`, raw: null }));
    // Line 122 (line 1806): a Shellshock payload sent as the referrer.
    expect(rows[121]).toEqual(expect.objectContaining({ path: '/cgi-sys/entropybanner.cgi', status: 404, referrer: expect.stringMatching(/^\(\) \{ Referer; \}; echo -e "Content-Type: text\/plain\\n"; /) as unknown }));
    // Line 123 (line 2099): "GET  HTTP/1.1", answered 400, no referrer nor agent.
    expect(rows[122]).toEqual(expect.objectContaining({ method: 'GET', path: '', protocol: 'HTTP/1.1', status: 400, bytes: 300, referrer: null, user_agent: null, raw: null }));
  });

  it('keeps lines that do not fit with their raw text, reports them by line number, and reads common-format lines', async () => {
    const real = (await readFile(join(IMPORT_FIXTURES, SLICE), 'utf8')).split('\n');
    const lines = [
      real[0],
      'this is not an access log line',
      '10.0.0.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      real[2]?.slice(0, 80),
      '',
      '203.0.113.9 - - [22/Dec/2016:16:30:52 +0300] "-" 408 -',
      '203.0.113.9 - - [31/Foo/2016:16:30:52 +0300] "GET / HTTP/1.1" 200 10 "-" "curl/8.5.0"',
      real[1],
    ];
    await writeFile(join(work, 'access.log'), `${lines.join('\n')}\n`);
    const output = await harness.run(logImport, {}, { paths: [join(work, 'access.log')] });
    const rows = await harness.rows(datasetOf(output));

    expect(rows).toHaveLength(7);
    expect(output.summary).toEqual(expect.objectContaining({ unparsed_lines: 2, partial_lines: 2, blank_lines: 1, first_unparsed_lines: [2, 4, 6, 7].map((n) => `${join(work, 'access.log')}:${n}`) }));
    expect(rows[1]).toEqual(expect.objectContaining({ client_ip: null, status: null, raw: 'this is not an access log line' }));
    expect(rows[2]).toEqual(expect.objectContaining({ client_ip: '10.0.0.7', user: 'frank', timestamp: '2000-10-10T20:55:36.000Z', path: '/apache_pb.gif', status: 200, bytes: 2326, referrer: null, user_agent: null, raw: null }));
    expect(rows[4]).toEqual(expect.objectContaining({ client_ip: '203.0.113.9', method: null, status: 408, bytes: 0, raw: lines[5] }));
    expect(rows[5]).toEqual(expect.objectContaining({ timestamp: null, status: 200, user_agent: 'curl/8.5.0', raw: lines[6] }));
    const warning = harness.log.entries.find((e) => e.type === 'lines-unparsed');
    expect(warning?.description).toContain('2 line(s) not in the combined or common log format (kept with their raw text), 2 with an unreadable time or request');
    expect(output.message).toContain(`4 line(s) not read in full (first at ${join(work, 'access.log')}:2`);
  });

  it("sets unparseable lines aside with unparsed: 'skip', and counts lines the reader refused before numbering the rest", async () => {
    const real = (await readFile(join(IMPORT_FIXTURES, SLICE), 'utf8')).split('\n');
    const notUtf8 = Buffer.from([0x31, 0x2e, 0x32, 0xff, 0xfe, 0x0a]);
    await writeFile(join(work, 'access.log'), Buffer.concat([Buffer.from(`${real[0] ?? ''}\n`), notUtf8, Buffer.from(`garbage\n${real[1] ?? ''}\n`)]));
    const output = await harness.run(logImport, {}, { paths: [join(work, 'access.log')], unparsed: 'skip' });
    const rows = await harness.rows(datasetOf(output));

    expect(rows.map((r) => r['timestamp'])).toEqual(['2016-12-22T13:30:52.000Z', '2016-12-22T13:29:05.000Z']);
    // Line 2 is set aside by the reader (not UTF-8); the garbage is still found on line 3.
    expect(output.summary).toEqual(expect.objectContaining({ unparsed_lines: 1, rejected_lines: 1, first_unparsed_lines: [`${join(work, 'access.log')}:3`] }));
    expect(harness.log.entries.find((e) => e.type === 'lines-rejected')?.description).toContain('access.log:2 (bytes that are not UTF-8)');
  });
});
