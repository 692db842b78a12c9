// The URL host expressions indicator matching and pattern analysis share: a URL column's host is read from the distinct
// authority parts of its URLs, far fewer than its URLs, so the host read from a URL's authority part must be the host
// read from the whole URL, for every way a URL can be written, and the part must be text the URL holds as written (the
// join back searches each URL for it).
import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/data/plain-value.js';
import { quoteLiteral } from '../../src/data/sql-text.js';
import { authorityHost, authorityPart, urlHost } from '../../src/data/url-host-sql.js';
import { engineSession } from '../helpers/engine-session.js';

const engine = engineSession();

/** URL texts with the host urlHost reads from each, lower-cased. */
const URLS: readonly (readonly [string, string])[] = [
  ['https://evil.example.com/drop/a.bin', 'evil.example.com'],
  ['http://evil.example.com', 'evil.example.com'],
  ['HTTP://Evil.Example.com:80/drop/', 'evil.example.com'],
  ['Https://EVIL.example.com?q=1', 'evil.example.com'],
  ['https://user:secret@evil.example.com:8443/x', 'evil.example.com'],
  ['http://evil.example.com./x', 'evil.example.com'],
  ['http://[2001:DB8::1]:8080/x', '2001:db8::1'],
  ['https://198.51.100.7/gate.php', '198.51.100.7'],
  ['ftp://files.example.org/pub/x', 'files.example.org'],
  ['hxxp://defanged.example.net/x', 'defanged.example.net'],
  ['evil.example.com/drop/a/b/c', 'evil.example.com'],
  ['evil.example.com:8080/x', 'evil.example.com'],
  ['evil.example.com', 'evil.example.com'],
  ['user@evil.example.com/x', 'evil.example.com'],
  ['mailto:someone@mail.example.com', 'mail.example.com'],
  ['https://evil.example.com#frag', 'evil.example.com'],
  ['https:/one-slash.example.com/x', 'https'],
  ['1http://bad-scheme.example.com/x', '1http'],
  ['//no-scheme.example.com/x', ''],
  ['https://', ''],
];

describe('authorityPart and authorityHost', () => {
  it('read from a URL the host urlHost reads from the whole URL, and a part the URL holds as written', async () => {
    const values = URLS.map(([url]) => `(${quoteLiteral(url)})`).join(', ');
    const rows = await engine.sql.all(
      `SELECT u, ${urlHost('lower(u)')} AS whole, ${authorityHost(authorityPart('u'))} AS from_part, contains(u, ${authorityPart('u')}) AS held
       FROM (VALUES ${values}) AS t(u)`,
    );
    const read = new Map(rows.map((r) => [plainText(r['u']), { whole: plainText(r['whole']), fromPart: plainText(r['from_part']), held: r['held'] }]));
    for (const [url, host] of URLS) {
      expect({ url, ...read.get(url) }).toEqual({ url, whole: host, fromPart: host, held: true });
    }
  });
});
