// The run's workspace, opened from the plan's `resources`: a plan file may have been edited, so a spill folder that
// does not exist or cannot be written is the user's mistake, named by its plan field, not a bug of CS Helper.
import { isAbsolute, resolve } from 'node:path';
import { Workspace, type WorkspaceOptions } from '../data/workspace.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

/** The plan's relative spill folder is read from its base folder, as its other paths are. */
export function spillParentOf(plan: Pick<WorkflowPlan, 'base_dir'>, spillDir: string): string {
  return isAbsolute(spillDir) ? spillDir : resolve(plan.base_dir, spillDir);
}

/** Opens the workspace; a spill folder the plan names that cannot hold the run's spill folder is a PlanError. */
export async function openRunWorkspace(options: WorkspaceOptions, fromPlan: boolean): Promise<Workspace> {
  try {
    return await Workspace.open(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const parent = options.spillParent;
    if (parent === undefined || typeof code !== 'string' || !SPILL_FOLDER_ERRORS.has(code)) throw error;
    const field = fromPlan ? "the plan's resources.spill_dir" : 'the spill folder';
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : 'cannot be written';
    throw new PlanError('spill-dir-unusable', `${field} '${parent}' ${why}`, 'set resources.spill_dir to an existing folder you can write (or to null for the system temporary folder), or set CS_HELPER_SPILL_DIR before planning');
  }
}

/** What mkdtemp reports when the folder it is asked to work in is missing, not a folder, or not writable. */
const SPILL_FOLDER_ERRORS: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);
