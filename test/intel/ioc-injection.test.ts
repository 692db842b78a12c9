// The test: real Feodo Tracker, URLhaus and MalwareBazaar values injected into copies of real Zeek and Apache
// logs (slices in test/fixtures/intel/logs) are every one found by intel.ioc-match; the untouched logs give no hit.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocMatch } from '../../src/components/analysis/ioc-match.js';
import { logImport } from '../../src/components/import/log.js';
import type { PlainRow } from '../../src/data/sql-session.js';
import { ComponentHarness, datasetOf, findingsOf } from '../helpers/component-harness.js';

const INTEL = fileURLToPath(new URL('../fixtures/intel/', import.meta.url));
const FEEDS = ['feeds/feodotracker-ipblocklist.csv', 'feeds/urlhaus-recent.csv', 'feeds/malwarebazaar-dump.csv'];

/** Line (1-based, in the file), the text replaced on it, the feed value put there. */
interface Injection {
  readonly line: number;
  readonly from: string;
  readonly to: string;
}

const ZEEK_CONN: readonly Injection[] = [
  { line: 12, from: '\t172.16.9.5\t', to: '\t192.9.135.73\t' }, // Feodo Tracker, Pikabot
  { line: 40, from: '\t172.16.9.5\t', to: '\t85.239.243.155\t' }, // Feodo Tracker, Pikabot
];
const ZEEK_HTTP: readonly Injection[] = [
  { line: 10, from: '\t/sun.sets\t', to: '\t/download/19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e.bin\t' }, // MalwareBazaar SHA-256 in the URI
  { line: 11, from: '\t-\t1.1\t', to: '\thttp://222.138.150.74:43262/i\t1.1\t' }, // URLhaus URL as the referrer
];
const APACHE: readonly Injection[] = [
  { line: 3, from: '"http://192.168.4.161/DVWA"', to: '"HTTP://117.216.147.208:50583/bin.sh"' }, // URLhaus, upper-case scheme
  { line: 7, from: '"192.168.4.25 ', to: '"37.60.242.85 ' }, // Feodo Tracker client
  { line: 9, from: ' /index.php/component/search/ ', to: ' /get.php?h=9363FA2625198BEB1FCCE0EF07F558FF ' }, // MalwareBazaar MD5 in the path
];

let temp: string;
let harness: ComponentHarness;
beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'cs-helper-inject-'));
  harness = await ComponentHarness.open({ baseDir: INTEL });
});
afterAll(async () => {
  await harness.close();
  await rm(temp, { recursive: true, force: true });
});

async function injected(name: string, injections: readonly Injection[]): Promise<string> {
  const lines = (await readFile(join(INTEL, 'logs', name), 'utf8')).split('\n');
  for (const { line, from, to } of injections) {
    const text = lines[line - 1] ?? '';
    if (!text.includes(from)) throw new Error(`${name}:${line} has no ${from}`);
    lines[line - 1] = text.replace(from, to);
  }
  const path = join(temp, name);
  await writeFile(path, lines.join('\n'));
  return path;
}

async function hits(path: string, textColumns: readonly string[]): Promise<PlainRow[]> {
  const dataset = datasetOf(await harness.run(logImport, {}, { paths: [path] }));
  const output = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: FEEDS, text_columns: [...textColumns] });
  return harness.sql.all(`SELECT row_id, label, source, detail->>'column' AS column, detail->>'match' AS match FROM "${findingsOf(output).table}" ORDER BY row_id, label`);
}

describe('injected feed values in real Zeek and Apache logs', () => {
  it('finds both Feodo Tracker C2 addresses in the Zeek conn log, and nothing else', async () => {
    const found = await hits(await injected('zeek-conn-trickbot.log', ZEEK_CONN), []);
    // Data rows start after the 8 header lines: file line 12 is row 3.
    expect(found).toEqual([
      { row_id: 3, label: 'ip:192.9.135.73', source: 'abuse.ch/feodotracker', column: 'id.resp_h', match: 'exact' },
      { row_id: 31, label: 'ip:85.239.243.155', source: 'abuse.ch/feodotracker', column: 'id.resp_h', match: 'exact' },
    ]);
  });

  it('finds the MalwareBazaar hash inside the Zeek URI and the URLhaus URL as referrer', async () => {
    const found = await hits(await injected('zeek-http-trickbot.log', ZEEK_HTTP), ['uri']);
    expect(found).toEqual([
      { row_id: 1, label: 'sha256:19d854caf81bc884c677bd941abc50b33716e188fa723991820b0ffa3ea7e93e', source: 'abuse.ch/malwarebazaar', column: 'uri', match: 'extracted' },
      { row_id: 2, label: 'url:http://222.138.150.74:43262/i', source: 'abuse.ch/urlhaus', column: 'referrer', match: 'exact' },
    ]);
  });

  it('finds the URLhaus referrer (scheme in capitals), the Feodo client and the MalwareBazaar MD5 in the Apache log', async () => {
    const found = await hits(await injected('apache-acunetix.log', APACHE), ['path']);
    expect(found).toEqual([
      { row_id: 2, label: 'url:http://117.216.147.208:50583/bin.sh', source: 'abuse.ch/urlhaus', column: 'referrer', match: 'exact' },
      { row_id: 6, label: 'ip:37.60.242.85', source: 'abuse.ch/feodotracker', column: 'client_ip', match: 'exact' },
      { row_id: 8, label: 'md5:9363fa2625198beb1fcce0ef07f558ff', source: 'abuse.ch/malwarebazaar', column: 'path', match: 'extracted' },
    ]);
  });

  it('finds a blocklist domain in a Zeek DNS log whose queries are a third escaped NetBIOS names, and a Feodo address in its answer lists', async () => {
    // File line 14 is the query for freeways.in, answered 212.252.32.20: a C2 address is added to the answer list.
    const path = await injected('zeek-dns-2010.log', [{ line: 14, from: '\t212.252.32.20\t', to: '\t212.252.32.20,85.239.243.155\t' }]);
    const feed = join(temp, 'domains.txt');
    await writeFile(feed, 'nrtjo.eu\n');
    const dataset = datasetOf(await harness.run(logImport, {}, { paths: [path] }));
    const output = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: [...FEEDS, feed], include_bundled: false });
    const found = await harness.sql.all(`SELECT row_id, label, detail->>'column' AS column, detail->>'match' AS match FROM "${findingsOf(output).table}" ORDER BY row_id, label`);
    expect(found).toEqual([
      ...[0, 1, 2, 3].map((row_id) => ({ row_id, label: 'domain:nrtjo.eu', column: 'query', match: 'exact' })),
      { row_id: 5, label: 'ip:85.239.243.155', column: 'answers', match: 'extracted' },
    ]);
  });

  it('gives no hit on the untouched logs, with the three feeds and the bundled feed', async () => {
    expect(await hits(join(INTEL, 'logs', 'zeek-conn-trickbot.log'), [])).toEqual([]);
    expect(await hits(join(INTEL, 'logs', 'zeek-http-trickbot.log'), ['uri', 'user_agent'])).toEqual([]);
    expect(await hits(join(INTEL, 'logs', 'apache-acunetix.log'), ['path', 'raw'])).toEqual([]);
  });
});
