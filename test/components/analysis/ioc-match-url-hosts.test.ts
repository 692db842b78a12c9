// URL hosts found by intel.ioc-match go back to their rows by the URL's authority part: with few matched parts the
// rows are first searched for them, with many every URL is split. Both ways must find every row, and only those.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { plainText } from '../../../src/data/plain-value.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

let temp: string;
let harness: ComponentHarness;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-url-hosts-'));
  harness = await ComponentHarness.open({ baseDir: temp });
});
afterAll(async () => {
  await harness.close();
  await rm(temp, { recursive: true, force: true });
});

/** Rows whose URL hit, as `row url-host-indicator`, for a data file of `urls` and the feed `feed`. */
async function urlHostHits(name: string, urls: string[], feed: string[]): Promise<string[]> {
  await writeFile(join(temp, `${name}.csv`), ['id,url', ...urls.map((u, i) => `${String(i)},${u}`)].join('\n'));
  await writeFile(join(temp, `${name}.txt`), feed.join('\n'));
  const dataset = datasetOf(await harness.run(csvImport, {}, { paths: [`${name}.csv`] }));
  const output = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: [`${name}.txt`], include_bundled: false });
  const rows = await harness.sql.all(`SELECT row_id, entity FROM "${findingsOf(output).table}" WHERE detail->>'match' = 'url-host' ORDER BY row_id`);
  return rows.map((r) => `${plainText(r['row_id'])} ${plainText(r['entity'])}`);
}

// Clean rows between the hits, some of which hold a matched host's text elsewhere than in their authority.
const CLEAN = ['https://example.org/evil.example.com', 'https://docs.example.net/?q=evil.example.com', 'https://a.example.org/x'];

describe('URL hosts matched back to their rows', () => {
  it('finds each row when few authority parts matched (the rows are searched first)', async () => {
    const urls = [...CLEAN, 'https://evil.example.com/a', 'http://cdn.evil.example.com:8080/b', ...CLEAN, 'HTTPS://EVIL.EXAMPLE.COM/c', 'https://user@evil.example.com./d'];
    const hits = await urlHostHits('few', urls, ['evil.example.com']);
    expect(hits).toEqual(['3 evil.example.com', '4 evil.example.com', '8 evil.example.com', '9 evil.example.com']);
  });

  it('finds each row when many authority parts matched (every URL is split)', async () => {
    const hosts = Array.from({ length: 12 }, (_, i) => `h${String(i)}.evil.example.com`);
    const urls = [...CLEAN, ...hosts.map((h, i) => `https://${h}/p${String(i)}`), ...CLEAN];
    const hits = await urlHostHits('many', urls, ['evil.example.com']);
    expect(hits).toEqual(hosts.map((_, i) => `${String(i + CLEAN.length)} evil.example.com`));
  });

  it('finds the row when a matched authority part is too long to be searched for (every URL is split)', async () => {
    const long = `${'a'.repeat(300)}.evil.example.com`;
    const hits = await urlHostHits('long', [...CLEAN, `https://${long}/x`], ['evil.example.com']);
    expect(hits).toEqual([`${String(CLEAN.length)} evil.example.com`]);
  });
});
