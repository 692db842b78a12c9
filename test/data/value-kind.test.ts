// The kinds of values that tell a header row from data, and the judgement itself on rows as the readers give them.
import { describe, expect, it } from 'vitest';
import { type KindedCell, isHeaderRow } from '../../src/data/header-evidence.js';
import { valueKind } from '../../src/data/value-kind.js';
import { looksLikeHeaderRow } from '../../src/data/csv-dialect.js';

describe('valueKind', () => {
  it.each([
    ['Nov 28, 2026, 12:00:00 PM', 'timestamp'],
    ['Nov 28 12:00:00', 'timestamp'],
    ['Tue Nov 28 12:00:00 2026', 'timestamp'],
    ['28/Nov/2026:12:00:00 +0000', 'timestamp'],
    ['Mon, 28 Nov 2026 12:00:00 GMT', 'timestamp'],
    ['11/28/2026 12:00:00 PM', 'timestamp'],
    ['2026-11-28', 'timestamp'],
    ['2026-11-28 12:00:00.123', 'timestamp'],
    ['10.0.0.1', 'ip'],
    ['10.0.0.1:443', 'ip'],
    ['10.0.0.0/8', 'ip'],
    ['2001:db8::1', 'ip'],
    ['443', 'number'],
    ['-1.5e3', 'number'],
    ['true', 'boolean'],
    ['00:1a:2b:3c:4d:5e', 'mac'],
    ['{54849625-5478-4994-a5ba-3e3b0328c30d}', 'guid'],
    ['9363fa2625198beb1fcce0ef07f558ff', 'hash'],
    ['https://example.com/a', 'url'],
    ['kira.rossi@contoso.com', 'email'],
    ['officeman[.]tk', 'defanged'],
    ['evil-updates.com', 'domain'],
    ['src_ip', null],
    ['Source IP (v4)', null],
    ['Event Name (custom)', null],
    ['', null],
  ])('%s is %s', (text, kind) => {
    expect(valueKind(text)).toBe(kind);
  });

  it('answers at once for long hostile cells', () => {
    const started = performance.now();
    for (const text of ['1:'.repeat(50_000), `Nov ${'1'.repeat(50_000)}`, `${'a.'.repeat(30_000)}com`, `${'9'.repeat(1000)}:${'a'.repeat(100_000)}`]) valueKind(text);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('isHeaderRow and looksLikeHeaderRow', () => {
  const row = (...cells: string[]): KindedCell[] => cells.map((text) => ({ text, kind: valueKind(text) }));

  it('takes names above values of another kind, even repeated names', () => {
    expect(isHeaderRow(row('src_ip', 'user', 'user'), [row('10.0.0.1', 'alice', 'ALICE'), row('10.0.0.2', 'bob', 'BOB')])).toBe(true);
  });

  it('takes dotted field names (which read as domains) above their values', () => {
    expect(isHeaderRow(row('@timestamp', 'source.ip', 'dns.question.name'), [row('2026-03-02T08:00:00Z', '10.0.0.1', 'evil-updates.com')])).toBe(true);
  });

  it('refuses a value, a cell repeated below it, and a cell of the values\' shape', () => {
    expect(isHeaderRow(row('alice', '443'), [row('bob', '80')])).toBe(false);
    expect(isHeaderRow(row('alice', 'login'), [row('bob', 'login'), row('carol', 'logout')])).toBe(false);
    expect(isHeaderRow(row('WS-0142', 'kira'), [row('WS-1270', 'paul'), row('WS-0511', 'li')])).toBe(false);
  });

  it('lets an empty first or last CSV cell pass, not an empty cell between names', () => {
    const below = [['0', '10.0.0.1', '100', '']];
    expect(looksLikeHeaderRow(['', 'src_ip', 'bytes', ''], below)).toBe(true);
    expect(looksLikeHeaderRow(['id', '', 'bytes', 'x'], [['0', '10.0.0.1', '100', '1']])).toBe(false);
  });

  it('reads a header-only file as a header, and a sentence above text as data', () => {
    expect(looksLikeHeaderRow(['timestamp', 'src_ip', 'action'], [])).toBe(true);
    expect(looksLikeHeaderRow(['Analyst notes for case 2025-117: keep beside the session logs.'], [['ask Omar about the VPN logs']])).toBe(false);
  });
});
