// Runs one built component the way the engine does (a real Workspace, a SqlSession per step, the component's own
// parameter schema for defaults), so a benchmark can time one step alone on a big file without planning a workflow.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createBuiltInRegistry, planWorkflow } from '../dist/index.js';
import { Workspace } from '../dist/data/workspace.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const SHARED_DATA = resolve(ROOT, '..', 'shared', 'data');

const NO_INPUTS = { datasets: [], findings: [], summaries: [] };
const QUIET_LOG = { info() {}, warn() {}, dataOperation() {}, decision() {} };

/**
 * A temporary folder for a benchmark's generated data, under the system's temporary folder (never the repository);
 * `remove()` deletes it, and it is also removed when the process exits on an error or is interrupted.
 */
export function scratchFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `cs-helper-bench-${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  // Ctrl-C or a kill during a long run still removes the data: exiting runs the 'exit' listeners.
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
  return { dir, remove };
}

let shared = null;

/**
 * The examples' firewall/proxy CSV with `rows` rows, made by scripts/generate-examples.mjs (the generator the end-to-end
 * bench uses) into one temporary folder per process: benches run together share it, and it is deleted at exit.
 */
export function generatedThreatCsv(rows) {
  shared ??= scratchFolder('data');
  const target = join(shared.dir, `threat_data_${rows}.csv`);
  if (existsSync(target)) return target;
  const out = join(shared.dir, `gen_${rows}`);
  process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows into ${target}...\n`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate-examples.mjs'), '--rows', String(rows), '--access-rows', '500', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(join(out, 'threat_data.csv'), target);
  rmSync(out, { recursive: true, force: true });
  return target;
}

/** DuckDB alone, no CS Helper code: the baseline each benchmark divides by. */
export async function bareDuckDb(work) {
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', threads: '2' });
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A workspace with 2 threads (what the planner gives a big file on these 2-core machines) and a runner of components. */
export async function openBench({ baseDir, outputDir }) {
  const registry = createBuiltInRegistry();
  const plan = await planWorkflow({ problem: 'Analyze this CSV for security threats', inputFiles: [join(ROOT, 'examples', 'threat_data.csv')], outputs: [] }, registry);
  const workspace = await Workspace.open({ threads: 2 });
  const startedAt = performance.now();
  return {
    workspace,
    /** Runs component `id` with `params` (defaults filled in by its schema) on `inputs`; returns its output. */
    async run(id, inputs, params) {
      const component = registry.get(id);
      const sql = await workspace.session();
      const signal = new globalThis.AbortController().signal;
      const context = {
        sql,
        tableName: (prefix) => workspace.tableName(prefix),
        describe: (table, sources) => workspace.handle(sql, table, sources, signal),
        signal,
        log: QUIET_LOG,
        progress() {},
        run: { runId: 'bench', sessionId: null, baseDir, outputDir, plan, node: id, startedAt, completedSteps: () => [] },
      };
      try {
        return await component.run(context, { ...NO_INPUTS, ...inputs }, component.params.parse(params));
      } finally {
        sql.close();
      }
    },
    /** Drops a table a step made, so rounds do not pile up tables in memory. */
    async drop(table) {
      const sql = await workspace.session();
      const name = `"${table.replaceAll('"', '""')}"`;
      try {
        // Steps make tables or views; DROP of the wrong kind fails, so each kind is tried on its own.
        for (const kind of ['TABLE', 'VIEW']) await sql.run(`DROP ${kind} IF EXISTS ${name}`).catch(() => undefined);
      } finally {
        sql.close();
      }
    },
    close: () => workspace.close(),
  };
}
