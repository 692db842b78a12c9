// The engine's extraction of indicators from free text: the refanging, which now runs only on text with a defanging
// mark, gives what JS's refangText gives for every text (marked or not, nested marks, upper case); and the extracted
// (row, value, kind) rows of a small table, including rows a pattern's byte test skips.
import { describe, expect, it } from 'vitest';
import { extractedValuesSql, refangSql } from '../../../src/components/analysis/ioc-match/text-extraction-sql.js';
import { refangText } from '../../../src/intel/extract/extract-indicators.js';
import { engineSession } from '../../helpers/engine-session.js';

const TEXTS = [
  'no mark at all: cmd.exe /c whoami',
  'fetch HXXPS://Evil[.]com/x',
  'beacon 192.9.135[.]73 and evil-cdn(dot)com',
  'nested [[.].] and ((dot)dot) and [[:]]',
  'mail admin[@]corp[DOT]com or ops(at)corp{.}com, a[://]b, fxp://files(.)example',
  'hxxp hxxp hxxphxxp',
  '[.',
  'only one mark at the end [:]',
  '',
];

const engine = engineSession({ threads: 1 }, async (sql) => {
  await sql.run('CREATE TABLE texts (id INTEGER, t VARCHAR)');
  for (const [id, text] of TEXTS.entries()) await sql.run('INSERT INTO texts VALUES (?, ?)', [id, text]);
  await sql.run(`CREATE TABLE events AS SELECT * FROM (VALUES
    (1, 'fetch HXXPS://Evil[.]com/x, then 10.0.0.1.'),
    (2, 'plain words, nothing to find'),
    (3, 'beacon 192.9.135[.]73 and evil-cdn(dot)com'),
    (4, 'ping 2001:DB8::1 md5 9363FA2625198BEB1FCCE0EF07F558FF'),
    (5, NULL)) t(rid, message)`);
});

describe('refangSql', () => {
  it('gives what refangText gives, for text with and without marks', async () => {
    const rows = await engine.sql.all(`SELECT id, ${refangSql('lower(t)')} AS r FROM texts ORDER BY id`);
    expect(rows.map((row) => row['r'])).toEqual(TEXTS.map((text) => refangText(text)));
  });
});

describe('extractedValuesSql', () => {
  it('finds each value once per row, by kind, with URLs cut of trailing punctuation', async () => {
    const rows = await engine.sql.all(`SELECT row_id, v, kind FROM (${extractedValuesSql('events', 'rid', 'message')}) ORDER BY row_id, kind, v`);
    expect(rows.map((row) => [row['row_id'], row['v'], row['kind']])).toEqual([
      [1, '10.0.0.1', 'host'],
      [1, 'evil.com', 'host'],
      [1, 'https://evil.com/x', 'url'],
      [3, '192.9.135.73', 'host'],
      [3, 'evil-cdn.com', 'host'],
      [4, '9363fa2625198beb1fcce0ef07f558ff', 'hash'],
      [4, '2001:db8::1', 'host'],
    ]);
  });
});
