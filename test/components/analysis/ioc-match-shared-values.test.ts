// intel.ioc-match with several host-like columns matched together: the distinct values of every IP, hostname, domain
// and URL column go into one table that is matched once, and each column's pairs go back to its own rows. Also the
// two cheap tests run before the costly matching: a host must end in the last two labels of a domain indicator, and an
// IPv4 address must start with an octet a range covers (leading zeros included). Every finding is asserted.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { buildIndicatorKeys } from '../../../src/components/analysis/ioc-match/indicator-keys.js';
import { ComponentHarness, findingsOf } from '../../helpers/component-harness.js';
import { matchWrittenCase, type WrittenCase } from '../../helpers/ioc-match-run.js';

// Documentation and test ranges and names, written for these cases.
const FEED = ['10.1.0.0/16', '172.16.0.0/12', '198.51.100.7', 'a.deep-evil.net', 'evil-site.com', 'http://evil-site.com/drop.bin'].join('\n');

const DATA = [
  'id,src_ip,dst_ip,host,domain,url',
  // The same range hit in both IP columns of one row: one finding, from the first column.
  '0,10.1.2.3,10.1.9.9,ws01,example.org,https://example.org/',
  // The same address in different columns of different rows: a finding on each row, named by its column.
  '1,198.51.100.7,192.0.2.1,ws02,example.org,https://example.org/',
  '2,192.0.2.1,198.51.100.7,ws03,example.org,https://example.org/',
  // Leading zeros: 010.1.2.5 is 10.1.2.5. 10.2.0.1 starts with a covered octet but is in no range; 11.1.0.1 starts
  // with an uncovered one. 172.31.255.255 is the last address of the /12.
  '3,010.1.2.5,10.2.0.1,ws04,example.org,https://example.org/',
  '4,11.1.0.1,172.31.255.255,ws05,example.org,https://example.org/',
  // A host column holding an address is matched as one; the domain ends in deep-evil.net like the indicator but is not
  // under it; x.a.deep-evil.net is.
  '5,192.0.2.2,192.0.2.3,10.1.0.1,deep-evil.net,https://b.deep-evil.net/',
  '6,192.0.2.2,192.0.2.3,ws06,x.a.deep-evil.net,https://x.a.deep-evil.net/',
  // The domain in the domain column and in the URL's host: one finding, the domain column's; the URL is its own indicator.
  '7,192.0.2.2,192.0.2.3,ws07,evil-site.com,HTTPS://EVIL-SITE.COM/drop.bin',
  // Only in the URL's host, and a URL written with an upper-case scheme and user info.
  '8,192.0.2.2,192.0.2.3,ws08,example.org,HTTP://user@CDN.EVIL-SITE.COM:8080/x',
  '9,192.0.2.2,192.0.2.3,localhost,com,http://198.51.100.7/x',
].join('\n');

let run: WrittenCase;
let harness: ComponentHarness;
let dataset: DatasetHandle;
let found: PlainRow[];
beforeAll(async () => {
  run = await matchWrittenCase(FEED, DATA);
  ({ harness, dataset } = run);
  found = await harness.sql.all(`SELECT row_id, detail->>'column' AS column, label, detail->>'match' AS how, detail->>'value' AS value FROM "${run.findings}" ORDER BY row_id, detail->>'column', label`);
});
afterAll(async () => {
  await run.close();
});

describe('intel.ioc-match over several host-like columns at once', () => {
  it('matches the IP, host, domain and URL columns', () => {
    expect(dataset.columns.map((c) => `${c.name}:${c.role ?? '-'}`)).toEqual(['id:identifier', 'src_ip:ip', 'dst_ip:ip', 'host:hostname', 'domain:domain', 'url:url']);
  });

  it('reports each hit once per row and indicator, from the first column, with the value as written there', () => {
    expect(found.map((h) => [h['row_id'], h['column'], h['label'], h['how'], h['value']].map((v) => plainText(v)).join(' '))).toEqual([
      '0 src_ip cidr:10.1.0.0/16 cidr 10.1.2.3',
      '1 src_ip ip:198.51.100.7 exact 198.51.100.7',
      '2 dst_ip ip:198.51.100.7 exact 198.51.100.7',
      '3 src_ip cidr:10.1.0.0/16 cidr 010.1.2.5',
      '4 dst_ip cidr:172.16.0.0/12 cidr 172.31.255.255',
      '5 host cidr:10.1.0.0/16 cidr 10.1.0.1',
      '6 domain domain:a.deep-evil.net suffix x.a.deep-evil.net',
      '7 domain domain:evil-site.com exact evil-site.com',
      '7 url url:http://evil-site.com/drop.bin exact https://evil-site.com/drop.bin',
      '8 url domain:evil-site.com url-host http://user@cdn.evil-site.com:8080/x',
      '9 url ip:198.51.100.7 url-host http://198.51.100.7/x',
    ]);
  });
});

describe('URL keys', () => {
  it('are kept for the exact join only when their host is a host of the data, and all of them when no host key exists', async () => {
    // Only URL indicators: the hosts are not read, and every key takes part in the exact join.
    await writeFile(join(run.folder, 'urls.txt'), ['http://evil-site.com/drop.bin', 'https://cdn.evil-site.com/x'].join('\n'));
    const onlyUrls = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['urls.txt'], include_bundled: false, include_imported: false });
    // With a domain indicator too, the hosts are read and the keys are cut down to those of hosts in the data.
    await writeFile(join(run.folder, 'mixed.txt'), ['http://evil-site.com/drop.bin', 'https://cdn.evil-site.com/x', 'http://absent.example.net/a', 'deep-evil.net'].join('\n'));
    const mixed = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['mixed.txt'], include_bundled: false, include_imported: false });
    const rows = async (table: string): Promise<string[]> =>
      (await harness.sql.all(`SELECT row_id, label, detail->>'match' AS how FROM "${table}" ORDER BY row_id, label`)).map((h) => `${plainText(h['row_id'])} ${plainText(h['label'])} ${plainText(h['how'])}`);
    expect(await rows(findingsOf(onlyUrls).table)).toEqual(['7 url:http://evil-site.com/drop.bin exact']);
    expect(await rows(findingsOf(mixed).table)).toEqual([
      '5 domain:deep-evil.net exact',
      '6 domain:deep-evil.net suffix',
      '7 url:http://evil-site.com/drop.bin exact',
    ]);
  });
});

describe('the tables of the cheap tests', () => {
  it('hold the last two labels of every domain indicator and every first octet an IPv4 range covers', async () => {
    await harness.sql.run(
      `CREATE TABLE test_keys AS SELECT * FROM (VALUES ('domain', 'a.deep-evil.net'), ('domain', 'evil-site.com'), ('domain', 'x.evil-site.com'), ('cidr', '10.1.0.0/16'), ('cidr', '172.16.0.0/12'), ('cidr', '172.20.0.0/16'), ('cidr', '2001:db8::/32'), ('ip', '10.9.9.9'))
         AS t(type, value) CROSS JOIN (SELECT 0.5 AS confidence, 'test' AS sources, NULL::VARCHAR AS threat, NULL::VARCHAR AS threat_type)`,
    );
    const keys = await buildIndicatorKeys(harness.sql, 'test_keys');
    const tails = await harness.sql.all(`SELECT second_label || '.' || last_label AS tail FROM "${keys.domainTails}" ORDER BY tail`);
    const octets = await harness.sql.all(`SELECT octet FROM "${keys.ranges4Octets}" ORDER BY octet`);
    expect(tails.map((r) => r['tail'])).toEqual(['deep-evil.net', 'evil-site.com']);
    expect(octets.map((r) => r['octet'])).toEqual([10, 172]);
  });

  it('hold each URL key host once, however many forms its URLs are written in', async () => {
    await harness.sql.run(
      `CREATE TABLE test_url_keys AS SELECT * FROM (VALUES ('url', 'http://evil-site.com/drop.bin'), ('url', 'https://evil-site.com/other'), ('url', 'http://user@cdn.evil-site.com:8080/x'), ('domain', 'deep-evil.net'))
         AS t(type, value) CROSS JOIN (SELECT 0.5 AS confidence, 'test' AS sources, NULL::VARCHAR AS threat, NULL::VARCHAR AS threat_type)`,
    );
    const keys = await buildIndicatorKeys(harness.sql, 'test_url_keys');
    const hosts = await harness.sql.all(`SELECT url_host FROM "${keys.urlHosts}" ORDER BY url_host`);
    expect(hosts.map((r) => r['url_host'])).toEqual(['cdn.evil-site.com', 'evil-site.com']);
    expect(keys.sizes.urls).toBeGreaterThan(hosts.length);
  });
});
