// Example 1 end to end on a 1M-row log CSV, against DuckDB's bare load + COPY TO of the same file in the same process.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createBuiltInRegistry, executePlan, planWorkflow } from '../dist/index.js';
import { interleaved, median, ms } from './measure.mjs';

const ROOT = resolve(import.meta.dirname, '..');

export async function endToEnd({ rows = 1_000_000, rounds = 3, dataDir = join(ROOT, 'bench', '.data') } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const input = join(dataDir, `threat_data_${rows}.csv`);
  if (!existsSync(input)) {
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows into ${input}...\n`);
    const out = join(dataDir, `gen_${rows}`);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate-examples.mjs'), '--rows', String(rows), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('mv', [join(out, 'threat_data.csv'), input]);
    rmSync(out, { recursive: true, force: true });
  }
  const bytes = statSync(input).size;
  const registry = createBuiltInRegistry();
  const outputDir = join(dataDir, 'out');
  const problem = 'Analyze this CSV for security threats and export enriched data';
  let lastResult = null;
  let planMs = 0;

  const cases = {
    // What the tool adds must be measured against what the engine alone costs for the same bytes in and out.
    baseline: async () => {
      const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
      const connection = await instance.connect();
      await connection.run(`CREATE TABLE t AS SELECT * FROM read_csv('${input}')`);
      await connection.run(`COPY t TO '${join(dataDir, 'baseline.csv')}' (FORMAT CSV, HEADER true)`);
      connection.closeSync();
      instance.closeSync();
    },
    example1: async () => {
      const started = performance.now();
      const plan = await planWorkflow({ problem, inputFiles: [input], outputs: ['enriched_data', 'threat_report'], outputDir }, registry);
      planMs = performance.now() - started;
      lastResult = await executePlan(plan, { registry });
      if (lastResult.status !== 'completed') throw new Error(`example 1 failed: ${lastResult.error?.message}`);
    },
  };
  const timed = await interleaved(cases, rounds);
  // Each round runs the baseline and Example 1 back to back: the median of the per-round ratios cancels slow drifts in machine speed.
  const ratio = median(timed.example1.runs.map((t, i) => t / timed.baseline.runs[i]));
  return {
    name: 'end-to-end (Example 1)',
    rows,
    bytes,
    baselineMs: timed.baseline.median,
    example1Ms: timed.example1.median,
    planMs,
    ratio,
    steps: lastResult.steps.map((s) => ({ node: s.node, ms: s.durationMs, estimatedMs: s.estimatedMs })),
    print() {
      const lines = [
        `## ${this.name}: ${rows.toLocaleString('en-US')} rows, ${(bytes / 1024 ** 2).toFixed(0)} MB, median of ${rounds}`,
        `  DuckDB bare load + COPY TO:     ${ms(this.baselineMs)}   (runs: ${timed.baseline.runs.map(ms).join(', ')})`,
        `  Example 1 end to end:           ${ms(this.example1Ms)}   (runs: ${timed.example1.runs.map(ms).join(', ')}; planning ${ms(planMs)})`,
        `  ratio example1 / baseline:      ${ratio.toFixed(2)}   (median of the per-round ratios ${timed.example1.runs.map((t, i) => (t / timed.baseline.runs[i]).toFixed(2)).join(', ')}; target <= 2)`,
        '  steps of the last run (measured / estimated):',
        ...this.steps.map((s) => `    ${s.node.padEnd(24)} ${ms(s.ms).padStart(9)} / ${ms(s.estimatedMs)}`),
      ];
      return lines.join('\n');
    },
  };
}
