// A workflow's job id, derived from what it does and what it reads: the steps with their parameters, the base and
// output folders, and each input file's path, size and modification time. Enqueuing the same workflow again (the same
// batch submitted twice) yields the same id, and BullMQ adds no second job under an id it already holds.
import { stat } from 'node:fs/promises';
import type { AnyComponent } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { filesOf } from '../engine/step-key.js';
import { fingerprintOf } from '../planner/fingerprint.js';

/** BullMQ ids must not contain ':' and must not look like its own numeric ids: a prefix and hex digits. */
export const JOB_ID_PATTERN = /^wf-[0-9a-f]{32}$/;

/**
 * `registry`, when given, adds the files each step's component reads on its own (`readsFiles`: the feeds imported into
 * the state folder for indicator matching), so the same workflow submitted after a `feeds import` is a new job, not
 * the finished one with the indicators of before.
 */
export async function workflowJobId(plan: WorkflowPlan, baseDir: string, outputDir: string, registry?: ComponentRegistry): Promise<string> {
  const files: { path: string; size: number; mtime_ms: number }[] = [];
  const componentOf = (id: string): AnyComponent | undefined => (registry?.has(id) === true ? registry.get(id) : undefined);
  for (const path of [...new Set(plan.nodes.flatMap((node) => filesOf(node, baseDir, componentOf(node.component))))].sort()) {
    // A file that cannot be read is refused before enqueuing; here it only shapes the id.
    const info = await stat(path).catch(() => null);
    files.push({ path, size: info?.size ?? -1, mtime_ms: info?.mtimeMs ?? -1 });
  }
  const steps = plan.nodes.map((node) => ({ id: node.id, component: node.component, params: node.params, condition: node.condition, loop: node.loop }));
  return `wf-${fingerprintOf({ steps, base_dir: baseDir, output_dir: outputDir, files }).slice(0, 32)}`;
}
