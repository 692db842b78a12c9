// `cs-helper feeds import|list` through the built binary: real abuse.ch feeds stored in the state folder with their
// import time, listed, replaced on re-import; an offline --fetch and a missing file each give one error and a hint.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const cli = CLI_PATH;
const FEEDS = join(root, 'test', 'fixtures', 'intel', 'feeds');

let home: string;

async function csHelper(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, { cwd: FEEDS, env: { CS_HELPER_HOME: home } });
}

interface Listed {
  feed: string;
  imported_at: string;
  indicators: number;
  sources: string[];
  by_type: Record<string, number>;
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  home = await mkdtemp(join(tmpdir(), 'cs-helper-feeds-cli-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cs-helper feeds', () => {
  it('lists nothing before any import', async () => {
    const result = await csHelper(['feeds', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No feeds imported');
    expect(JSON.parse((await csHelper(['feeds', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('imports real abuse.ch dumps and lists them with counts, sources and the import time', async () => {
    const before = Date.now();
    const result = await csHelper(['feeds', 'import', 'feodotracker-ipblocklist.csv', 'urlhaus-recent.csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('feodotracker-ipblocklist.csv: 28 indicators (ip 28) as abuse-ch-csv');
    expect(result.stdout).toContain('urlhaus-recent.csv: 10 indicators (url 10) as abuse-ch-csv');
    expect(result.stdout).toContain('38 indicators stored');
    expect(existsSync(join(home, 'intel', 'indicators.parquet'))).toBe(true);

    const listed = JSON.parse((await csHelper(['feeds', 'list', '--json'])).stdout) as Listed[];
    expect(listed.map((f) => [f.feed, f.indicators, f.sources, f.by_type])).toEqual([
      ['feodotracker-ipblocklist.csv', 28, ['abuse.ch/feodotracker'], { ip: 28 }],
      ['urlhaus-recent.csv', 10, ['abuse.ch/urlhaus'], { url: 10 }],
    ]);
    const at = Date.parse(listed[0]?.imported_at ?? '');
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('replaces a feed imported again under its name, and names a feed with --name', async () => {
    expect((await csHelper(['feeds', 'import', 'feodotracker-ipblocklist.csv'])).code).toBe(0);
    const named = await csHelper(['feeds', 'import', 'stix-oasis-poisonivy.json', '--name', 'pivy-report', '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout)).toEqual({
      imported: [{ feed: 'pivy-report', format: 'stix-bundle', indicators: 64, by_type: { ip: 40, domain: 24 }, skipped: 1, unsupported: { 'pattern on file:name': 2 } }],
      indicators_stored: 102,
    });
    const listed = JSON.parse((await csHelper(['feeds', 'list', '--json'])).stdout) as Listed[];
    expect(listed.map((f) => [f.feed, f.indicators, f.sources])).toEqual([
      ['feodotracker-ipblocklist.csv', 28, ['abuse.ch/feodotracker']],
      ['pivy-report', 64, ['pivy-report']],
      ['urlhaus-recent.csv', 10, ['abuse.ch/urlhaus']],
    ]);
    const table = (await csHelper(['feeds', 'list'])).stdout;
    expect(table).toContain('pivy-report');
    expect(table).toContain('domain 24, ip 40');
  });


  it('says plainly that it is offline when --fetch cannot reach the feed, storing nothing', async () => {
    const result = await csHelper(['feeds', 'import', '--fetch', 'https://feodotracker.abuse.ch/downloads/ipblocklist.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: https://feodotracker.abuse.ch/downloads/ipblocklist.csv: cannot fetch the feed: no network connection (ENOTFOUND)\n' +
        'hint: this machine has no network connection to the feed; download the file where there is one and run `cs-helper feeds import FILE`\n',
    );
    expect((JSON.parse((await csHelper(['feeds', 'list', '--json'])).stdout) as Listed[]).length).toBe(3);
  });

  it('refuses a missing file and a file with no indicators with one error line and a hint', async () => {
    const missing = await csHelper(['feeds', 'import', 'missing.txt']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: missing.txt: no such feed file\nhint: check the path; relative paths are read from the current directory\n');
    // A web address given as a file: nothing is downloaded, and the hint names the option that would.
    const address = await csHelper(['feeds', 'import', 'https://feodotracker.abuse.ch/downloads/ipblocklist.csv']);
    expect(address.code).toBe(1);
    expect(address.stderr).toBe(
      'error: https://feodotracker.abuse.ch/downloads/ipblocklist.csv: no such feed file\n' +
        'hint: feeds are read from files; `cs-helper feeds import --fetch https://feodotracker.abuse.ch/downloads/ipblocklist.csv` downloads and imports it (the only command that uses the network), and later runs match it\n',
    );
    const empty = await csHelper(['feeds', 'import', 'openioc11-libvlc-hijack.ioc']);
    expect(empty.code).toBe(1);
    expect(empty.stderr.split('\n')[0]).toBe('error: openioc11-libvlc-hijack.ioc: no indicators found in the openioc feed');
    expect(empty.stderr.split('\n')[1]).toMatch(/^hint: /);
  });

  it('shows the end of a long feed name in the table, where a path says which feed it is', async () => {
    const name = `/srv/intel/mirrors/2026/november/abuse.ch/${'daily/'.repeat(4)}feodotracker-ipblocklist.csv`;
    expect((await csHelper(['feeds', 'import', 'feodotracker-ipblocklist.csv', '--name', name])).code).toBe(0);
    const table = (await csHelper(['feeds', 'list'])).stdout;
    const row = table.split('\n').find((line) => line.includes('feodotracker-ipblocklist.csv │') && line.includes('...')) ?? '';
    expect(row.startsWith(`│ ...${name.slice(name.length - 57)} │`)).toBe(true);
  });
});
