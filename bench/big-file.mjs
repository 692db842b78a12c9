// The 10M-row (~1.6 GB) CSV end to end on the built CLI, in a child process whose peak RSS is measured: threat analysis
// with the enriched data and the report written, against DuckDB alone loading the same file and copying it out to CSV
// in a child process of its own. Opt-in (`npm run bench -- --only big-file`): generating the file takes ~2 minutes here
// and each run several; set CS_HELPER_BENCH_BIG_CSV to a file made earlier by scripts/generate-examples.mjs to reuse it.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, generatedThreatCsv, scratchFolder } from './component-run.mjs';
import { median, ms } from './measure.mjs';

const PROBLEM = 'Analyze this CSV for security threats and export enriched data';
const RSS_LIMIT_BYTES = 2 * 1024 ** 3;
const POLL_MS = 50;

// DuckDB alone, as CS Helper's workspace opens it (2 threads, nothing downloaded), in its own process.
const BASELINE_SCRIPT = `
import { DuckDBInstance } from '@duckdb/node-api';
const [input, output] = process.argv.slice(1);
const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', threads: '2' });
const c = await instance.connect();
await c.run("CREATE TABLE t AS SELECT * FROM read_csv('" + input.replaceAll("'", "''") + "')");
await c.run("COPY t TO '" + output.replaceAll("'", "''") + "' (FORMAT CSV, HEADER true)");
c.closeSync();
instance.closeSync();
`;

/**
 * Runs a command and measures its peak resident memory as the kernel counts it: VmHWM in /proc/<pid>/status, read every
 * 50 ms while it runs (the high-water mark only grows, so the last reading before exit is the peak, give or take what
 * the process adds in its last 50 ms).
 */
function runMeasured(command, args, env) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match !== null) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        // The process has just exited: its last reading stands.
      }
    }, POLL_MS);
    // An interrupted bench must not leave a run behind writing gigabytes into a folder that is being removed.
    const stop = () => child.kill();
    process.once('exit', stop);
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('exit', stop);
      clearInterval(poll);
      const elapsedMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`));
      else resolvePromise({ elapsedMs, peakBytes: peakKb * 1024, stdout });
    });
  });
}

async function countLines(path) {
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return lines;
}

async function firstLine(path) {
  for await (const chunk of createReadStream(path, { start: 0, end: 65_535, encoding: 'utf8' })) return chunk.split('\n', 1)[0].split(',');
  return [];
}

const mb = (bytes) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

export async function bigFile({ rows = 10_000_000, rounds = 1 } = {}) {
  const given = process.env['CS_HELPER_BENCH_BIG_CSV'];
  const input = given !== undefined && given !== '' ? given : generatedThreatCsv(rows);
  if (!existsSync(input)) throw new Error(`CS_HELPER_BENCH_BIG_CSV names ${input}, which does not exist`);
  const bytes = statSync(input).size;
  const scratch = scratchFolder('big');
  const outputDir = join(scratch.dir, 'out');
  const env = { CS_HELPER_HOME: join(scratch.dir, 'home'), CS_HELPER_SPILL_DIR: scratch.dir };
  const cli = [join(ROOT, 'dist', 'cli', 'main.js'), 'dynamic-workflow', PROBLEM, '--input-files', input, '--outputs', 'enriched_data', 'threat_report', '--output-dir', outputDir, '--execute', '--json', '--no-cache'];
  const baselineRuns = [];
  const cliRuns = [];
  let summary = null;
  try {
    for (let round = 0; round < rounds; round += 1) {
      process.stderr.write(`big-file round ${round + 1}/${rounds}: DuckDB alone...\n`);
      baselineRuns.push(await runMeasured(process.execPath, ['--input-type=module', '-e', BASELINE_SCRIPT, input, join(scratch.dir, 'baseline.csv')], {}));
      process.stderr.write(`big-file round ${round + 1}/${rounds}: cs-helper dynamic-workflow --execute...\n`);
      cliRuns.push(await runMeasured(process.execPath, cli, env));
      summary = JSON.parse(cliRuns.at(-1).stdout);
    }
    const enriched = join(outputDir, 'enriched_data.csv');
    const enrichedRows = (await countLines(enriched)) - 1;
    const columns = await firstLine(enriched);
    const written = readdirSync(outputDir).sort();
    const peak = Math.max(...cliRuns.map((r) => r.peakBytes));
    return {
      name: 'big file (end to end on the built CLI)',
      rows,
      bytes,
      input,
      baselineMs: median(baselineRuns.map((r) => r.elapsedMs)),
      baselinePeakBytes: Math.max(...baselineRuns.map((r) => r.peakBytes)),
      cliMs: median(cliRuns.map((r) => r.elapsedMs)),
      cliPeakBytes: peak,
      ratio: median(cliRuns.map((r, i) => r.elapsedMs / baselineRuns[i].elapsedMs)),
      underLimit: peak < RSS_LIMIT_BYTES,
      status: summary?.status ?? null,
      enrichedRows,
      enrichedColumns: columns.length,
      written,
      steps: (summary?.steps ?? []).map((s) => ({ node: s.node, ms: s.duration_ms })),
      print() {
        return [
          `## ${this.name}: ${this.enrichedRows.toLocaleString('en-US')} rows, ${mb(bytes)}, ${rounds} round(s); peak RSS = highest VmHWM of the child (polled every ${POLL_MS} ms); CS_HELPER_MEMORY_LIMIT_MB ${process.env['CS_HELPER_MEMORY_LIMIT_MB'] ?? 'unset'}`,
          `  DuckDB alone, read_csv + COPY TO:  ${ms(this.baselineMs)}, peak RSS ${mb(this.baselinePeakBytes)}   (runs: ${baselineRuns.map((r) => `${ms(r.elapsedMs)} / ${mb(r.peakBytes)}`).join(', ')})`,
          `  cs-helper dynamic-workflow:        ${ms(this.cliMs)}, peak RSS ${mb(this.cliPeakBytes)}   (runs: ${cliRuns.map((r) => `${ms(r.elapsedMs)} / ${mb(r.peakBytes)}`).join(', ')})`,
          `  ratio cs-helper / DuckDB alone:    ${this.ratio.toFixed(2)};  peak RSS under 2 GB: ${this.underLimit ? 'yes' : 'NO'}`,
          `  run status ${String(this.status)}; enriched_data.csv has ${this.enrichedRows.toLocaleString('en-US')} rows of ${this.enrichedColumns} columns; written: ${written.join(', ')}`,
          '  steps of the last run:',
          ...this.steps.map((s) => `    ${String(s.node).padEnd(24)} ${typeof s.ms === 'number' ? ms(s.ms) : '?'}`),
        ].join('\n');
      },
    };
  } finally {
    scratch.remove();
  }
}
