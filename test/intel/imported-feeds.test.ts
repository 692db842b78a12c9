// Imported feeds in the state folder are matched by intel.ioc-match by default, beside the bundled feed, and can be
// left out; the Parquet store keeps the feed name, import time and every indicator column.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iocMatch } from '../../src/components/analysis/ioc-match.js';
import { csvImport } from '../../src/components/import/csv.js';
import { clearImportedFeeds, importedFeedsPath, storeImportedFeeds } from '../../src/intel/feeds/imported-feeds.js';
import { loadFeed } from '../../src/intel/feeds/load-feed.js';
import type { DatasetHandle } from '../../src/model/dataset.js';
import { stateHomePath } from '../../src/state/state-home.js';
import { ComponentHarness, datasetOf, findingsOf } from '../helpers/component-harness.js';

const FEEDS = fileURLToPath(new URL('../fixtures/intel/feeds/', import.meta.url));

describe('imported feeds', () => {
  let harness: ComponentHarness;
  let dataset: DatasetHandle;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
    dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['firewall.csv'] }));
    const feed = await loadFeed(join(FEEDS, 'stix-oasis-poisonivy.json'), { name: 'pivy' });
    const list = await loadFeed(join(FEEDS, 'feodotracker-ipblocklist.csv'));
    await storeImportedFeeds(harness.sql, stateHomePath(), [
      { name: 'pivy', feed },
      { name: 'feodo', feed: list },
    ], new Date('2026-11-27T00:00:00Z'));
  });
  afterEach(async () => {
    clearImportedFeeds(stateHomePath());
    await harness.close();
  });

  it('keeps every indicator column with the feed name and import time', async () => {
    const rows = await harness.sql.all(
      `SELECT feed, strftime(timezone('UTC', imported_at), '%Y-%m-%dT%H:%M:%SZ') AS at, type, value, source, confidence, first_seen, tags, malware_family, threat_type
       FROM read_parquet('${importedFeedsPath(stateHomePath())}') WHERE value IN ('219.76.208.163', '192.9.135.73') ORDER BY value`,
    );
    expect(rows).toEqual([
      { feed: 'feodo', at: '2026-11-27T00:00:00Z', type: 'ip', value: '192.9.135.73', source: 'abuse.ch/feodotracker', confidence: 0.9, first_seen: '2023-05-23 17:51:44', tags: ['port:1194'], malware_family: 'Pikabot', threat_type: 'botnet_cc' },
      { feed: 'pivy', at: '2026-11-27T00:00:00Z', type: 'ip', value: '219.76.208.163', source: 'pivy', confidence: 0.7, first_seen: '2015-05-15T09:12:16.432678Z', tags: ['malicious-activity', 'attribution'], malware_family: 'PIVY Variant (808e21d6efa2884811fbd0adf67fda78)', threat_type: 'malicious-activity' },
    ]);
  });

  it('are matched by default and left out with include_imported false', async () => {
    const bundledOnly = await harness.run(iocMatch, { datasets: [dataset] }, { include_imported: false });
    const withImported = await harness.run(iocMatch, { datasets: [dataset] }, {});
    expect(Number(withImported.summary?.['indicators_loaded']) - Number(bundledOnly.summary?.['indicators_loaded'])).toBeGreaterThan(0);
    expect(withImported.summary?.['feeds']).toContainEqual({ source: 'imported feeds', indicators: 92, skipped: 0, feeds: 2 });
    // The bundled feed and the two imported ones (the message said "from 2 feeds", one per entry).
    expect(withImported.message).toMatch(/ distinct indicators from 3 feeds, /);
    expect(bundledOnly.message).toMatch(/ distinct indicators from 1 feed, /);
    // 103.82.243.5 is in the bundled feed only; the imported Feodo list (2024-04) does not have it.
    const sources = await harness.sql.all(`SELECT DISTINCT source FROM "${findingsOf(withImported).table}" WHERE label = 'ip:103.82.243.5'`);
    expect(sources).toEqual([{ source: 'abuse.ch/feodotracker' }]);

    // A Poison Ivy C2 domain from the imported STIX report, under a subdomain: found only with the imported feeds.
    const path = join(await mkdtemp(join(tmpdir(), 'cs-helper-imported-')), 'dns.csv');
    await writeFile(path, 'ts,query\n2026-11-27T00:00:00Z,mail.mongoles.3322.org\n2026-11-27T00:00:01Z,www.example.org\n');
    const dns = datasetOf(await harness.run(csvImport, {}, { paths: [path] }));
    const hits = async (params: Record<string, unknown>): Promise<unknown[]> =>
      harness.sql.all(`SELECT row_id, label, source, detail->>'match' AS how FROM "${findingsOf(await harness.run(iocMatch, { datasets: [dns] }, params)).table}"`);
    expect(await hits({})).toEqual([{ row_id: 0, label: 'domain:mongoles.3322.org', source: 'pivy', how: 'suffix' }]);
    expect(await hits({ include_imported: false })).toEqual([]);
  });
});
