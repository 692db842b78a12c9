// `cs-helper dynamic-workflow "<problem>" --input-files ... --outputs ... [--execute] [--export [FILE]] [--json]`
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RegistryLoader } from '../registry-loader.js';
import { uuidV7 } from '../../ids/uuid-v7.js';
import { planWithMemory, rememberPattern } from '../../planner/plan-with-memory.js';
import type { WorkflowPlan } from '../../model/workflow-plan.js';
import type { CliState } from '../open-state.js';
import { checkOutputFolder } from '../output-folder.js';
import { portableOutputDir } from '../plan-output-folder.js';
import { createPrinter, type Printer } from '../output-stream.js';
import { printPlan } from '../print-plan.js';
import { runWithProgress } from '../run-with-progress.js';
import { cancelOnSignal } from '../cancel-on-signal.js';
import { queueFlags, queueTargetFrom } from '../../queue/queue-url.js';
import { finishSession, startSession, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { addPlanningOptions, planningRequest, type PlanningOptions } from './planning-options.js';
import { templateSavedMessage } from '../template-saved-message.js';

interface DynamicWorkflowOptions extends GlobalOptions, PlanningOptions {
  readonly outputDir: string;
  readonly execute?: boolean;
  readonly saveTemplate?: string;
  readonly export?: string | boolean;
  readonly json?: boolean;
  /** False with --no-cache. */
  readonly cache: boolean;
  /** --queue URL (bare: $CS_HELPER_QUEUE_URL): the plan runs on a worker (src/queue/). */
  readonly queue?: string | boolean;
  readonly queueName?: string;
  readonly wait?: boolean;
}

export function registerDynamicWorkflow(program: Command, loadRegistry: RegistryLoader): void {
  const dynamicWorkflow = program
    .command('dynamic-workflow')
    .description(COMMAND_SUMMARIES['dynamic-workflow'].description)
    .argument('<problem>', 'what you want, in plain words, e.g. "Analyze this CSV for security threats and export enriched data"');
  addPlanningOptions(dynamicWorkflow)
    .option('--output-dir <dir>', 'folder for the outputs', 'output')
    .option('-x, --execute', 'run the workflow now, without asking')
    .option('-e, --export [file]', 'write the plan as JSON (default <output-dir>/plan-<id>.json) and print its path')
    .option('--save-template <name>', 'save the plan under a name, to run it on other files with `cs-helper templates run NAME`')
    .option('--json', 'print JSON on stdout and nothing else there: the run summary with --execute, else the plan')
    .option('--no-cache', 'plan from scratch and run every step, without the pattern and result caches of $CS_HELPER_HOME')
    .option('--queue [url]', 'run the plan on a worker: enqueue it on this Redis (redis:// or rediss://; bare: $CS_HELPER_QUEUE_URL); see `cs-helper worker --help`')
    .option('--queue-name <name>', 'the queue within that Redis (default cs-helper)')
    .option('--wait', 'with --queue: follow the job until it finishes and print its summary (without it: print the job id)')
    .addHelpText(
      'after',
      `
Examples:
  $ cs-helper dynamic-workflow "Analyze this CSV for security threats and export enriched data" \\
      --input-files examples/threat_data.csv --outputs enriched_data threat_report --execute
  $ cs-helper dynamic-workflow "Process logs for compliance" --input-files examples/access_logs.csv \\
      --outputs compliance_report --export
  $ cs-helper run output/plan-<id>.json

Each output is written as <output-dir>/<name>.<ext>: data outputs default to CSV, reports to one self-contained HTML page with charts (name it .md for Markdown).

Several datasets: files of different shapes (two CSV exports with other columns, a CSV and a Zeek log) and the
worksheets of a workbook with other columns are each analysed in a branch of their own, and each output is written
once per dataset as <output-dir>/<name>_<dataset>.<ext>:
  $ cs-helper dynamic-workflow "Analyze this workbook for threats" --input-files soc.xlsx \\
      --outputs enriched_data threat_report --execute
      # sheets Alerts and Assets -> enriched_data_alerts.csv, enriched_data_assets.csv, threat_report_alerts.html, ...
  $ cs-helper dynamic-workflow "Analyze these alerts" --input-files soc.xlsx --sheets Alerts --execute`,
    )
    .action(async (problem: string, options: DynamicWorkflowOptions, command: Command) => {
      const global = { ...command.optsWithGlobals<GlobalOptions>(), ...options };
      const json = options.json === true;
      const out = createPrinter(json);
      const session = await startSession(global);
      let status: 'completed' | 'failed' | 'cancelled' = 'completed';
      let memory: CliState | null = null;
      try {
        // Loaded here: the state database (a native module) is not needed by --help or the commands that only read logs.
        const { openCliState } = await import('../open-state.js');
        memory = await openCliState({ noCache: !options.cache });
        const registry = await loadRegistry();
        session.logInteraction('question', problem, 'command_line', { input_files: options.inputFiles ?? [], outputs: options.outputs ?? [], feeds: options.feeds ?? [] }, 'argument');
        // Before planning: an output folder that is a file would otherwise fail after the whole analysis, at the export.
        if (options.execute === true || options.export === true) await checkOutputFolder(options.outputDir, `--output-dir ${options.outputDir}`);
        if (typeof options.export === 'string') await checkOutputFolder(dirname(resolve(options.export)), `--export ${options.export}`);
        const plan = await planWithMemory(
          { problem, ...(await planningRequest(options)), outputDir: options.outputDir },
          registry,
          memory.planMemory,
          { log: session.child({ span_id: uuidV7(), operation: 'plan' }) },
        );

        if (options.saveTemplate !== undefined) {
          const replaced = memory.templates.save(options.saveTemplate, plan);
          session.logDataOperation({ operation: 'write', target: `template:${options.saveTemplate}`, detail: { kind: 'template', plan_id: plan.id, replaced: replaced !== null } });
          const saved = templateSavedMessage(options.saveTemplate, replaced);
          if (json) out.note(saved);
          else out.text(saved);
        }
        const target = queueTargetFrom(options.queue, options.queueName, false);
        if (json && options.execute !== true && options.export === undefined && target === null) {
          out.json(plan);
          session.logInteraction('answer', `plan ${plan.id} printed as JSON`, 'command_line', { plan_id: plan.id }, 'plan');
          return;
        }
        printPlan(plan, out);
        if (options.export !== undefined) {
          const path = await exportPlan(plan, options.export, options.outputDir, out);
          session.logDataOperation({ operation: 'write', target: path, detail: { kind: 'plan' } });
          out.text();
          out.text(`Plan written to ${relative(process.cwd(), path) || path}`);
          session.logInteraction('answer', `plan written to ${path}`, 'command_line', { plan_id: plan.id, path }, 'plan_export');
        }
        if (target !== null) {
          const { queuePlannedCommand } = await import('../../queue/queue-batch-command.js');
          const cancellation = cancelOnSignal(out, 'the waiting (the job keeps running)');
          try {
            const outputDir = resolve(plan.base_dir, options.outputDir);
            out.text();
            const queued = await queuePlannedCommand([{ line: 1, id: null, problem, outputDir, plan }], registry, { target, wait: options.wait === true, json, out, session, signal: cancellation.signal, source: 'dynamic-workflow', outputDir, queueFlags: queueFlags(target, options.queue) });
            status = queued === 'queued' ? 'completed' : queued;
            if (queued !== 'queued' && queued !== 'completed') process.exitCode = queued === 'cancelled' ? (cancellation.exitCode ?? 1) : 1;
          } finally {
            cancellation.dispose();
          }
        } else if (options.execute === true) {
          out.text();
          const result = await runWithProgress(plan, registry, session, out, { json, memory: memory.runMemory });
          status = result.status;
          rememberPattern(memory.patterns, plan, result.status);
          session.logInteraction('answer', `run ${result.status} in ${Math.round(result.durationMs)} ms; ${result.files.length} files written`, 'command_line', { run_id: result.runId, files: result.files.map((f) => f.path) }, 'run_summary');
          if (result.exitCode !== 0) process.exitCode = result.exitCode;
        } else if (options.export === undefined) {
          out.text();
          out.text('Nothing was run. Add --execute to run this plan, or --export to save it for `cs-helper run`.');
          session.logInteraction('answer', `plan ${plan.id} shown, not run`, 'command_line', { plan_id: plan.id, confidence: plan.confidence.score }, 'plan');
        }
      } catch (error) {
        status = 'failed';
        session.logError('command-failed', error instanceof Error ? error.message : String(error), {}, error);
        throw error;
      } finally {
        memory?.close();
        await finishSession(session, status);
      }
    });
}

async function exportPlan(plan: WorkflowPlan, target: string | boolean, outputDir: string, out: Printer): Promise<string> {
  const path = typeof target === 'string' ? resolve(target) : resolve(outputDir, `plan-${plan.id}.json`);
  // `cs-helper run` writes a plan's outputs only inside the folder it is run from: the output folder is stored relative
  // to this one, and one outside it is named for --output-dir.
  const portable = portableOutputDir(plan);
  if (!portable.inside) out.note(`note: the output folder ${portable.outputDir} is outside this folder, and \`cs-helper run\` writes a plan's outputs only inside the folder it is run from: run this plan with --output-dir ${portable.outputDir}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify({ ...plan, output_dir: portable.outputDir }, null, 2)}\n`, 'utf8');
  return path;
}
