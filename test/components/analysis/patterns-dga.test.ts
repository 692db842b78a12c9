// DGA-like domains in DNS queries: the real queries of the Trickbot capture (Zeek dns.log, trickbot-dns-slice.log),
// untouched and with the published sample names of 11 character-based DGA families (test/fixtures/enrich/domains.csv)
// written into every 25th query.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../../src/data/sql-text.js';
import { FINDING_HEURISTICS } from '../../../src/intel/attack/finding-heuristics.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { ComponentHarness } from '../../helpers/component-harness.js';
import { zeekTable } from '../../helpers/zeek-slice.js';
import { findingsWith, fixturePath, labelsOf, runPatterns } from './pattern-fixtures.js';

/** 328 rows of the phishing URL dataset (../shared/data/phishing-urls), with their legitimate / phishing status. */
const PHISHING_SLICE = fileURLToPath(new URL('../../fixtures/enrich/phishing-urls-slice.csv', import.meta.url));

const DGA_SAMPLES = readFileSync(fileURLToPath(new URL('../../fixtures/enrich/domains.csv', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','))
  .filter((cells) => cells[1]?.startsWith('dga') === true)
  .map((cells) => cells[0] ?? '');

/** The samples that score 0.6 or more (17 of 21, measured when the detector was written); the other four are shorter or read partly like words. */
const FOUND = [
  '1hyzmw3l2phycet88hzr2do34.net', '64f30398ecda3bbf.xyz', '7rsl1f34sfq0oj3jwvmfa6c.ddns.net', '8f6bacmw30xxv6sc.cn', 'bqkrtxgkmriwsiwcngtivpx.info',
  'btpnxlsfdqbhzazyx.net', 'giywswshrgxcvoqgvrkthmfa.ru', 'hpaxgpkteomjaxywwelr.com', 'jdtmfupdyueqeldvhsjzdvzob.net', 'jxbdxeyxttdmcjagi.me',
  'knpqxlxcwtlvgrdyhd.com', 'mfffpmgtplxbyagbtegh.com', 'mycojenxktsmozzthdv.com', 's63234wluv5v365bwp5.ddns.net', 'vhkintjtksyxgjrzz.net',
  'xaiqpbprgymbvrwmzgiyprgdsk.com', 'xzz3ug32bale1uo60y7xj6rge.com',
];

describe('analysis.patterns DGA-like domains', () => {
  let harness: ComponentHarness;
  let dns: DatasetHandle;
  beforeAll(async () => {
    harness = await ComponentHarness.open();
    dns = await zeekTable(harness, 'dns', fixturePath('trickbot-dns-slice.log'));
  });
  afterAll(async () => {
    await harness.close();
  });

  it('reads the query column of a DNS log as domains, and finds no DGA-like name in the real queries', async () => {
    expect(dns.rowCount).toBe(600);
    expect(dns.columns.find((c) => c.name === 'query')?.role).toBe('domain');
    const output = await runPatterns(harness, dns, { detectors: ['dga_domains'] });
    expect(output.summary?.['dga_domains']).toBe(0);
    expect(output.summary?.['dga_like_domains']).toEqual([]);
    expect(await labelsOf(harness, output)).toEqual([]);
  });

  it('flags every query of the injected machine-made names that score 0.6 or more, and nothing else', async () => {
    expect(DGA_SAMPLES).toHaveLength(21);
    const samples = `[${DGA_SAMPLES.map(quoteLiteral).join(', ')}]`;
    const injected = await harness.table('dns_dga', `SELECT * REPLACE (CASE WHEN rowid % 25 = 24 THEN ${samples}[(rowid // 25) % 21 + 1] ELSE query END AS query) FROM dns`);
    const output = await runPatterns(harness, injected, { detectors: ['dga_domains'] });
    expect(output.summary?.['dga_domains']).toBe(17);
    const listed = output.summary?.['dga_like_domains'] as { column: string; registered_domain: string; dga_score: number; names: number; rows: number; example: string }[];
    expect(listed.map((d) => d.registered_domain).sort()).toEqual(FOUND);
    expect(listed.every((d) => d.column === 'query' && d.dga_score >= 0.6 && d.names === 1 && d.example === d.registered_domain)).toBe(true);
    // Most scored first; 24 injected rows over 21 names: three names twice.
    expect(listed.map((d) => d.dga_score)).toEqual([...listed.map((d) => d.dga_score)].sort((a, b) => b - a));
    const rows = (await findingsWith(harness, output, 'dga-like:query')).filter((f) => f.row_id !== null);
    expect(rows).toHaveLength(listed.reduce((n, d) => n + d.rows, 0));
    const flagged = await harness.sql.all(`SELECT DISTINCT query FROM dns_dga WHERE rowid IN (${rows.map((f) => Number(f.row_id)).join(', ')}) ORDER BY query`);
    expect(flagged.map((r) => r['query'])).toEqual(FOUND);
    // 25 + 15 x (score - 0.6) / 0.4: medium, from 25 at the threshold to 40 for a score of 1.
    for (const f of rows) {
      const evidence = f.evidence as { registered_domain: string; dga_score: number };
      expect(f.score).toBeCloseTo(25 + (15 * (evidence.dga_score - 0.6)) / 0.4, 6);
      expect(f.entity).toBe(evidence.registered_domain);
    }
    // The four samples below the threshold were written in too, and are not flagged.
    const missed = DGA_SAMPLES.filter((d) => !FOUND.includes(d));
    expect(missed).toHaveLength(4);
    expect(Number(await harness.sql.scalar(`SELECT count(*) FROM dns_dga WHERE query IN (${missed.map(quoteLiteral).join(', ')})`))).toBeGreaterThan(0);
    expect(FINDING_HEURISTICS).toContainEqual(expect.objectContaining({ pattern: 'dga-like', technique: 'T1568.002' }));
  });

  it('reads the hosts of a URL column when the data has no domain column: two machine-made phishing hosts of the real URL list', async () => {
    const urls = await harness.table('urls', `SELECT url, status FROM read_csv(${quoteLiteral(PHISHING_SLICE)}, header = true)`);
    expect(urls.columns.map((c) => c.role)).toEqual(['url', expect.not.stringMatching(/^domain$/)]);
    const output = await runPatterns(harness, urls, { detectors: ['dga_domains'] });
    const listed = output.summary?.['dga_like_domains'] as { column: string; registered_domain: string; example: string; rows: number }[];
    expect(listed.map((d) => [d.column, d.registered_domain, d.rows])).toEqual([
      ['url', 'yxokmgwqznocixbwmzcxfmtfuxjmotmyahag-dot-gl494903049.wl.r.appspot.com', 1],
      ['url', '212897764576871473832-dot-bn058.csb.app', 1],
    ]);
    const rows = (await findingsWith(harness, output, 'dga-like:url')).filter((f) => f.row_id !== null);
    const flagged = await harness.sql.all(`SELECT url, status FROM urls WHERE rowid IN (${rows.map((f) => Number(f.row_id)).join(', ')}) ORDER BY url`);
    expect(flagged).toEqual([
      { url: 'https://212897764576871473832-dot-bn058.csb.app/?t=1&amp;e=xxxx@telford.gov.uk', status: 'phishing' },
      { url: 'https://yxokmgwqznocixbwmzcxfmtfuxjmotmyahag-dot-gl494903049.wl.r.appspot.com/', status: 'phishing' },
    ]);
    // With a domain column beside them, the URLs' hosts are not read again.
    const both = await harness.table('urls_and_domains', `SELECT url, 'example.com' AS domain FROM urls`);
    expect((await runPatterns(harness, both, { detectors: ['dga_domains'] })).summary?.['dga_domains']).toBe(0);
  });

  it('takes its threshold from dga_min_score', async () => {
    const injected = await harness.table('dns_dga_strict', `SELECT * REPLACE (CASE WHEN rowid % 25 = 24 THEN [${DGA_SAMPLES.map(quoteLiteral).join(', ')}][(rowid // 25) % 21 + 1] ELSE query END AS query) FROM dns`);
    const output = await runPatterns(harness, injected, { detectors: ['dga_domains'], dga_min_score: 0.75 });
    const listed = output.summary?.['dga_like_domains'] as { dga_score: number }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(17);
    expect(listed.every((d) => d.dga_score >= 0.75)).toBe(true);
  });
});
