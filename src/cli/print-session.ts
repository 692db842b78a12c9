// The readable forms of the `sessions` commands: one session in full (`show`), and statistics across sessions (`stats`).
import Table from 'cli-table3';
import pc from 'picocolors';
import type { CompiledSession } from '../session/compiled-session.js';
import type { LoadedSession } from '../session/load-sessions.js';
import { sessionRuns } from '../session/session-runs.js';
import type { HitRate, SessionStats } from '../session/session-stats.js';
import { count, ms } from './format.js';
import type { Printer } from './output-stream.js';

const TABLE_STYLE = { head: [], border: [], compact: true };

export function printSession(loaded: LoadedSession, out: Printer): void {
  const { document } = loaded;
  const meta = document.session_metadata;
  out.text(pc.bold(`Session ${meta.session_id}  ${meta.session_name}`));
  out.text(`  status     ${statusText(meta.status)}`);
  out.text(`  started    ${meta.start_time}`);
  out.text(`  ended      ${meta.end_time}${meta.status === 'running' ? pc.dim(' (last event so far)') : ''}`);
  out.text(`  duration   ${ms(meta.duration_ms)}`);
  out.text(`  tool       ${meta.user_agent} on ${meta.platform}, Node.js ${meta.node_version}${meta.debug ? ', debug' : ''}`);
  if (meta.argv.length > 0) out.text(`  command    cs-helper ${meta.argv.map(shellWord).join(' ')}`);
  out.text(`  files      ${loaded.group.files.map((f) => f.path).join(', ')}`);
  if (loaded.tornLastLine) out.text(pc.yellow('  the stream ends in a torn line (the process died while writing it); that line is left out'));
  if (loaded.invalidLines.length > 0) out.text(pc.yellow(`  lines that are not session events, left out: ${loaded.invalidLines.join(', ')}`));

  printInteractions(document, out);
  printRuns(document, out);
  printDecisions(document, out);
  printDataOperations(document, out);
  printErrors(document, out);
}

function printInteractions(document: CompiledSession, out: Printer): void {
  if (document.agent_interactions.length === 0) return;
  out.text();
  out.text(pc.bold('Interactions'));
  for (const interaction of document.agent_interactions) {
    const text = interaction.type === 'question' ? interaction.question : interaction.answer;
    const inputType = interaction.metadata['input_type'];
    const where = typeof inputType === 'string' ? `${interaction.context}, ${inputType}` : interaction.context;
    out.text(`  ${clock(interaction.timestamp)}  ${interaction.type.padEnd(8)}  ${text}  ${pc.dim(`(${where})`)}`);
  }
}

function printRuns(document: CompiledSession, out: Printer): void {
  const runs = sessionRuns(document);
  if (runs.length === 0) return;
  for (const run of runs) {
    out.text();
    const estimate = run.estimated_ms === null ? '' : ` (estimated ${ms(run.estimated_ms)})`;
    out.text(`${pc.bold(`Run ${run.trace_id ?? run.workflow_name}`)}  ${statusText(run.status)}${run.duration_ms === null ? '' : ` in ${ms(run.duration_ms)}${estimate}`}  ${pc.dim(`${run.workflow_name}, started ${run.started_at}`)}`);
    const table = new Table({ head: ['step', 'component', 'status', 'time', 'estimate', 'rows in', 'rows out'], style: TABLE_STYLE });
    for (const step of run.steps) {
      table.push([step.step, step.component ?? '', statusText(step.status), optional(step.duration_ms, ms), optional(step.estimated_ms, ms), optional(step.rows_in, count), optional(step.rows_out, count)]);
    }
    out.text(table.toString());
    for (const step of run.steps) if (step.error !== null) out.text(pc.red(`  ${step.step}: ${step.error}`));
  }
}

function printDecisions(document: CompiledSession, out: Printer): void {
  if (document.decision_points.length === 0) return;
  out.text();
  out.text(pc.bold('Decisions'));
  for (const decision of document.decision_points) {
    const numbers = [decision.confidence === null ? null : `confidence ${decision.confidence}`, decision.threshold === null ? null : `threshold ${decision.threshold}`].filter((n) => n !== null).join(', ');
    out.text(`  ${decision.decision}: ${decision.chosen}${numbers === '' ? '' : pc.dim(`  (${numbers})`)}`);
    if (decision.alternatives.length > 0) out.text(pc.dim(`    alternatives: ${decision.alternatives.map((a) => (a.score === null ? a.option : `${a.option} ${a.score}`)).join(', ')}`));
    if (decision.reasoning !== '') out.text(pc.dim(`    ${decision.reasoning}`));
  }
}

function printDataOperations(document: CompiledSession, out: Printer): void {
  if (document.data_operations.length === 0) return;
  out.text();
  out.text(pc.bold('Data operations'));
  for (const operation of document.data_operations) {
    const rows = operation.rows === null ? '' : `  ${count(operation.rows)} rows`;
    out.text(`  ${clock(operation.timestamp)}  ${operation.operation_type.padEnd(9)}  ${operation.target}${pc.dim(rows)}`);
  }
}

function printErrors(document: CompiledSession, out: Printer): void {
  if (document.errors.length === 0) return;
  out.text();
  out.text(pc.bold(pc.red(`Errors (${document.errors.length})`)));
  for (const error of document.errors) {
    out.text(`  ${clock(error.timestamp)}  ${error.type}${error.code === null ? '' : ` [${error.code}]`}  ${error.message}`);
  }
}

export function printStats(stats: SessionStats, out: Printer): void {
  const statuses = Object.entries(stats.statuses)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  out.text(`Sessions: ${stats.sessions}${statuses === '' ? '' : ` (${statuses})`}`);
  const { runs } = stats;
  out.text(`Runs: ${runs.started} started, ${runs.completed} completed, ${runs.failed} failed, ${runs.cancelled} cancelled; success rate ${percent(stats.success_rate)}`);
  const plans = stats.plan_generation;
  out.text(`Plan generation: ${plans.count} plan${plans.count === 1 ? '' : 's'}${plans.mean_ms === null || plans.median_ms === null ? '' : `, mean ${ms(plans.mean_ms)}, median ${ms(plans.median_ms)}`}`);
  // Named as `cs-helper metrics` names them: the two caches are different things, and their sum alone says little.
  out.text(`Cache hit rate, pattern and result caches together: ${hitRate(stats.cache)}`);
  out.text(`  pattern cache (plans): ${hitRate(stats.pattern_cache)}`);
  out.text(`  result cache (steps):  ${hitRate(stats.result_cache)}`);

  out.text();
  out.text(pc.bold(`Errors (${stats.errors.total})`));
  for (const error of stats.errors.by_type) out.text(`  ${String(error.count).padStart(5)}  ${error.type}${error.code === null ? '' : ` [${error.code}]`}`);

  if (stats.slowest_components.length > 0) {
    out.text();
    out.text(pc.bold('Slowest components'));
    const table = new Table({ head: ['component', 'calls', 'mean', 'max'], style: TABLE_STYLE });
    for (const c of stats.slowest_components) table.push([c.tool, count(c.calls), ms(c.mean_ms), ms(c.max_ms)]);
    out.text(table.toString());
  }
  if (stats.estimated_vs_actual.length > 0) {
    out.text();
    out.text(pc.bold('Estimated vs actual (completed steps)'));
    const table = new Table({ head: ['component', 'steps', 'actual / estimate', 'mean abs. error'], style: TABLE_STYLE });
    for (const e of stats.estimated_vs_actual) table.push([e.component, count(e.steps), e.mean_ratio === null ? '' : `${e.mean_ratio.toFixed(2)}x`, ms(e.mean_absolute_error_ms)]);
    out.text(table.toString());
  }
}

export function statusText(status: string): string {
  if (status === 'completed') return pc.green(status);
  if (status === 'failed') return pc.red(status);
  if (status === 'running' || status === 'in_progress') return pc.cyan(status);
  return pc.yellow(status);
}

/** HH:MM:SS.mmm of an ISO timestamp (UTC), enough to order the events of one session. */
function clock(timestamp: string): string {
  return timestamp.length >= 23 ? timestamp.slice(11, 23) : timestamp;
}

function optional(value: number | null, format: (n: number) => string): string {
  return value === null ? '' : format(value);
}

function hitRate(rate: HitRate): string {
  return rate.hit_rate === null ? 'no lookups recorded' : `${percent(rate.hit_rate)} (${count(rate.hits)} hits, ${count(rate.misses)} misses)`;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
