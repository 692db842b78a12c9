// Prints a plan for a person: confidence with its reasons, stages with their mode, components with type and complexity, outputs.
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { describePredicate } from '../model/predicate.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { Printer } from './output-stream.js';
import { describeDataset, planDatasets } from './plan-datasets.js';

export function printPlan(plan: WorkflowPlan, out: Printer, outputDir?: string): void {
  const components = new Set(plan.nodes.map((n) => n.component)).size;
  out.text(pc.bold(`Workflow plan: ${components} components, ${plan.stages.length} stages, confidence ${plan.confidence.score.toFixed(2)}, estimated ${plan.estimated_seconds.toFixed(2)} s${fromCacheNote(plan)}`));
  for (const reason of plan.confidence.reasons) out.text(`  ${pc.dim('·')} ${reason}`);
  out.text();
  const datasets = planDatasets(plan);
  const [only] = datasets;
  if (datasets.length === 1 && only !== undefined) out.text(`Dataset: ${describeDataset(only)}`);
  if (datasets.length > 1) {
    out.text(`Datasets: ${datasets.length}, each analysed in its own branch (steps named <step>-<dataset>)`);
    const slugWidth = Math.max(...datasets.map((d) => d.slug.length));
    for (const dataset of datasets) out.text(`  ${dataset.slug.padEnd(slugWidth)}  ${describeDataset(dataset)}`);
  }
  if (datasets.length > 0) out.text();
  const width = Math.max(...plan.nodes.map((n) => n.id.length), 4);
  const componentWidth = Math.max(...plan.nodes.map((n) => n.component.length), 9);
  const restores = new Map((plan.cached_steps ?? []).map((s) => [s.node, s.estimated_ms]));
  for (const stage of plan.stages) {
    out.text(`${pc.cyan(`Stage ${stage.index + 1}`)} ${pc.dim(`(${stage.mode})`)}`);
    for (const id of stage.nodes) {
      const node = plan.nodes.find((n) => n.id === id);
      if (node === undefined) continue;
      const restore = restores.get(node.id);
      const estimate = restore === undefined ? `~${node.estimated_ms} ms` : `~${restore} ms from the result cache (~${node.estimated_ms} ms to run)`;
      out.text(`  ${node.id.padEnd(width)}  ${node.component.padEnd(componentWidth)}  ${node.type.padEnd(11)}  ${node.complexity.padEnd(8)}  ${pc.dim(estimate)}`);
      if (node.condition !== null) out.text(pc.dim(`  ${' '.repeat(width)}  only if ${describePredicate(node.condition)}`));
      if (node.loop !== null) out.text(pc.dim(`  ${' '.repeat(width)}  repeats, ${node.loop.adjust.param} adjusted, until ${describePredicate(node.loop.until)} (at most ${node.loop.max_iterations} runs)`));
    }
  }
  const dir = resolve(plan.base_dir, outputDir ?? plan.output_dir);
  const shown = relative(process.cwd(), dir) || '.';
  out.text();
  if (datasets.length > 1) {
    out.text('Outputs, per dataset:');
    for (const dataset of datasets) out.text(`  ${dataset.slug}: ${dataset.outputs.map((file) => join(shown, file)).join(', ')}`);
  } else {
    out.text(`Outputs: ${plan.outputs.map((o) => join(shown, `${o.name}.${o.format}`)).join(', ')}`);
  }
  for (const missing of plan.unavailable) {
    out.text(pc.yellow(`Not available in this version: ${missing.capability} (wanted by ${missing.wanted_by}); the plan runs without it.`));
  }
}

/** ", 5 of 7 steps expected from the result cache" when the estimate counts restores; nothing otherwise. */
export function fromCacheNote(plan: WorkflowPlan): string {
  const cached = plan.cached_steps?.length ?? 0;
  return cached === 0 ? '' : `, ${cached} of ${plan.nodes.length} steps expected from the result cache`;
}
