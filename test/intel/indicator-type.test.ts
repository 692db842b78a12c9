import { describe, expect, it } from 'vitest';
import { classifyIndicator, INDICATOR_TYPES, isIndicatorType, normaliseIndicator, refang } from '../../src/intel/indicator-type.js';

describe('classifyIndicator', () => {
  it('recognises IPv4 and IPv6 addresses', () => {
    expect(classifyIndicator('192.9.135.73')).toBe('ip');
    expect(classifyIndicator('2001:db8::bad:c0de')).toBe('ip');
    expect(classifyIndicator('2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toBe('ip');
    expect(classifyIndicator('::1')).toBe('ip');
    // IPv4-mapped, as Windows writes IPv4 peers of a dual-stack socket (the feed stores it as 192.9.135.73).
    expect(classifyIndicator('::ffff:192.9.135.73')).toBe('ip');
  });

  it('does not take an out-of-range IPv4, a clock time or a MAC address for an IP', () => {
    expect(classifyIndicator('256.1.1.1')).not.toBe('ip');
    expect(classifyIndicator('12:30:45')).toBeNull();
    expect(classifyIndicator('00:1a:2b:3c:4d:5e')).toBeNull();
  });

  it('recognises URLs, defanged or not', () => {
    expect(classifyIndicator('http://vman23.com/ba24/admin.php')).toBe('url');
    expect(classifyIndicator('https://officeman.tk/images/admin.php')).toBe('url');
    expect(classifyIndicator('hxxp://182.126.120.150:58801/i')).toBe('url');
    expect(classifyIndicator('hxxps://evil[.]com/login')).toBe('url');
  });

  it('tells md5, sha1 and sha256 apart by length', () => {
    expect(classifyIndicator('9363fa2625198beb1fcce0ef07f558ff')).toBe('md5');
    expect(classifyIndicator('854c68ab7ad70b6f95f76ec64b8a46c145997629')).toBe('sha1');
    expect(classifyIndicator('19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e')).toBe('sha256');
    expect(classifyIndicator('9363FA2625198BEB1FCCE0EF07F558FF')).toBe('md5');
    // 33 hex digits: no hash has that length.
    expect(classifyIndicator('9363fa2625198beb1fcce0ef07f558ff0')).toBeNull();
  });

  it('recognises domains, defanged or not', () => {
    expect(classifyIndicator('officeman.tk')).toBe('domain');
    expect(classifyIndicator('learn.cloudience.com')).toBe('domain');
    expect(classifyIndicator('evil(dot)com')).toBe('domain');
    expect(classifyIndicator('update-check[.]top')).toBe('domain');
  });

  it('gives null for garbage', () => {
    for (const value of ['', '   ', 'see ticket INC-4711', 'localhost', 'not a url://x', 'x'.repeat(3000), '-']) {
      expect(classifyIndicator(value), value.slice(0, 20)).toBeNull();
    }
  });
});

describe('refang', () => {
  it('undoes the usual defanging', () => {
    expect(refang('hxxp://evil[.]com')).toBe('http://evil.com');
    expect(refang('hXXps://evil[.]com/a')).toBe('https://evil.com/a');
    expect(refang('evil(dot)com')).toBe('evil.com');
    expect(refang('evil[dot]com')).toBe('evil.com');
    expect(refang('192.9.135(.)73')).toBe('192.9.135.73');
    expect(refang('http[:]//evil.com[/]x')).toBe('http://evil.com/x');
  });

  it('trims and leaves clean values alone', () => {
    expect(refang('  officeman.tk \t')).toBe('officeman.tk');
    expect(refang('http://vman23.com/ba24/admin.php')).toBe('http://vman23.com/ba24/admin.php');
  });
});

describe('normaliseIndicator', () => {
  it('lower-cases and drops a trailing dot from IPs and domains', () => {
    expect(normaliseIndicator('domain', 'OfficeMan.TK.')).toBe('officeman.tk');
    expect(normaliseIndicator('domain', 'vman23(dot)com')).toBe('vman23.com');
    expect(normaliseIndicator('ip', '2001:DB8::BAD:C0DE')).toBe('2001:db8::bad:c0de');
  });

  it('refangs URLs and drops trailing slashes', () => {
    expect(normaliseIndicator('url', 'hxxp://Evil[.]com/')).toBe('http://evil.com');
    expect(normaliseIndicator('url', 'https://www.youtube.com///')).toBe('https://www.youtube.com');
  });

  it('lower-cases hashes', () => {
    expect(normaliseIndicator('md5', ' 9363FA2625198BEB1FCCE0EF07F558FF ')).toBe('9363fa2625198beb1fcce0ef07f558ff');
  });
});

describe('isIndicatorType', () => {
  it('accepts exactly the indicator types', () => {
    expect(INDICATOR_TYPES).toEqual(['ip', 'domain', 'url', 'md5', 'sha1', 'sha256']);
    expect(isIndicatorType('sha256')).toBe(true);
    expect(isIndicatorType('ipv4')).toBe(false);
    expect(isIndicatorType('SHA256')).toBe(false);
  });
});
