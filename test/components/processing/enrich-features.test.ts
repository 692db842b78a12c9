import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvImport } from '../../../src/components/import/csv.js';
import { enrichment } from '../../../src/components/processing/enrich.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import type { SemanticRole } from '../../../src/model/semantic-role.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';

const ENRICH_FIXTURES = fileURLToPath(new URL('../../fixtures/enrich/', import.meta.url));

/** The 16 lexical features of the phishing dataset, in its column order. */
const URL_FEATURES = ['length_url', 'length_hostname', 'nb_dots', 'nb_hyphens', 'nb_underscore', 'nb_tilde', 'nb_percent', 'nb_slash', 'nb_colon', 'nb_comma', 'nb_semicolumn', 'nb_dollar', 'nb_space', 'nb_www', 'nb_com', 'http_in_path'];

describe('processing.enrich features', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open({ baseDir: ENRICH_FIXTURES });
  });
  afterEach(async () => {
    await harness.close();
  });

  const importFile = async (file: string): Promise<DatasetHandle> => datasetOf(await harness.run(csvImport, {}, { paths: [file] }));
  const withRole = (dataset: DatasetHandle, column: string, role: SemanticRole): DatasetHandle => ({ ...dataset, columns: dataset.columns.map((c) => (c.name === column ? { ...c, role } : c)) });

  it('classes every IPv4 and IPv6 range of the special-purpose registries', async () => {
    const dataset = await importFile('ip-classes.csv');
    expect(dataset.columns.find((c) => c.name === 'ip')?.role).toBe('ip');
    const rows = await harness.rows(datasetOf(await harness.run(enrichment, { datasets: [dataset] }, { features: ['ip_class'] })));
    expect(rows.map((r) => [r['ip'], r['ip_class']])).toEqual(rows.map((r) => [r['ip'], r['expected']]));
    // Every class of both families is exercised.
    expect(new Set(rows.map((r) => r['ip_class']))).toEqual(new Set(['public', 'private', 'loopback', 'link-local', 'cgnat', 'multicast', 'reserved', 'unique-local', 'documentation']));
  });

  it('gives malformed addresses no class', async () => {
    await harness.sql.run(`CREATE TABLE odd_ips AS SELECT * FROM (VALUES ('fe80::1::2'), ('12345::'), ('1:2:3'), ('::ffff:zz'), ('host.example'), (NULL), ('1:2:3:4::5:6:7:8'), (':1:2:3:4:5:6:7'), ('1:2:3:4:5:6:7:8:'), ('1:2:3:4:5:6::1.2.3.4')) t(ip)`);
    const dataset = withRole(await harness.workspace.handle(harness.sql, 'odd_ips', []), 'ip', 'ip');
    const rows = await harness.rows(datasetOf(await harness.run(enrichment, { datasets: [dataset] }, { features: ['ip_class'] })));
    // The last four: a `::` among eight groups (it stands for one zero group or more), a single leading or trailing
    // colon, and a `::` beside six groups and an IPv4 tail (two groups).
    expect(rows.map((r) => r['ip_class'])).toEqual([null, null, null, null, null, null, null, null, null, null]);
  });

  it('computes every lexical URL feature exactly as the phishing dataset authors did, on every row of the slice', async () => {
    const dataset = await importFile('phishing-urls-slice.csv');
    expect(dataset.columns.find((c) => c.name === 'url')?.role).toBe('url');
    const output = await harness.run(enrichment, { datasets: [dataset] }, { features: ['url'] });
    const rows = await harness.rows(datasetOf(output));
    const expected = Papa.parse<Record<string, string>>(await readFile(`${ENRICH_FIXTURES}phishing-urls-slice.csv`, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(328);
    expect(expected).toHaveLength(328);
    const mismatches: string[] = [];
    rows.forEach((row, i) => {
      const truth = expected[i];
      expect(row['url']).toBe(truth?.['url']);
      for (const feature of URL_FEATURES) {
        if (row[`url_${feature}`] !== Number(truth?.[feature])) mismatches.push(`row ${truth?.['row'] ?? '?'} ${feature}: ${JSON.stringify(row[`url_${feature}`])} != ${truth?.[feature] ?? '?'}`);
      }
    });
    expect(mismatches).toEqual([]);
    expect(output.summary?.['features']).toMatchObject({ url: [...URL_FEATURES.map((f) => `url_${f}`), 'url_host', 'url_registered_domain', 'url_tld', 'url_dga_score'] });
  });

  it('splits URL hosts at their public suffix', async () => {
    const dataset = await importFile('phishing-urls-slice.csv');
    const rows = await harness.rows(datasetOf(await harness.run(enrichment, { datasets: [dataset] }, { features: ['url'] })));
    const byUrl = new Map(rows.map((r) => [r['url'], r]));
    expect(['url_host', 'url_registered_domain', 'url_tld'].map((c) => byUrl.get('http://rgipt.ac.in')?.[c])).toEqual(['rgipt.ac.in', 'rgipt.ac.in', 'ac.in']);
    expect(['url_host', 'url_registered_domain', 'url_tld'].map((c) => byUrl.get('http://www.crestonwood.com/router.php')?.[c])).toEqual(['www.crestonwood.com', 'crestonwood.com', 'com']);
  });

  it('scores known DGA domains above common domains', async () => {
    const dataset = await importFile('domains.csv');
    expect(dataset.columns.find((c) => c.name === 'domain')?.role).toBe('domain');
    const rows = await harness.rows(datasetOf(await harness.run(enrichment, { datasets: [dataset] }, { features: ['domain'] })));
    const scores = (kind: 'common' | 'dga'): number[] => rows.filter((r) => typeof r['kind'] === 'string' && r['kind'].startsWith(kind)).map((r) => Number(r['domain_dga_score']));
    expect(scores('common')).toHaveLength(26);
    expect(scores('dga')).toHaveLength(21);
    expect(Math.min(...scores('dga'))).toBeGreaterThan(Math.max(...scores('common')));
  });

  it('adds port services, hash types and domain parts, lengths, entropy and digit ratio', async () => {
    // The odd values on purpose (not-a-hash, localhost, an IP) keep the importer from naming these roles: set as a user would.
    const dataset = withRole(withRole(await importFile('network.csv'), 'file_hash', 'hash'), 'domain', 'domain');
    expect(dataset.columns.map((c) => [c.name, c.role])).toEqual([['src_port', 'port'], ['dst_port', 'port'], ['file_hash', 'hash'], ['domain', 'domain']]);
    const output = await harness.run(enrichment, { datasets: [dataset] }, {});
    const enriched = datasetOf(output);
    expect(enriched.columns.map((c) => c.name)).toEqual([
      'src_port', 'dst_port', 'file_hash', 'domain',
      'src_port_service', 'dst_port_service', 'file_hash_hash_type',
      'domain_registered_domain', 'domain_tld', 'domain_length', 'domain_entropy', 'domain_digit_ratio', 'domain_dga_score',
      'threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons',
    ]);
    // Feature columns are plain categories and measures, never indicators that later steps would read by role.
    expect(enriched.columns.filter((c) => c.name.includes('_') && !['src_port', 'dst_port', 'file_hash'].includes(c.name) && !c.name.startsWith('threat') && !['ioc_matches', 'anomaly_reasons'].includes(c.name)).map((c) => [c.name, c.role])).toEqual([
      ['src_port_service', 'category'], ['dst_port_service', 'category'], ['file_hash_hash_type', 'category'],
      ['domain_registered_domain', 'category'], ['domain_tld', 'category'], ['domain_length', 'measure'], ['domain_entropy', 'measure'], ['domain_digit_ratio', 'measure'], ['domain_dga_score', 'measure'],
    ]);
    const rows = await harness.rows(enriched);
    expect(rows.map((r) => r['dst_port_service'])).toEqual(['ssh', 'domain', 'https', 'ms-wbt-server', 'microsoft-ds', null, 'ntp']);
    expect(rows.map((r) => r['src_port_service'])).toEqual([null, null, null, null, null, null, null]);
    expect(rows.map((r) => r['file_hash_hash_type'])).toEqual(['md5', 'sha1', 'sha256', 'sha512', 'unknown', null, 'unknown']);
    expect(rows.map((r) => [r['domain_registered_domain'], r['domain_tld'], r['domain_length'], r['domain_digit_ratio']])).toEqual([
      ['example.co.uk', 'co.uk', 17, 0],
      ['example.com', 'com', 17, 0.118],
      ['example.com', 'com', 11, 0],
      ['x7.ddns.net', 'ddns.net', 11, 0.091],
      // A single label has no registered domain; the public suffix list's default rule makes it its own suffix.
      [null, 'localhost', 9, 0],
      [null, null, null, null],
      // An IP address in a domain column has neither.
      [null, null, 8, 0.625],
    ]);
    // log2 entropy of the characters: "example.com" has 11 characters, 9 distinct (e, m twice).
    expect(rows[2]?.['domain_entropy']).toBe(Math.round((-(2 * (2 / 11) * Math.log2(2 / 11)) - 7 * (1 / 11) * Math.log2(1 / 11)) * 1000) / 1000);
  });

  it('adds only the groups asked for', async () => {
    const dataset = withRole(await importFile('network.csv'), 'file_hash', 'hash');
    const output = await harness.run(enrichment, { datasets: [dataset] }, { features: ['hash_type'] });
    expect(datasetOf(output).columns.map((c) => c.name)).toEqual(['src_port', 'dst_port', 'file_hash', 'domain', 'file_hash_hash_type', 'threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons']);
  });
});
