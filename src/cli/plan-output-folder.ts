// Where `cs-helper run` writes. A plan file is input like any other, so its own `output_dir` may only name a folder
// inside the folder the plan is run from; `--output-dir` on the command line is the user's own choice, and goes anywhere.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { OutputFolderError } from '../model/errors/output-folder-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

/**
 * The absolute output folder: `explicit` (from the command line) resolved against the working folder, else the plan's
 * relative `output_dir` under it. An absolute `output_dir`, or one whose `..` climbs out, is refused, naming the plan.
 */
export interface PlanOutputFolderOptions {
  /** The plan file as the user named it, for the message. */
  readonly planFile: string;
  /** --output-dir, when given. */
  readonly explicit?: string | undefined;
  /** The folder the plan is run from (default: the current one). */
  readonly workingFolder?: string;
}

export function planOutputFolder(plan: Pick<WorkflowPlan, 'output_dir'>, options: PlanOutputFolderOptions): string {
  const { planFile, explicit, workingFolder = process.cwd() } = options;
  if (explicit !== undefined) return resolve(workingFolder, explicit);
  const wanted = plan.output_dir;
  const hint = `a plan names its output folder relative to the folder it is run from; to write elsewhere, choose the folder yourself: cs-helper run ${planFile} --output-dir DIR`;
  if (isAbsolute(wanted)) {
    throw new OutputFolderError(wanted, 'outside-working-folder', `${planFile}: output_dir '${wanted}' is an absolute path; a plan's own output folder must lie inside the folder it is run from (${workingFolder})`, hint);
  }
  const folder = resolve(workingFolder, wanted);
  if (pathInside(workingFolder, folder) === null) {
    throw new OutputFolderError(wanted, 'outside-working-folder', `${planFile}: output_dir '${wanted}' leaves the folder the plan is run from (${workingFolder})`, hint);
  }
  return folder;
}

/**
 * The `output_dir` an exported plan stores, so that `cs-helper run` finds the same folder from where it was planned:
 * relative to the plan's base folder when inside it, else absolute (which `run` refuses without --output-dir).
 */
export function portableOutputDir(plan: Pick<WorkflowPlan, 'base_dir' | 'output_dir'>): { readonly outputDir: string; readonly inside: boolean } {
  const folder = resolve(plan.base_dir, plan.output_dir);
  const inside = pathInside(plan.base_dir, folder);
  return inside === null ? { outputDir: folder, inside: false } : { outputDir: inside === '' ? '.' : inside, inside: true };
}

/** `path` relative to `folder` when it lies inside it (`''` for the folder itself), else null. */
function pathInside(folder: string, path: string): string | null {
  const inside = relative(folder, path);
  return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside) ? null : inside;
}
