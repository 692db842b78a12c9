// `cs-helper feeds import FILE... [--name N] [--fetch URL]` and `cs-helper feeds list`: threat-intelligence feeds kept
// in the state folder (Parquet beside state.db) and matched by intel.ioc-match in every later run.
import { resolve } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { plainText } from '../../data/plain-value.js';
import { Workspace } from '../../data/workspace.js';
import type { PlainRow } from '../../data/sql-session.js';
import type { CollectedFeed } from '../../intel/feeds/feed-indicator.js';
import { fetchFeed } from '../../intel/feeds/fetch-feed.js';
import { listImportedFeeds, storeImportedFeeds, type ImportedFeed } from '../../intel/feeds/imported-feeds.js';
import { loadFeed } from '../../intel/feeds/load-feed.js';
import { UsageError } from '../../model/errors/usage-error.js';
import { ensureStateHome, stateHomePath } from '../../state/state-home.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';
import { UNREADABLE_CONFIDENCE } from '../../intel/feeds/feed-confidence.js';

interface ImportOptions {
  readonly name?: string;
  readonly fetch?: string[];
  readonly json?: boolean;
}

export function registerFeeds(program: Command): void {
  const feeds = program.command('feeds').description(COMMAND_SUMMARIES.feeds.description);
  feeds
    .command('import')
    .description('Import feed files (plain lists, abuse.ch CSV dumps, MISP events or feed manifests, STIX 2.1 bundles, OpenIOC 1.0/1.1), as they are or gzipped or in a ZIP archive of one file; a feed imported again under its name replaces the earlier import.')
    .argument('[files...]', 'feed files')
    .option('--name <name>', 'name to list the feed under and to use as the source of its indicators (one file or URL only)')
    .option('--fetch <url...>', 'download the feed from this http(s) address first (the only command that uses the network)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      examplesHelp([
        'feeds import iocs.txt misp-event.json stix-bundle.json.gz',
        'feeds import case-42-indicators.csv --name case-42',
        'feeds import --fetch https://feodotracker.abuse.ch/downloads/ipblocklist.csv --name feodo',
      ]),
    )
    .action(async (files: string[], options: ImportOptions) => {
      const urls = options.fetch ?? [];
      if (files.length + urls.length === 0) throw new UsageError('feeds import: no feed given', 'name feed files, or --fetch URL');
      const name = options.name?.trim();
      if (name !== undefined && (name === '' || name.length > 100)) throw new UsageError('feeds import: --name must be 1 to 100 characters');
      if (name !== undefined && files.length + urls.length > 1) throw new UsageError('feeds import: --name names one feed, and several were given', 'import the files one at a time, each with its --name');
      const loaded: ImportedFeed[] = [];
      for (const file of files) loaded.push({ name: name ?? file, feed: await loadFeed(resolve(file), { display: file, name: name ?? null }) });
      for (const url of urls) {
        const path = await fetchFeed(url);
        loaded.push({ name: name ?? url, feed: await loadFeed(path, { display: url, name: name ?? null }) });
      }
      const home = ensureStateHome(stateHomePath());
      const workspace = await Workspace.open({ threads: 2 });
      try {
        const sql = await workspace.session();
        const total = await storeImportedFeeds(sql, home, loaded, new Date());
        const summary = loaded.map(({ name: feedName, feed }) => summarise(feedName, feed));
        if (options.json === true) process.stdout.write(`${JSON.stringify({ imported: summary, indicators_stored: total }, null, 2)}\n`);
        else {
          for (const s of summary) {
            const types = Object.entries(s.by_type).map(([t, n]) => `${t} ${n}`).join(', ');
            process.stdout.write(`${s.feed}: ${s.indicators} indicators (${types}) as ${s.format}${s.skipped > 0 ? `; ${s.skipped} entries not an indicator` : ''}\n`);
            // An unreadable confidence still leaves its indicator matched (at the default confidence); every other kind is left out.
            for (const [kind, n] of Object.entries(s.unsupported)) process.stdout.write(`  ${kind === UNREADABLE_CONFIDENCE ? 'matched' : 'not matched'}: ${n} x ${kind}\n`);
          }
          process.stdout.write(`${total} indicators stored; intel.ioc-match uses them in every run.\n`);
        }
        sql.close();
      } finally {
        await workspace.close();
      }
    });
  feeds
    .command('list')
    .description('List the imported feeds: name, import time, indicators by type.')
    .option('--json', 'print JSON')
    .addHelpText('after', examplesHelp(['feeds list', 'feeds list --json']))
    .action(async (options: { json?: boolean }) => {
      const workspace = await Workspace.open({ threads: 2 });
      let rows: PlainRow[];
      try {
        const sql = await workspace.session();
        rows = await listImportedFeeds(sql, stateHomePath());
        sql.close();
      } finally {
        await workspace.close();
      }
      const list = rows.map((r) => ({ feed: plainText(r['feed']), imported_at: plainText(r['imported_at']), indicators: Number(r['indicators']), sources: plainText(r['sources']).split(';'), by_type: byTypeOf(plainText(r['by_type'])) }));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('No feeds imported: `cs-helper feeds import FILE` adds one (the bundled abuse.ch feed is always used).\n');
        return;
      }
      const table = new Table({ head: ['feed', 'imported (UTC)', 'indicators', 'by type', 'sources'], style: { head: [], border: [], compact: true } });
      for (const f of list) table.push([keepEnd(f.feed, 60), f.imported_at, f.indicators, Object.entries(f.by_type).map(([t, n]) => `${t} ${n}`).join(', '), f.sources.join(', ').slice(0, 60)]);
      process.stdout.write(`${table.toString()}\n`);
    });
}

function summarise(name: string, feed: CollectedFeed): { feed: string; format: string; indicators: number; by_type: Record<string, number>; skipped: number; unsupported: Record<string, number> } {
  const byType: Record<string, number> = {};
  for (const i of feed.indicators) byType[i.type] = (byType[i.type] ?? 0) + 1;
  return { feed: name, format: feed.format, indicators: feed.indicators.length, by_type: byType, skipped: feed.skipped, unsupported: { ...feed.unsupported } };
}

function byTypeOf(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of text.split(' ')) {
    const [type, n] = part.split('=');
    if (type !== undefined && type !== '' && n !== undefined) counts[type] = Number(n);
  }
  return counts;
}

/** A long feed name (often a path) cut at its start, where paths say least: `...abuse.ch/feodotracker_ipblocklist.csv`. */
function keepEnd(text: string, width: number): string {
  return text.length <= width ? text : `...${text.slice(text.length - width + 3)}`;
}
