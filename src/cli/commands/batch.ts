// `cs-helper batch problems.jsonl [--concurrency N] [--output-dir DIR] [--json]`: many workflows, one per line, a
// bounded number at a time, in one session log; a summary table at the end; exit 1 when any workflow did not complete
// (130 or 143 when Ctrl-C or SIGTERM cancelled the batch).
import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../model/errors/usage-error.js';
import { queueFlags, queueTargetFrom } from '../../queue/queue-url.js';
import { MAX_BATCH_LINES, readBatchFile } from '../batch/batch-file.js';
import { batchJson, batchTotals, printBatch, type BatchSummary } from '../batch/print-batch.js';
import { runBatch, type BatchEvent } from '../batch/run-batch.js';
import { cancelOnSignal } from '../cancel-on-signal.js';
import { ms, count } from '../format.js';
import type { CliState } from '../open-state.js';
import { checkOutputFolder } from '../output-folder.js';
import { createPrinter, type Printer } from '../output-stream.js';
import type { RegistryLoader } from '../registry-loader.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface BatchOptions extends GlobalOptions {
  readonly concurrency?: string;
  readonly outputDir: string;
  readonly json?: boolean;
  /** False with --no-cache. */
  readonly cache: boolean;
  /** --queue URL, or a bare --queue for $CS_HELPER_QUEUE_URL: the workflows go to workers (src/queue/). */
  readonly queue?: string | boolean;
  readonly queueName?: string;
  readonly wait?: boolean;
}

/** Each workflow runs its own engine with its own threads: past the cores, more at once only adds waiting. */
const MAX_CONCURRENCY = 32;

export function registerBatch(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('batch')
    .description(COMMAND_SUMMARIES.batch.description)
    .argument('<file>', 'JSON Lines: one {"problem", "input_files", "outputs", "id"?, "output_dir"?, "feeds"?, "schema"?, "validation_rules"?, "sheets"?} per line')
    .option('-c, --concurrency <n>', `workflows running at the same time (default: the cores, at most 4; at most ${MAX_CONCURRENCY})`)
    .option('--output-dir <dir>', 'each workflow writes to <dir>/<id or line number>/, or <dir>/<output_dir>', 'output')
    .option('--json', 'print the results as JSON on stdout and nothing else there')
    .option('--no-cache', 'plan from scratch and run every step, without the pattern and result caches of $CS_HELPER_HOME')
    .option('--queue [url]', 'plan here, run on workers: enqueue each workflow on this Redis (redis:// or rediss://; bare: $CS_HELPER_QUEUE_URL); see `cs-helper worker --help`')
    .option('--queue-name <name>', 'the queue within that Redis (default cs-helper)')
    .option('--wait', 'with --queue: follow the jobs until all finish and print the summary table (without it: print the job ids)')
    .addHelpText(
      'after',
      `
Each line of the file is one workflow, for example:
  {"id": "fw-monday", "problem": "Analyze this CSV for security threats", "input_files": ["fw.csv"], "outputs": ["enriched_data", "threat_report"]}
  {"problem": "Process logs for compliance", "input_files": ["access.csv"], "outputs": ["compliance_report"]}
  {"problem": "Validate the export", "input_files": ["fw.csv"], "outputs": ["violations"], "schema": "fw-columns.yaml", "validation_rules": "fw-rules.yaml"}
  {"problem": "Analyze these alerts", "input_files": ["soc.xlsx"], "sheets": ["Alerts"], "feeds": ["iocs.txt"], "output_dir": "alerts"}
The optional fields are as the options of dynamic-workflow: "feeds" (--feeds), "schema" (--schema), "validation_rules"
(--validation-rules, see docs/validation.md) and "sheets" (--sheets); "id" names the workflow's output folder, and
"output_dir" chooses another one inside --output-dir. Relative input files, feeds, schema and validation_rules are read
from the file's folder. Empty "outputs" picks them from the problem. A line that is not valid is reported in the table
as failed, with the reason; the other lines still run. At most ${count(MAX_BATCH_LINES)} lines.`,
    )
    .action(async (file: string, options: BatchOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const concurrency = parseConcurrency(options.concurrency);
      const json = options.json === true;
      const out = createPrinter(json);
      const outputDir = resolve(options.outputDir);
      const session = await startSession(global);
      let status: 'completed' | 'failed' | 'cancelled' = 'failed';
      const cancellation = cancelOnSignal(out, 'the batch');
      let memory: CliState | null = null;
      try {
        session.logInteraction('question', `batch ${file}`, 'command_line', { file, concurrency, output_dir: outputDir }, 'batch_file');
        await checkOutputFolder(outputDir, `--output-dir ${options.outputDir}`);
        const batch = await readBatchFile(file, { outputDir });
        session.logDataOperation({ operation: 'read', target: batch.path, rows: batch.entries.length, detail: { kind: 'batch', invalid_lines: batch.entries.filter((e) => !e.ok).map((e) => e.line) } });
        if (options.queue === undefined) out.note(`${batch.entries.length} workflows from ${file}, ${concurrency} at a time`);
        const registry = await loadRegistry();
        // Loaded here, as in dynamic-workflow: the state database is a native module.
        const { openCliState } = await import('../open-state.js');
        memory = await openCliState({ noCache: !options.cache });
        const target = queueTargetFrom(options.queue, options.queueName, false);
        if (target !== null) {
          const { queueBatchCommand } = await import('../../queue/queue-batch-command.js');
          const queued = await queueBatchCommand(batch, registry, memory.planMemory, { target, wait: options.wait === true, json, out, session, signal: cancellation.signal, source: batch.path, outputDir, queueFlags: queueFlags(target, options.queue) });
          status = queued === 'queued' ? 'completed' : queued;
          if (queued !== 'queued' && queued !== 'completed') process.exitCode = queued === 'cancelled' ? (cancellation.exitCode ?? 1) : 1;
          return;
        }
        const started = performance.now();
        const results = await runBatch(batch.entries, { registry, session, concurrency, baseDir: batch.baseDir, signal: cancellation.signal, memory, onEvent: batchProgress(out) });
        const summary: BatchSummary = { file: batch.path, outputDir, concurrency, durationMs: Math.round((performance.now() - started) * 100) / 100, sessionLog: session.compiledPath, results };
        const totals = batchTotals(results);
        status = totals.completed === totals.workflows ? 'completed' : cancellation.signal.aborted ? 'cancelled' : 'failed';
        session.logInteraction('answer', `batch ${status}: ${totals.completed} of ${totals.workflows} workflows completed`, 'command_line', { ...totals }, 'batch_summary');
        if (json) out.json(batchJson(summary));
        else {
          out.text();
          printBatch(summary, out);
        }
        if (status !== 'completed') process.exitCode = status === 'cancelled' ? (cancellation.exitCode ?? 1) : 1;
      } catch (error) {
        session.logError('command-failed', error instanceof Error ? error.message : String(error), {}, error);
        throw error;
      } finally {
        cancellation.dispose();
        memory?.close();
        await finishSession(session, status);
      }
    });
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return Math.max(1, Math.min(4, availableParallelism()));
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not '${text}'`, 'e.g. --concurrency 2');
  return value;
}

/** One line when a workflow starts and one when it ends, on stderr: the table comes at the end. */
function batchProgress(out: Printer): (event: BatchEvent) => void {
  return (event) => {
    if (event.type === 'workflow-start') {
      out.note(`  → line ${event.line}${event.id === null ? '' : ` (${event.id})`}`);
      return;
    }
    const r = event.result;
    const mark = r.status === 'completed' ? '✔' : r.status === 'cancelled' ? '■' : '✖';
    const what = r.status === 'completed' ? `${count(r.rowsIn)} rows in, ${r.files.length} file${r.files.length === 1 ? '' : 's'}${r.outputDir === null ? '' : ` in ${relative(process.cwd(), r.outputDir) || '.'}`}` : (r.error?.message ?? r.status);
    const time = r.durationMs === 0 ? '' : ` in ${ms(r.durationMs)}`;
    out.note(`  ${mark} [${event.done}/${event.total}] line ${r.line}${r.id === null ? '' : ` (${r.id})`} ${r.status}${time}: ${what}`);
  };
}
