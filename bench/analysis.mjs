// Profiling, statistics and pattern analysis on the 1M-row bench CSV, each against DuckDB's own nearest operation on
// the same data in the same run: sniff_csv for profiling, SUMMARIZE for statistics, and for the patterns the grouping
// every detector starts from (events per source and hour, per source and destination). Ratios, medians over rounds.
import { join } from 'node:path';
import { profileFile } from '../dist/planner/profile-file.js';
import { generatedThreatCsv, openBench, scratchFolder } from './component-run.mjs';
import { interleaved, median, ms } from './measure.mjs';

const PATTERN_BASELINE = `
  SELECT src_ip, date_trunc('hour', "timestamp") AS hour, count(*) AS events, sum(bytes_sent) AS sent FROM t GROUP BY ALL`;
const PAIR_BASELINE = 'SELECT src_ip, dst_ip, count(*) AS events, count(DISTINCT dst_port) AS ports FROM t GROUP BY ALL';

function ratioOf(runs, baseRuns) {
  return median(runs.map((t, i) => t / baseRuns[i]));
}

export async function analysis({ rows = 1_000_000, rounds = 5 } = {}) {
  const input = generatedThreatCsv(rows);
  const out = scratchFolder('analysis-out');
  const bench = await openBench({ baseDir: join(input, '..'), outputDir: out.dir });
  try {
    const imported = (await bench.run('import.csv', {}, { paths: [input] })).dataset;
    const inputs = { datasets: [imported] };
    const sql = await bench.workspace.session();
    await sql.run(`CREATE VIEW t AS SELECT * FROM "${imported.table}"`);
    let patternSummary = null;
    let statisticsSummary = null;

    const profiling = await interleaved(
      {
        sniff: () => sql.run(`SELECT * FROM sniff_csv('${input.replaceAll("'", "''")}')`),
        profile: () => profileFile(input),
      },
      rounds,
    );
    const analyses = await interleaved(
      {
        summarize: () => sql.run('CREATE OR REPLACE TEMP TABLE bench_summary AS SELECT * FROM (SUMMARIZE t)'),
        statistics: async () => {
          statisticsSummary = (await bench.run('analysis.statistics', inputs, {})).summary;
        },
        groupBy: async () => {
          await sql.run(`CREATE OR REPLACE TEMP TABLE bench_hourly AS ${PATTERN_BASELINE}`);
          await sql.run(`CREATE OR REPLACE TEMP TABLE bench_pairs AS ${PAIR_BASELINE}`);
        },
        patterns: async () => {
          const output = await bench.run('analysis.patterns', inputs, {});
          patternSummary = output.summary;
          if (output.findings !== undefined) await bench.drop(output.findings.table);
        },
      },
      rounds,
    );
    sql.close();
    const found = patternSummary === null ? 'none' : ['outliers', 'entity_outliers', 'rare_values', 'spike_count', 'beaconing_pairs', 'brute_force_entities', 'port_scanners', 'web_scanners', 'dga_domains', 'executable_downloads', 'new_entities'].map((k) => `${k} ${String(patternSummary[k] ?? '-')}`).join(', ');
    return {
      name: 'analysis (profiling, statistics, patterns)',
      rows: imported.rowCount,
      columns: imported.columns.length,
      profiling: { sniffMs: profiling.sniff.median, profileMs: profiling.profile.median, ratio: ratioOf(profiling.profile.runs, profiling.sniff.runs) },
      statistics: { summarizeMs: analyses.summarize.median, statisticsMs: analyses.statistics.median, ratio: ratioOf(analyses.statistics.runs, analyses.summarize.runs), columns: statisticsSummary?.columns?.length ?? 0 },
      patterns: { groupByMs: analyses.groupBy.median, patternsMs: analyses.patterns.median, ratio: ratioOf(analyses.patterns.runs, analyses.groupBy.runs), found },
      print() {
        const runs = (t) => t.runs.map(ms).join(', ');
        return [
          `## ${this.name}: ${this.rows.toLocaleString('en-US')} rows, ${this.columns} columns, median of ${rounds}`,
          `  DuckDB sniff_csv (baseline):        ${ms(this.profiling.sniffMs)}   (runs: ${runs(profiling.sniff)})`,
          `  profileFile (planner):              ${ms(this.profiling.profileMs)}   (runs: ${runs(profiling.profile)})   ratio ${this.profiling.ratio.toFixed(2)}`,
          `  DuckDB SUMMARIZE (baseline):        ${ms(this.statistics.summarizeMs)}   (runs: ${runs(analyses.summarize)})`,
          `  analysis.statistics:                ${ms(this.statistics.statisticsMs)}   (runs: ${runs(analyses.statistics)})   ratio ${this.statistics.ratio.toFixed(2)}`,
          `  DuckDB two GROUP BYs (baseline):    ${ms(this.patterns.groupByMs)}   (runs: ${runs(analyses.groupBy)})`,
          `  analysis.patterns, all detectors:   ${ms(this.patterns.patternsMs)}   (runs: ${runs(analyses.patterns)})   ratio ${this.patterns.ratio.toFixed(2)}`,
          `  patterns found: ${this.patterns.found}`,
        ].join('\n');
      },
    };
  } finally {
    await bench.close();
    out.remove();
  }
}
