import { describe, expect, it } from 'vitest';
import { mayHoldSecret, mayHoldSecretOrEscape, redact, redactText } from '../../src/session/redact.js';

const R = '[REDACTED]';

describe('redact', () => {
  it('replaces the values of secret-named keys, at any depth', () => {
    const out = redact({
      password: 'hunter2',
      api_key: 'sk-live-51HxYz',
      Authorization: 'Basic YWRtaW46aHVudGVyMg==',
      cookie: 'sid=9f8e7d6c',
      request: { headers: { 'X-Api-Key': 'abc123', Cookie: 'a=b' }, params: [{ access_token: 'ya29.a0Af' }] },
      rows: 1204,
      user: 'kira.rossi',
      file: 'firewall.csv',
    });
    expect(out).toEqual({
      password: R,
      api_key: R,
      Authorization: R,
      cookie: R,
      request: { headers: { 'X-Api-Key': R, Cookie: R }, params: [{ access_token: R }] },
      rows: 1204,
      user: 'kira.rossi',
      file: 'firewall.csv',
    });
  });

  it('leaves null and missing secrets as they are, so "no password" stays visible', () => {
    expect(redact({ password: null, token: undefined })).toEqual({ password: null, token: undefined });
  });

  it('redacts secret-shaped text under ordinary keys', () => {
    expect(redact({ command: 'mysql -u root -p s3cret' })).toEqual({ command: `mysql -u root -p ${R}` });
  });

  it('keeps an Error as its name and redacted message', () => {
    expect(redact(new Error('GET https://admin:hunter2@siem.contoso.com failed'))).toEqual({ name: 'Error', message: `GET https://admin:${R}@siem.contoso.com failed` });
  });

  it('does not copy a __proto__ key into the prototype', () => {
    const out = redact(JSON.parse('{"__proto__": {"polluted": true}, "rows": 3}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out as object)).toEqual(['__proto__', 'rows']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('stops at a bounded depth', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i += 1) deep = { inner: deep };
    expect(JSON.stringify(redact(deep))).toContain('[TRUNCATED]');
  });

  it('returns plain values unchanged', () => {
    expect(redact(42)).toBe(42);
    expect(redact(true)).toBe(true);
    expect(redact(null)).toBeNull();
    expect(redact(['a', 1])).toEqual(['a', 1]);
  });
});

describe('redactText', () => {
  it('redacts bearer and basic tokens', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrcm9zc2kifQ.sig-123')).toBe(`Authorization: ${R}`);
    expect(redactText('curl -H "Authorization: Basic YWRtaW46aHVudGVyMg==" x')).toBe(`curl -H "Authorization: ${R}" x`);
  });

  it('redacts AWS access key ids', () => {
    expect(redactText('key AKIAIOSFODNN7EXAMPLE used from 10.20.0.11')).toBe(`key ${R} used from 10.20.0.11`);
  });

  it('redacts private key blocks whole', () => {
    const text = 'found:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq\nq3Kf==\n-----END RSA PRIVATE KEY-----\nend';
    expect(redactText(text)).toBe(`found:\n${R}\nend`);
  });

  it('redacts the password of credentials in URLs, keeping the user and host', () => {
    expect(redactText('fetch https://feeduser:S3cretPass@intel.contoso.com/feed.csv now')).toBe(`fetch https://feeduser:${R}@intel.contoso.com/feed.csv now`);
    expect(redactText('postgres://svc_app:pa55w0rd@db01:5432/siem')).toBe(`postgres://svc_app:${R}@db01:5432/siem`);
  });

  it('redacts passwords and tokens in command lines', () => {
    expect(redactText('mysql -u root -p secret -h db01')).toBe(`mysql -u root -p ${R} -h db01`);
    expect(redactText('tool --password=x --verbose')).toBe(`tool --password=${R} --verbose`);
    expect(redactText('tool --token "a b c" --api-key k123')).toBe(`tool --token ${R} --api-key ${R}`);
    expect(redactText('-p hunter2')).toBe(`-p ${R}`);
  });

  it('leaves ordinary text untouched', () => {
    for (const text of [
      'Analyze this CSV for security threats and export enriched data',
      'https://www.gstatic.com/images/branding/product/2x/googleg_48dp.png',
      'user kira.rossi logged in from 10.20.12.214 at 2026-03-02T08:00:06Z',
      '1a945013489a88af369312fbce20f6701fb0df180e29113533d1cab036ce66a6',
      'cs-helper dynamic-workflow "problem" --input-files f.csv --outputs enriched_data threat_report --execute',
      'mailto:li.wei@contoso.com',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });
});

describe('redactText: key words as keys, and inside paths', () => {
  // A key word followed by `=` or `:` is a key, its value a secret; the same word as part of a path names a file.
  const redacted: [text: string, expected: string][] = [
    ['password: hunter2', `password: ${R}`],
    ['passwd=abc', `passwd=${R}`],
    ['api_key: ak_live_7HfG2kLmNp', `api_key: ${R}`],
    ['connect password=LibPq-Pw77 host=db03', `connect password=${R} host=db03`],
    ['export API_KEY=EnvKey-123abc', `export API_KEY=${R}`],
    ['db_password = "pg P4ss"', `db_password = ${R}`],
    ['x-api-key: xk-00ff00ff00ff', `x-api-key: ${R}`],
    ['client_secret:cs_9f8e7d6c', `client_secret:${R}`],
    ['spring.datasource.password=Spr1ng', `spring.datasource.password=${R}`],
    ['Token=abc; path=/', `Token=${R}; path=/`],
    ['note (password: hunter2 here)', `note (password: ${R} here)`],
  ];
  it.each(redacted)('redacts %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  const kept = [
    '/etc/passwd: is outside the folders this server may read and write',
    'C:\\Users\\kira\\secrets\\token: no such file',
    'feeds/api_key: no such file',
    '/home/kira/my-passwd: no such file',
    '../secret: is outside the folders this server may read and write',
    'error: /etc/passwd: is outside the folders this server may read and write\nhint: use a path inside /srv/cases',
    'scp backup-token:/srv/exports/x.csv .',
    'PATH=/usr/bin:/etc/secret:/bin',
  ];
  it.each(kept)('leaves %j untouched', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('mayHoldSecretOrEscape', () => {
  it('is true for exactly the characters JSON.stringify escapes, among all 65,536 code units', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c += 1) {
      const ch = String.fromCharCode(c);
      if (mayHoldSecretOrEscape(`x${ch}y`) !== (JSON.stringify(ch) !== `"${ch}"`)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });

  it('finds every astral character, written as a surrogate pair that JSON keeps, whatever its lower case', () => {
    // The search runs on the lower-cased text: an astral character that lower-cased into the BMP would lose its
    // surrogates, and with them the sign that the text needs the general path. None does.
    const missed: number[] = [];
    for (let cp = 0x10000; cp <= 0x10ffff; cp += 1) if (!mayHoldSecretOrEscape(String.fromCodePoint(cp))) missed.push(cp);
    expect(missed).toEqual([]);
  });

  it('finds what mayHoldSecret finds, in any case, and passes ordinary text', () => {
    for (const text of ['my PASSWORD here', 'Authorization: x', 'https://u:p@h/', 'run -pSecret', 'TOKEN', 'AKIA']) {
      expect(mayHoldSecret(text)).toBe(true);
      expect(mayHoldSecretOrEscape(text)).toBe(true);
    }
    expect(mayHoldSecretOrEscape('intel.ioc-match 45 indicator hits on 40 rows (461 indicators from 1 feeds, 5 columns)')).toBe(false);
    expect(mayHoldSecretOrEscape('wrote C:\\out\\enriched.csv')).toBe(true);
  });
});
