// intel.ioc-match edge cases: CIDR ranges (IPv4 and IPv6) at their borders, domain suffixes against look-alikes,
// URL normalisation (scheme, case, default port, trailing slash), URL hosts against domain and IP indicators, and
// defanged indicators in free text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import { matchWrittenCase, type WrittenCase } from '../../helpers/ioc-match-run.js';

// Real values: 192.9.135.73 (Feodo Tracker), officeman.tk and its admin.php URL (ViriBack), 182.126.120.150 URL
// (URLhaus); the ranges are documentation and test ranges, written for these cases.
const FEED = [
  '# edge-case feed',
  '198.51.100.0/24',
  '203.0.113.128/25',
  '2001:db8:abcd::/48',
  '2001:db8:1:2::/63',
  '192.9.135.73',
  'officeman[.]tk',
  'evil-cdn.com',
  'http://182.126.120.150:58801/i',
  'hxxps://update.example-cdn.net/payload/',
  'duckdns.org',
].join('\n');

const DATA = [
  'id,ip,domain,url,message',
  '0,198.51.100.0,a.b.officeman.tk,HTTP://OFFICEMAN.TK:80/images/admin.php,nothing here',
  '1,198.51.100.255,notofficeman.tk,http://182.126.120.150:58801/i/,fetch hxxps://update[.]example-cdn[.]net/payload/. done',
  '2,198.51.101.0,officeman.tk.,https://update.example-cdn.net:443/payload,beacon to 192.9.135[.]73 then evil-cdn(dot)com',
  '3,203.0.113.127,evil-cdn.com.attacker.net,update.example-cdn.net/payload,host x.evil-cdn.com and notevil-cdn.com',
  '4,203.0.113.128,officeman.tk,http://update.example-cdn.net/payload2,fine',
  '5,2001:db8:abcd:ffff::1,foo.duckdns.org,https://sub.officeman.tk/x,fine',
  '6,2001:db8:abce::1,example.org,http://192.9.135.73:8080/gate.php,fine',
  '7,2001:DB8:1:3:ffff::9,example.org,ftp://evil-cdn.com/a,fine',
  '8,2001:db8:1:4::1,example.org,http://user@evil-cdn.com./a,fine',
  '9,10.0.0.1,example.org,https://Sub.Evil-CDN.com?ref=1,fine',
  '10,10.0.0.2,example.org,http://[2001:DB8:ABCD::5]/x,fine',
  '11,10.0.0.3,example.org,HTTPS://EVIL-CDN.COM#top,fine',
  '12,10.0.0.4,example.org,,get hxxp://x.evil-cdn[.]com/b.ps1 and http://evil-cdn.com/a then X.Evil-CDN.com',
].join('\n');

let run: WrittenCase;
let found: PlainRow[];
beforeAll(async () => {
  run = await matchWrittenCase(FEED, DATA, { text_columns: ['message'] });
  found = await run.harness.sql.all(`SELECT row_id, label, detail->>'column' AS column, detail->>'match' AS how FROM "${run.findings}" ORDER BY row_id, label`);
});
afterAll(async () => {
  await run.close();
});

const on = (row: number): string[] => found.filter((h) => h['row_id'] === row).map((h) => `${plainText(h['column'])} ${plainText(h['label'])} ${plainText(h['how'])}`);

describe('intel.ioc-match edge cases', () => {
  it('matches IPv4 ranges at both ends and not one past them', () => {
    expect(on(0).filter((h) => h.startsWith('ip '))).toEqual(['ip cidr:198.51.100.0/24 cidr']);
    expect(on(1).filter((h) => h.startsWith('ip '))).toEqual(['ip cidr:198.51.100.0/24 cidr']);
    expect(on(2).filter((h) => h.startsWith('ip '))).toEqual([]);
    expect(on(3).filter((h) => h.startsWith('ip '))).toEqual([]);
    expect(on(4).filter((h) => h.startsWith('ip '))).toEqual(['ip cidr:203.0.113.128/25 cidr']);
  });

  it('matches IPv6 ranges, compressed or not, upper-case or not, with prefixes off the 16-bit groups', () => {
    expect(on(5).filter((h) => h.startsWith('ip '))).toEqual(['ip cidr:2001:db8:abcd::/48 cidr']);
    expect(on(6).filter((h) => h.startsWith('ip '))).toEqual([]);
    // /63 covers 2001:db8:1:2:: to 2001:db8:1:3:ffff:...; 2001:db8:1:4:: is past it.
    expect(on(7).filter((h) => h.startsWith('ip '))).toEqual(['ip cidr:2001:db8:1:2::/63 cidr']);
    expect(on(8).filter((h) => h.startsWith('ip '))).toEqual([]);
  });

  it('matches a domain and its subdomains, with a trailing dot, never a look-alike or a domain that only starts with it', () => {
    expect(on(0).filter((h) => h.startsWith('domain '))).toEqual(['domain domain:officeman.tk suffix']);
    expect(on(1).filter((h) => h.startsWith('domain '))).toEqual([]);
    expect(on(2).filter((h) => h.startsWith('domain '))).toEqual(['domain domain:officeman.tk exact']);
    expect(on(3).filter((h) => h.startsWith('domain '))).toEqual([]);
    expect(on(4).filter((h) => h.startsWith('domain '))).toEqual(['domain domain:officeman.tk exact']);
  });

  it('drops a feed entry that is a public suffix: duckdns.org would flag every dynamic-DNS host', () => {
    expect(on(5).filter((h) => h.startsWith('domain '))).toEqual([]);
  });

  it('normalises URLs: scheme, case, default port and trailing slash; a different path is no match', () => {
    expect(on(1).filter((h) => h.startsWith('url '))).toEqual(['url url:http://182.126.120.150:58801/i exact']);
    expect(on(2).filter((h) => h.startsWith('url '))).toEqual(['url url:https://update.example-cdn.net/payload exact']);
    expect(on(3).filter((h) => h.startsWith('url '))).toEqual(['url url:https://update.example-cdn.net/payload exact']);
    expect(on(4).filter((h) => h.startsWith('url '))).toEqual([]);
  });

  it('matches URL hosts against domain and IP indicators, subdomains, user info and trailing dots included', () => {
    // Row 0's URL host is officeman.tk, already hit through the domain column: one finding per row and indicator.
    expect(on(0).filter((h) => h.includes('domain:officeman.tk'))).toEqual(['domain domain:officeman.tk suffix']);
    expect(on(5).filter((h) => h.startsWith('url '))).toEqual(['url domain:officeman.tk url-host']);
    expect(on(6).filter((h) => h.startsWith('url '))).toEqual(['url ip:192.9.135.73 url-host']);
    expect(on(7).filter((h) => h.startsWith('url '))).toEqual(['url domain:evil-cdn.com url-host']);
    expect(on(8).filter((h) => h.startsWith('url '))).toEqual(['url domain:evil-cdn.com url-host']);
  });

  it('reads the host of a URL with a query or a fragment and no path, of any case, and a bracketed IPv6 host', () => {
    expect(on(9)).toEqual(['url domain:evil-cdn.com url-host']);
    expect(on(10)).toEqual(['url cidr:2001:db8:abcd::/48 url-host']);
    expect(on(11)).toEqual(['url domain:evil-cdn.com url-host']);
  });

  it('extracts defanged indicators from free text and matches them; look-alikes in text do not match', () => {
    expect(on(0).filter((h) => h.startsWith('message '))).toEqual([]);
    expect(on(1).filter((h) => h.startsWith('message '))).toEqual(['message url:https://update.example-cdn.net/payload extracted']);
    expect(on(2).filter((h) => h.startsWith('message '))).toEqual(['message domain:evil-cdn.com extracted', 'message ip:192.9.135.73 extracted']);
    expect(on(3).filter((h) => h.startsWith('message '))).toEqual(['message domain:evil-cdn.com extracted']);
  });

  it('reports an indicator a text holds several times once, with the shortest value found', async () => {
    // Four values of row 12 fall under evil-cdn.com: two URLs and the hosts x.evil-cdn.com and evil-cdn.com.
    const rows = await run.harness.sql.all(`SELECT label, detail->>'value' AS value FROM "${run.findings}" WHERE row_id = 12 ORDER BY label`);
    expect(rows.map((r) => [r['label'], r['value']])).toEqual([['domain:evil-cdn.com', 'evil-cdn.com']]);
  });
});
