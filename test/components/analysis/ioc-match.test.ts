import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentOutput } from '../../../src/components/component.js';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { plainText } from '../../../src/data/plain-value.js';
import type { PlainRow } from '../../../src/data/sql-session.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { InputFileError } from '../../../src/model/errors/input-file-error.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';
import { rejectionOf } from '../../helpers/rejection.js';

/**
 * firewall.csv carries real indicators from assets/feeds/abuse-ch-bundled.csv (row = rowid, from 0):
 * 4 and 23 the Pikabot C2 103.82.243.5 (feodotracker, 0.9); 5 officeman.tk and its admin.php URL (viriback, 0.7);
 * 9 an r2.dev host and URL (urlhaus, 0.8); 11 an upper-case Mirai MD5 (malwarebazaar, 0.9); 16 5.253.62.205 with
 * unimasa.icu and its URL (viriback, 0.7); 17 a Mirai SHA-256 (0.9). Near misses that must not match: 103.82.243.6
 * (row 8), vman23.net (row 13, the feed has vman23.com), the SHA-256 of the empty file (row 9).
 */
const BUNDLED_HITS: [number, string, number, string][] = [
  [4, 'ip:103.82.243.5', 86, 'abuse.ch/feodotracker'],
  [5, 'domain:officeman.tk', 78, 'viriback'],
  [5, 'url:http://officeman.tk/images/admin.php', 78, 'viriback'],
  [9, 'domain:pub-462189601a584e8fad4889d4ed31f4f4.r2.dev', 82, 'abuse.ch/urlhaus'],
  [9, 'url:https://pub-462189601a584e8fad4889d4ed31f4f4.r2.dev/zoom%20setup.exe', 82, 'abuse.ch/urlhaus'],
  [11, 'md5:0227b1109d12afe6dbdea1416b93ef78', 86, 'abuse.ch/malwarebazaar'],
  [16, 'domain:unimasa.icu', 78, 'viriback'],
  [16, 'ip:5.253.62.205', 78, 'viriback'],
  [16, 'url:http://unimasa.icu/dapper/five/pvqdq929bsx_a_d_m1n_a.php', 78, 'viriback'],
  [17, 'sha256:0956f047757f99c216633dca158da119da4b50e709c9a1f7c76e40cff59feeb6', 86, 'abuse.ch/malwarebazaar'],
  [23, 'ip:103.82.243.5', 86, 'abuse.ch/feodotracker'],
];

describe('intel.ioc-match', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['firewall.csv'] }));
  });
  afterEach(async () => {
    await harness.close();
  });

  const hitsOf = async (output: ComponentOutput): Promise<PlainRow[]> => harness.sql.all(`SELECT * FROM "${findingsOf(output).table}" ORDER BY row_id, label`);
  const scoreOf = (confidence: number): number => 50 + 40 * confidence;

  it('finds the real feed values in IP, domain, URL and hash columns, labelled type:value, scored 50 + 40 x confidence', async () => {
    const output = await harness.run(iocMatch, { datasets: [dataset] }, {});
    const hits = await hitsOf(output);

    expect(hits.map((h) => [h['row_id'], h['label'], h['score'], h['source']])).toEqual(
      BUNDLED_HITS.map(([row, label, score, source]) => [row, label, expect.closeTo(score, 6) as unknown, source]),
    );
    expect(hits.every((h) => h['kind'] === 'ioc')).toBe(true);
    expect(hits[0]?.['score']).toBeCloseTo(scoreOf(0.9), 6);
    expect(JSON.parse(plainText(hits[0]?.['detail']))).toEqual({ column: 'dst_ip', match: 'exact', value: '103.82.243.5', threat: 'Pikabot', threat_type: null, confidence: 0.9 });
    expect(output.summary?.['columns_matched']).toEqual(['src_ip', 'dst_ip', 'domain', 'url', 'file_hash']);
  });

  it('gives no hit for values that are not in the feed', async () => {
    const output = await harness.run(iocMatch, { datasets: [dataset] }, {});
    const hits = await hitsOf(output);
    const rows = await harness.rows(dataset.table);

    expect(rows[8]?.['dst_ip']).toBe('103.82.243.6');
    expect(rows[13]?.['domain']).toBe('vman23.net');
    expect(hits.filter((h) => h['row_id'] === 8 || h['row_id'] === 13)).toEqual([]);
    expect(hits.some((h) => plainText(h['entity']).startsWith('e3b0c442'))).toBe(false);
  });

  it('summarises hits and the rows they fall on', async () => {
    const output = await harness.run(iocMatch, { datasets: [dataset] }, {});

    expect(output.summary).toEqual(expect.objectContaining({ hits: 11, rows_hit: 7 }));
    expect(output.rowsOut).toBe(11);
    expect(output.message).toMatch(/^11 indicator hits on 7 rows/);
    expect(harness.log.dataOperations).toContainEqual(expect.objectContaining({ operation: 'match', rows: 24, detail: expect.objectContaining({ hits: 11, rows_hit: 7 }) as unknown }));
  });

  it('adds the indicators of user feeds, a plain list and a CSV with a value column', async () => {
    const bundledOnly = await harness.run(iocMatch, { datasets: [dataset] }, {});
    const output = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['soc-blocklist.txt', 'partner-intel.csv'] });
    const hits = await hitsOf(output);

    // 185.220.101.47 is in both user feeds (0.7 by default in the list, 0.5 in the CSV): the highest confidence counts.
    expect(hits.filter((h) => h['row_id'] === 12).map((h) => [h['label'], h['score'], h['source']])).toEqual([
      ['ip:185.220.101.47', expect.closeTo(scoreOf(0.7), 6), 'feed:soc-blocklist.txt;partner-isac'],
    ]);
    expect(hits.filter((h) => h['row_id'] === 15).map((h) => [h['label'], h['score'], h['source']])).toEqual([
      ['domain:telemetry-cdn.xyz', expect.closeTo(scoreOf(0.6), 6), 'partner-isac'],
    ]);
    expect(JSON.parse(plainText(hits.find((h) => h['row_id'] === 15)?.['detail']))).toEqual({ column: 'domain', match: 'exact', value: 'telemetry-cdn.xyz', threat: 'Lumma C2', threat_type: null, confidence: 0.6 });
    expect(output.summary).toEqual(expect.objectContaining({ hits: 13, rows_hit: 9 }));
    expect(output.summary?.['indicators_loaded']).toBe(Number(bundledOnly.summary?.['indicators_loaded']) + 2);
    expect(output.summary?.['feeds']).toEqual([
      { source: 'bundled abuse.ch feed', indicators: expect.any(Number) as unknown, skipped: 0 },
      { source: 'soc-blocklist.txt', indicators: 4, skipped: 1 },
      { source: 'partner-intel.csv', indicators: 3, skipped: 0 },
    ]);
    expect(harness.log.entries).toContainEqual(expect.objectContaining({ level: 'info', type: 'feed-lines-skipped' }));
  });

  it('counts a hit once when the same indicator is listed several times across feeds', async () => {
    const output = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['soc-blocklist.txt', 'partner-intel.csv'] });
    const hits = await hitsOf(output);

    // 103.82.243.5: bundled feed once, the SOC list twice; officeman's URL: bundled and the SOC list (defanged).
    expect(hits.filter((h) => h['label'] === 'ip:103.82.243.5').map((h) => [h['row_id'], h['score'], h['source']])).toEqual([
      [4, expect.closeTo(scoreOf(0.9), 6), 'abuse.ch/feodotracker;feed:soc-blocklist.txt'],
      [23, expect.closeTo(scoreOf(0.9), 6), 'abuse.ch/feodotracker;feed:soc-blocklist.txt'],
    ]);
    expect(hits.filter((h) => h['label'] === 'url:http://officeman.tk/images/admin.php').map((h) => [h['row_id'], h['source']])).toEqual([[5, 'feed:soc-blocklist.txt;viriback']]);
    expect(hits.filter((h) => h['label'] === 'domain:telemetry-cdn.xyz')).toHaveLength(1);
  });

  it('matches only the user feeds when the bundled feed is left out, and only the columns named', async () => {
    const userOnly = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['soc-blocklist.txt'], include_bundled: false, columns: ['dst_ip'] });
    const hits = await hitsOf(userOnly);
    expect(hits.map((h) => [h['row_id'], h['label']])).toEqual([
      [4, 'ip:103.82.243.5'],
      [12, 'ip:185.220.101.47'],
      [23, 'ip:103.82.243.5'],
    ]);
  });

  it('refuses a feed file that does not exist, naming it', async () => {
    const error = await rejectionOf(harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['feeds/missing-blocklist.txt'] }), InputFileError);
    expect(error.problem).toBe('not-found');
    expect(error.message).toContain('feeds/missing-blocklist.txt');
  });
});
