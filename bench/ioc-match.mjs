// IOC matching of 1M rows (IP, domain, URL columns) against 200k indicators that include IPv4/IPv6 CIDR ranges,
// domains matched by suffix and URLs matched after normalisation: intel.ioc-match's joins (matchColumns, the call the
// component makes: every column matched and one finding per row and indicator written), against a bare DuckDB
// equality join of the IP column on the same indicators in the same run. Loading the 200k-indicator feed file is timed on its own. Data are generated (no shared data needed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIndicators } from '../dist/components/analysis/ioc-match/load-indicators.js';
import { matchColumns } from '../dist/components/analysis/ioc-match/match-column.js';
import { FINDINGS_COLUMNS } from '../dist/components/findings-table.js';
import { Workspace } from '../dist/data/workspace.js';
import { scratchFolder } from './component-run.mjs';
import { interleaved, median, ms, runAlone } from './measure.mjs';

const TARGET_MS = 300;

/** 200k indicators as a value CSV feed: 150k IPs, 12k CIDR ranges (10k IPv4 /16-/30, 2k IPv6 /32-/64), 30k domains, 8k URLs. */
export function writeFeed(path) {
  const lines = ['value,type,source,confidence'];
  for (let i = 0; i < 150_000; i += 1) lines.push(`${40 + (i % 50)}.${(i >> 8) & 255}.${i & 255}.${(i * 7) % 254 + 1},ip,bench-ip,0.8`);
  for (let i = 0; i < 10_000; i += 1) lines.push(`${100 + (i % 20)}.${(i >> 4) & 255}.${(i * 11) & 255}.0/${16 + (i % 15)},cidr,bench-cidr,0.6`);
  for (let i = 0; i < 2_000; i += 1) lines.push(`2001:db8:${(i * 3).toString(16)}::/${32 + (i % 33)},cidr,bench-cidr6,0.6`);
  for (let i = 0; i < 30_000; i += 1) lines.push(`bad${i}.example${i % 100}.com,domain,bench-domain,0.7`);
  for (let i = 0; i < 8_000; i += 1) lines.push(`http://payload${i}.example.net/drop/${i}.bin,url,bench-url,0.9`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

/** 1M rows: mostly clean values, with every 1,000th IP an indicator, every 997th in a range, subdomains and URL variants. */
export const DATA = (rows) => `
  CREATE TABLE events AS SELECT r AS rid,
    CASE WHEN r % 1000 = 0 THEN (40 + (r // 1000) % 50)::VARCHAR || '.' || ((r // 1000) >> 8 & 255)::VARCHAR || '.' || ((r // 1000) & 255)::VARCHAR || '.' || ((((r // 1000) * 7) % 254) + 1)::VARCHAR
         WHEN r % 997 = 0 THEN (100 + (r % 20))::VARCHAR || '.1.2.3'
         WHEN r % 991 = 0 THEN '2001:db8:' || printf('%x', (r % 2000) * 3) || ':1::7'
         ELSE '192.168.' || (r % 256)::VARCHAR || '.' || ((r // 256) % 256)::VARCHAR END AS src_ip,
    CASE WHEN r % 500 = 0 THEN 'cdn.a.bad' || ((r // 500) % 30000)::VARCHAR || '.example' || (((r // 500) % 30000) % 100)::VARCHAR || '.com'
         WHEN r % 499 = 0 THEN 'notbad' || (r % 30000)::VARCHAR || '.example1.com'
         ELSE 'host' || (r % 50000)::VARCHAR || '.corp' || (r % 20)::VARCHAR || '.net' END AS domain,
    CASE WHEN r % 700 = 0 THEN 'HTTP://payload' || ((r // 700) % 8000)::VARCHAR || '.example.net:80/drop/' || ((r // 700) % 8000)::VARCHAR || '.bin/'
         ELSE 'https://site' || (r % 100000)::VARCHAR || '.org/p/' || (r % 7)::VARCHAR END AS url
  FROM range(${rows}) t(r)`;

export const COLUMNS = [
  { column: { name: 'src_ip', sqlType: 'VARCHAR', role: 'ip' }, match: 'host' },
  { column: { name: 'domain', sqlType: 'VARCHAR', role: 'domain' }, match: 'host' },
  { column: { name: 'url', sqlType: 'VARCHAR', role: 'url' }, match: 'url' },
];

export async function iocMatchBench({ rows = 1_000_000, rounds = 5 } = {}) {
  const scratch = scratchFolder('ioc');
  const feedPath = join(scratch.dir, 'indicators.csv');
  const written = writeFeed(feedPath);
  const workspace = await Workspace.open({ threads: 2 });
  const sql = await workspace.session();
  try {
    await sql.run(DATA(rows));
    const loadTimes = [];
    let indicators = null;
    for (let r = 0; r < Math.min(rounds, 3); r += 1) {
      const started = performance.now();
      const table = `ind_${r}`;
      indicators = await loadIndicators(sql, table, { files: [{ path: feedPath, display: 'bench feed' }], importedFrom: null });
      loadTimes.push(performance.now() - started);
    }
    let hits = null;
    let round = 0;
    /**
     * Matches `columns`, pushes the time of the match to `runs` and returns the hits by type and match kind. The time
     * is what the component does to match: the findings table made and filled. Reading the hits back by kind for this
     * printout (~10 ms) and dropping the table come after the clock stops.
     */
    const match = async (columns, runs) => {
      round += 1;
      const findings = `findings_${round}`;
      const started = performance.now();
      await sql.run(`CREATE TABLE ${findings} (${FINDINGS_COLUMNS})`);
      await matchColumns(sql, { table: 'events', rowId: 'rid', indicators: indicators.table, keys: indicators.keys, columns, scratch: `${findings}_scratch`, findings });
      runs.push(performance.now() - started);
      const found = await sql.all(`SELECT split_part(label, ':', 1) AS type, detail->>'match' AS how, count(*)::INTEGER AS n FROM ${findings} GROUP BY ALL ORDER BY ALL`);
      await sql.run(`DROP TABLE ${findings}`);
      return found;
    };
    const matchRuns = [];
    const hostColumnsRuns = [];
    const interleavedTimes = await interleaved(
      {
        // The baseline: what a bare engine does for the simplest part of the job, one equality join on one column.
        equalityJoin: () => sql.run(`CREATE OR REPLACE TEMP TABLE baseline AS SELECT e.rid, i.value FROM events e JOIN "${indicators.table}" i ON i.value = e.src_ip`),
        match: async () => {
          hits = await match(COLUMNS, matchRuns);
        },
        // The kinds the issue names (exact IPs, CIDR ranges, domain suffixes): the IP and domain columns, no URL column.
        hostColumns: () => match(COLUMNS.filter((c) => c.match === 'host'), hostColumnsRuns),
      },
      rounds,
    );
    const times = {
      equalityJoin: interleavedTimes.equalityJoin,
      match: { median: median(matchRuns), runs: matchRuns },
      hostColumns: { median: median(hostColumnsRuns), runs: hostColumnsRuns },
    };
    const ratio = median(times.match.runs.map((t, i) => t / times.equalityJoin.runs[i]));
    return {
      name: 'ioc-match (intel.ioc-match joins)',
      rows,
      indicators: indicators.count,
      feedLines: written,
      // The first load parses the file; later ones in the same process reuse the parsed feed (load-feed.ts keeps it).
      loadMs: loadTimes[0],
      reloadMs: loadTimes.length > 1 ? median(loadTimes.slice(1)) : null,
      baselineMs: times.equalityJoin.median,
      matchMs: times.match.median,
      hostColumnsMs: times.hostColumns.median,
      ratio,
      withinTarget: times.match.median <= TARGET_MS,
      hits,
      print() {
        const runs = (t) => t.runs.map(ms).join(', ');
        return [
          `## ${this.name}: ${this.rows.toLocaleString('en-US')} rows (ip, domain, url) x ${this.indicators.toLocaleString('en-US')} indicators (IPs, IPv4/IPv6 ranges, domains by suffix, URLs), median of ${rounds}`,
          `  feed file loaded and keyed (${this.feedLines.toLocaleString('en-US')} lines): first read ${ms(this.loadMs)}; again in the same process (parsed feed kept, tables rebuilt): ${this.reloadMs === null ? 'not run' : ms(this.reloadMs)}`,
          `  DuckDB equality join, IP column (baseline): ${ms(this.baselineMs)}   (runs: ${runs(times.equalityJoin)})`,
          `  match, 3 columns, all match kinds (findings table made and filled): ${ms(this.matchMs)}   (runs: ${runs(times.match)})   ratio ${this.ratio.toFixed(2)}; target <= ${TARGET_MS} ms: ${this.withinTarget ? 'met' : 'NOT met'}`,
          `  match, IP and domain columns only (exact IPs, ranges, domain suffixes; no URL column): ${ms(this.hostColumnsMs)}   (runs: ${runs(times.hostColumns)})   ratio ${median(times.hostColumns.runs.map((t, i) => t / times.equalityJoin.runs[i])).toFixed(2)}`,
          `  hits: ${(this.hits ?? []).map((h) => `${h.type}/${h.how} ${h.n}`).join(', ')}`,
        ].join('\n');
      },
    };
  } finally {
    sql.close();
    await workspace.close();
    scratch.remove();
  }
}

// Run alone: `node --expose-gc bench/ioc-match.mjs [rows]` (after `npm run build`).
await runAlone(import.meta.url, iocMatchBench);
