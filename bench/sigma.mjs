// Sigma detection speed: the 304 shipped rules (analysis.sigma) over real Windows events (the OTRF recordings and the
// SigmaHQ regression events of ../shared/data, replicated to the row count), against a bare DuckDB scan of the same
// table with one case-insensitive contains filter. Events per second and the ratio, medians over rounds.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DATA, openBench, scratchFolder } from './component-run.mjs';
import { interleaved, median, ms } from './measure.mjs';

const OTRF = join(SHARED_DATA, 'otrf', 'windows');
const REGRESSION = join(SHARED_DATA, 'sigma', 'regression_events_flat.jsonl');

function zipsUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? zipsUnder(join(dir, e.name)) : e.name.endsWith('.zip') ? [join(dir, e.name)] : [])).sort();
}

/** One JSON Lines file of every OTRF Windows event and every regression event (their flat form). */
function realEvents(target) {
  // The regression events first: the engine infers the columns from the first rows it reads.
  const lines = readFileSync(REGRESSION, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const events = lines.map((l) => JSON.parse(l).event).filter((e) => e !== undefined);
  appendFileSync(target, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  for (const zip of zipsUnder(OTRF)) appendFileSync(target, execFileSync('unzip', ['-p', zip], { maxBuffer: 256 * 1024 * 1024 }));
}

export async function sigma({ rows = 500_000, rounds = 3 } = {}) {
  if (!existsSync(OTRF) || !existsSync(REGRESSION)) {
    const missing = `skipped: ${existsSync(OTRF) ? REGRESSION : OTRF} is absent (the benchmark reads the real events of ../shared/data)`;
    return { name: 'sigma', skipped: missing, print: () => `## sigma detection: ${missing}` };
  }
  const scratch = scratchFolder('sigma');
  const file = join(scratch.dir, 'events.jsonl');
  realEvents(file);
  const bench = await openBench({ baseDir: scratch.dir, outputDir: scratch.dir });
  try {
    const imported = (await bench.run('import.json', {}, { paths: [file] })).dataset;
    const sql = await bench.workspace.session();
    const copies = Math.max(1, Math.ceil(rows / imported.rowCount));
    await sql.run(`CREATE TABLE sigma_bench AS SELECT t.* FROM "${imported.table}" t, range(${copies}) ORDER BY range`);
    const events = await bench.workspace.handle(sql, 'sigma_bench', ['sigma_bench']);
    let summary = null;
    const times = await interleaved(
      {
        scan: () => sql.run(`SELECT count(*) FROM sigma_bench WHERE contains(lower(CommandLine), 'mimikatz')`),
        sigma: async () => {
          const output = await bench.run('analysis.sigma', { datasets: [events] }, {});
          summary = output.summary;
          await bench.drop(output.findings.table);
        },
      },
      rounds,
    );
    sql.close();
    const ratio = median(times.sigma.runs.map((t, i) => t / times.scan.runs[i]));
    return {
      name: 'sigma detection (analysis.sigma, shipped rules)',
      baseEvents: imported.rowCount,
      rows: events.rowCount,
      columns: events.columns.length,
      scanMs: times.scan.median,
      sigmaMs: times.sigma.median,
      eventsPerSecond: Math.round(events.rowCount / (times.sigma.median / 1000)),
      ratio,
      rulesApplied: summary?.rules_applied,
      rulesLoaded: summary?.rules_loaded,
      detections: summary?.detections,
      rulesHit: summary?.rules_hit,
      problems: summary?.rule_problems,
      print() {
        const runs = (t) => t.runs.map(ms).join(', ');
        return [
          `## ${this.name}: ${this.rows.toLocaleString('en-US')} events (${this.baseEvents.toLocaleString('en-US')} real events x ${copies}), ${this.columns} columns, median of ${rounds}`,
          `  DuckDB scan, one contains filter (baseline): ${ms(this.scanMs)}   (runs: ${runs(times.scan)})`,
          `  analysis.sigma, ${this.rulesLoaded} rules loaded, ${this.rulesApplied} applied: ${ms(this.sigmaMs)}   (runs: ${runs(times.sigma)})   ratio ${this.ratio.toFixed(1)}`,
          `  throughput: ${this.eventsPerSecond.toLocaleString('en-US')} events/s; ${this.detections} detections from ${this.rulesHit} rules; ${this.problems} rules could not run`,
        ].join('\n');
      },
    };
  } finally {
    await bench.close();
    scratch.remove();
  }
}
