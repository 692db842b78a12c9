// intel.ioc-match on the paths of the distinct-value matcher: nested and adjacent CIDR ranges (flattened into disjoint
// intervals and found by an ASOF join), ranges at the top of the IPv4 and IPv6 spaces, IPv6 hosts in URLs, a domain
// equal to an indicator beside look-alikes, suffixes longer than the longest indicator, and URL forms against the
// URL keys. Every finding is asserted, so a missing or extra hit fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import { matchWrittenCase, type WrittenCase } from '../../helpers/ioc-match-run.js';

// Documentation and test ranges, written for these cases.
const FEED = [
  '10.0.0.0/8',
  '10.1.0.0/16',
  '10.1.2.0/24',
  '10.1.3.0/24',
  '255.255.255.0/24',
  '2001:db8::/32',
  '2001:db8:1::/48',
  'ffff:ffff:ffff:ffff::/64',
  '192.0.2.10',
  'evil-site.com',
  'a.b.deep-evil.net',
  // Eight labels: longer than the suffixes cut by list slices, so this file's hosts go through the other path.
  'a.b.c.d.e.f.long-evil.org',
  'http://evil-site.com/payload/run.exe',
].join('\n');

const DATA = [
  'id,ip,domain,url',
  '0,10.1.2.5,evil-site.com,HTTP://EVIL-SITE.COM:80/payload/run.exe',
  '1,10.1.3.255,EVIL-SITE.COM.,evil-site.com/payload/run.exe/',
  '2,10.2.0.1,a.evil-site.com,https://evil-site.com:443/payload/run.exe',
  '3,11.0.0.0,notevil-site.com,http://evil-site.com/payload/run.exe2',
  '4,9.255.255.255,evil-site.com.org,http://[2001:db8:1::5]:8080/x',
  '5,255.255.255.255,x.y.z.a.b.deep-evil.net,http://user@192.0.2.10:8080/gate',
  '6,2001:db8:1:ffff::1,b.deep-evil.net,http://notevil-site.com/payload/run.exe',
  '7,2001:db9::1,deep-evil.net,https://cdn.evil-site.com/x',
  '8,FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF,example.org,ftp://a.b.deep-evil.net./pub',
  '9,10.1.2.256,example.org,http://192.0.2.11/',
  '10,192.0.2.99,x.a.b.c.d.e.f.long-evil.org,http://example.org/',
  '11,192.0.2.99,b.c.d.e.f.long-evil.org,http://example.org/',
  // Eight groups around a `::`, which stands for one zero group or more: no address, though it reads as one in 2001:db8:1::/48.
  '12,2001:db8:1:2::3:4:5:6,example.org,http://[2001:db8:1:2::3:4:5:6]/',
  // Seven groups around it: the `::` is one zero group, and the address is in both ranges.
  '13,2001:db8:1::3:4:5:6,example.org,http://example.org/',
  // A group of five hex digits: no address, though its first groups are in 2001:db8::/32 (cut to four digits, it would be).
  '14,2001:db8:12345::1,example.org,http://example.org/',
].join('\n');

let run: WrittenCase;
let found: PlainRow[];
beforeAll(async () => {
  run = await matchWrittenCase(FEED, DATA);
  found = await run.harness.sql.all(`SELECT row_id, label, detail->>'column' AS column, detail->>'match' AS how FROM "${run.findings}" ORDER BY row_id, label`);
});
afterAll(async () => {
  await run.close();
});

const of = (column: string): string[] => found.filter((h) => h['column'] === column).map((h) => `${plainText(h['row_id'])} ${plainText(h['label'])} ${plainText(h['how'])}`);

describe('intel.ioc-match ranges, domains and URL forms', () => {
  it('finds every nested and adjacent IPv4 range an address falls in, none past their ends', () => {
    expect(of('ip').filter((h) => !h.includes(':2001') && !h.includes(':ffff'))).toEqual([
      '0 cidr:10.0.0.0/8 cidr',
      '0 cidr:10.1.0.0/16 cidr',
      '0 cidr:10.1.2.0/24 cidr',
      '1 cidr:10.0.0.0/8 cidr',
      '1 cidr:10.1.0.0/16 cidr',
      '1 cidr:10.1.3.0/24 cidr',
      '2 cidr:10.0.0.0/8 cidr',
      // 255.255.255.255 is the last IPv4 address: the range that ends there has no boundary after it.
      '5 cidr:255.255.255.0/24 cidr',
    ]);
  });

  it('finds nested IPv6 ranges, and the range that ends at the last IPv6 address, written in upper case; never a text with a `::` among eight groups', () => {
    expect(of('ip').filter((h) => h.includes(':2001') || h.includes(':ffff'))).toEqual([
      '6 cidr:2001:db8:1::/48 cidr',
      '6 cidr:2001:db8::/32 cidr',
      '8 cidr:ffff:ffff:ffff:ffff::/64 cidr',
      '13 cidr:2001:db8:1::/48 cidr',
      '13 cidr:2001:db8::/32 cidr',
    ]);
  });

  it('matches a domain equal to an indicator (any case, trailing dot) and its subdomains, never a look-alike', () => {
    expect(of('domain')).toEqual([
      '0 domain:evil-site.com exact',
      '1 domain:evil-site.com exact',
      '2 domain:evil-site.com suffix',
      // Six labels under a four-label indicator: suffixes are made up to the longest indicator, and that is enough.
      '5 domain:a.b.deep-evil.net suffix',
      '10 domain:a.b.c.d.e.f.long-evil.org suffix',
    ]);
  });

  it('matches URL forms to the URL indicator and URL hosts to domains, IPs and ranges', () => {
    expect(of('url')).toEqual([
      '0 url:http://evil-site.com/payload/run.exe exact',
      '1 url:http://evil-site.com/payload/run.exe exact',
      '2 url:http://evil-site.com/payload/run.exe exact',
      // Rows 0-2's host hits are the domain column's (one finding per row and indicator); row 3's path differs, its
      // host does not, and its domain column holds only a look-alike.
      '3 domain:evil-site.com url-host',
      '4 cidr:2001:db8:1::/48 url-host',
      '4 cidr:2001:db8::/32 url-host',
      '5 ip:192.0.2.10 url-host',
      '7 domain:evil-site.com url-host',
      '8 domain:a.b.deep-evil.net url-host',
    ]);
  });
});
