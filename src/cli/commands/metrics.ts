// `cs-helper metrics [--json]`: what the state folder has measured: plan generation (from the pattern cache or not),
// cache hit rates, run success, estimate error and usage per component. Reads only; creates nothing.
import Table from 'cli-table3';
import type { Command } from 'commander';
import pc from 'picocolors';
import { stateHomePath } from '../../state/state-home.js';
import { emptyMetrics, type HitRate, type Metrics, type TimingSummary } from '../../state/read-metrics.js';
import { bytes, count, ms } from '../format.js';
import { createPrinter, type Printer } from '../output-stream.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';

const TABLE_STYLE = { head: [], border: [], compact: true };

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description(COMMAND_SUMMARIES.metrics.description)
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', examplesHelp(['metrics', 'metrics --json'], 'The state folder is $CS_HELPER_HOME, else ~/.cs-helper: `CS_HELPER_HOME=/srv/cs-helper cs-helper metrics` reads another.'))
    .action(async (options: { json?: boolean }) => {
      const out = createPrinter(options.json === true);
      const home = stateHomePath();
      // Loaded here: the state database is a native module the other commands may not need.
      const { StateDatabase } = await import('../../state/state-database.js');
      const { readMetrics } = await import('../../state/read-metrics.js');
      let metrics: Metrics;
      if (StateDatabase.exists(home)) {
        const state = StateDatabase.open({ home, readonly: true });
        try {
          metrics = readMetrics(state);
        } finally {
          state.close();
        }
      } else {
        metrics = emptyMetrics(home);
      }
      if (options.json === true) out.json(metrics);
      else printMetrics(metrics, out);
    });
}

export function printMetrics(metrics: Metrics, out: Printer): void {
  out.text(pc.dim(`State folder: ${metrics.state_dir}`));
  const { runs } = metrics;
  out.text(`Runs: ${count(runs.total)} (${runs.completed} completed, ${runs.failed} failed, ${runs.cancelled} cancelled); success rate ${percent(runs.success_rate)}`);
  const plans = metrics.plan_generation;
  out.text(`Plan generation: ${timing(plans.all)}`);
  out.text(`  from the pattern cache: ${timing(plans.cached)}`);
  out.text(`  planned from scratch:   ${timing(plans.uncached)}`);
  // Hits and misses count lookups: these plans made none, so the cache's figures add up without them.
  if (plans.without_lookup.count > 0) out.text(`    without a cache lookup (--no-cache, several datasets): ${timing(plans.without_lookup)}`);
  out.text(`Pattern cache: ${hitRate(metrics.pattern_cache)}; ${count(metrics.pattern_cache.entries)} patterns stored`);
  out.text(`Result cache: ${hitRate(metrics.result_cache)}; ${count(metrics.result_cache.entries)} step results, ${bytes(metrics.result_cache.bytes)}`);

  if (metrics.estimates.length > 0) {
    out.text();
    out.text(pc.bold('Estimated vs actual (steps that ran)'));
    const table = new Table({ head: ['component', 'steps', 'actual / estimate', 'mean abs. error', 'rows/s'], style: TABLE_STYLE });
    for (const e of metrics.estimates) table.push([e.component, count(e.steps), e.mean_ratio === null ? '' : `${e.mean_ratio.toFixed(2)}x`, ms(e.mean_absolute_error_ms), e.rows_per_second === null ? '' : count(e.rows_per_second)]);
    out.text(table.toString());
  }
  if (metrics.component_usage.length > 0) {
    out.text();
    out.text(pc.bold('Component usage'));
    const table = new Table({ head: ['component', 'steps', 'completed', 'from cache', 'failed', 'skipped', 'cancelled'], style: TABLE_STYLE });
    for (const u of metrics.component_usage) table.push([u.component, count(u.steps), count(u.completed), count(u.from_cache), count(u.failed), count(u.skipped), count(u.cancelled)]);
    out.text(table.toString());
  }
  if (runs.total === 0) {
    out.text();
    out.text('Nothing recorded yet: run a workflow with `cs-helper dynamic-workflow ... --execute`.');
  }
}

function timing(t: TimingSummary): string {
  if (t.count === 0 || t.mean_ms === null || t.median_ms === null) return `${t.count} plans`;
  return `${count(t.count)} plan${t.count === 1 ? '' : 's'}, mean ${ms(t.mean_ms)}, median ${ms(t.median_ms)}`;
}

function hitRate(rate: HitRate): string {
  return rate.hit_rate === null ? 'no lookups yet' : `${percent(rate.hit_rate)} hit rate (${count(rate.hits)} hits, ${count(rate.misses)} misses)`;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}
