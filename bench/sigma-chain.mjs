// The shipped Sigma correlation chain (a logon after many failed logons for the account) at scale: a million
// generated Security logons (300k failures spread over 20k accounts and a day, 700k successes) and 50 guessed
// accounts (twelve failures ten seconds apart, a logon seven minutes later), through runSigma with the Security rules
// of rules/cs-helper (the chain's building blocks, its count and its sequence, and the other Security rules). The
// baseline, in the same rounds: the bare DuckDB window a count of failures per account over ten minutes needs.
import { fileURLToPath } from 'node:url';
import { Workspace } from '../dist/data/workspace.js';
import { runSigma } from '../dist/intel/sigma/run-sigma.js';
import { interleaved, median, ms } from './measure.mjs';

const SECURITY_RULES = fileURLToPath(new URL('../rules/cs-helper/windows/security/', import.meta.url));
const COLUMNS = [
  ['@timestamp', 'TIMESTAMP'],
  ['Channel', 'VARCHAR'],
  ['EventID', 'INTEGER'],
  ['TargetUserName', 'VARCHAR'],
  ['IpAddress', 'VARCHAR'],
].map(([name, sqlType]) => ({ name, sqlType }));

export async function sigmaChain({ rows = 1_000_000, rounds = 3 } = {}) {
  const workspace = await Workspace.open({ threads: 2 });
  const sql = await workspace.session();
  try {
    await sql.run(`CREATE TABLE ev AS SELECT TIMESTAMP '2026-03-02 00:00:00' + to_milliseconds(i * 86400000 // ${rows}) AS "@timestamp", 'Security' AS Channel,
      CASE WHEN i % 10 < 3 THEN 4625 ELSE 4624 END AS EventID, 'user' || (i % 20000)::VARCHAR AS TargetUserName, '10.0.' || (i % 250)::VARCHAR || '.1' AS IpAddress
      FROM range(${rows}) t(i)`);
    await sql.run(`INSERT INTO ev SELECT TIMESTAMP '2026-03-02 06:00:00' + to_minutes(v * 20) + to_seconds(CASE WHEN k < 12 THEN k * 10 ELSE 420 END), 'Security',
      CASE WHEN k < 12 THEN 4625 ELSE 4624 END, 'victim' || v::VARCHAR, '203.0.113.9' FROM range(50) a(v), range(13) b(k)`);
    let round = 0;
    let detections = null;
    const times = await interleaved(
      {
        baseline: () => sql.run(`CREATE OR REPLACE TEMP TABLE chain_baseline AS SELECT rowid, count(*) OVER (PARTITION BY TargetUserName ORDER BY "@timestamp" RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS n FROM ev WHERE EventID = 4625`),
        chain: async () => {
          round += 1;
          const run = await runSigma(sql, { table: 'ev', rowId: 'rowid', columns: COLUMNS }, { rules: [{ absolute: SECURITY_RULES, display: 'security rules' }], minLevel: 'informational', tableName: (p) => `${p}_${String(round)}`, signal: new globalThis.AbortController().signal });
          detections = run.detectionCount;
        },
      },
      rounds,
    );
    const ratio = median(times.chain.runs.map((t, i) => t / times.baseline.runs[i]));
    return {
      name: 'sigma correlation chain (logon after many failed logons)',
      rows: rows + 650,
      baselineMs: times.baseline.median,
      chainMs: times.chain.median,
      ratio,
      detections,
      print() {
        const runs = (t) => t.runs.map(ms).join(', ');
        return [
          `## ${this.name}: ${this.rows.toLocaleString('en-US')} Security logons, median of ${rounds}`,
          `  DuckDB windowed count of failures per account (baseline): ${ms(this.baselineMs)}   (runs: ${runs(times.baseline)})`,
          `  runSigma, the Security rules with the chain:              ${ms(this.chainMs)}   (runs: ${runs(times.chain)})   ratio ${this.ratio.toFixed(2)}`,
          `  detections: ${String(this.detections)} (one per guessed account's logon: 50 expected)`,
        ].join('\n');
      },
    };
  } finally {
    sql.close();
    await workspace.close();
  }
}
