// Prints a plan for a person: confidence with its reasons, stages with their mode, components with type and complexity, outputs.
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { describePredicate } from '../model/predicate.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { Printer } from './output-stream.js';

export function printPlan(plan: WorkflowPlan, out: Printer, outputDir?: string): void {
  const components = new Set(plan.nodes.map((n) => n.component)).size;
  out.text(pc.bold(`Workflow plan: ${components} components, ${plan.stages.length} stages, confidence ${plan.confidence.score.toFixed(2)}, estimated ${plan.estimated_seconds.toFixed(2)} s`));
  for (const reason of plan.confidence.reasons) out.text(`  ${pc.dim('·')} ${reason}`);
  out.text();
  const width = Math.max(...plan.nodes.map((n) => n.id.length), 4);
  const componentWidth = Math.max(...plan.nodes.map((n) => n.component.length), 9);
  for (const stage of plan.stages) {
    out.text(`${pc.cyan(`Stage ${stage.index + 1}`)} ${pc.dim(`(${stage.mode})`)}`);
    for (const id of stage.nodes) {
      const node = plan.nodes.find((n) => n.id === id);
      if (node === undefined) continue;
      out.text(`  ${node.id.padEnd(width)}  ${node.component.padEnd(componentWidth)}  ${node.type.padEnd(11)}  ${node.complexity.padEnd(8)}  ${pc.dim(`~${node.estimated_ms} ms`)}`);
      if (node.condition !== null) out.text(pc.dim(`  ${' '.repeat(width)}  only if ${describePredicate(node.condition)}`));
      if (node.loop !== null) out.text(pc.dim(`  ${' '.repeat(width)}  repeats, ${node.loop.adjust.param} adjusted, until ${describePredicate(node.loop.until)} (at most ${node.loop.max_iterations} runs)`));
    }
  }
  const dir = resolve(plan.base_dir, outputDir ?? plan.output_dir);
  const shown = relative(process.cwd(), dir) || '.';
  out.text();
  out.text(`Outputs: ${plan.outputs.map((o) => join(shown, `${o.name}.${o.format}`)).join(', ')}`);
  for (const missing of plan.unavailable) {
    out.text(pc.yellow(`Not available in this version: ${missing.capability} (wanted by ${missing.wanted_by}); the plan runs without it.`));
  }
}
