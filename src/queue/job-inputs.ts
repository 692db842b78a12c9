// Before a worker runs a job, every file its plan reads must be readable here: a path that only exists on the
// producer's machine fails the job at once with the path named, instead of failing deep in a step or hanging.
import { stat } from 'node:fs/promises';
import { checkInputFile } from '../data/input-files.js';
import { filesOf } from '../engine/step-key.js';
import { InputFileError } from '../model/errors/input-file-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

const SHARED_FOLDER_HINT = 'every worker reads the job\'s files at the path the producer gave: keep inputs in a folder all workers mount at the same path';

export async function checkJobInputs(plan: WorkflowPlan, baseDir: string): Promise<void> {
  for (const path of new Set(plan.nodes.flatMap((node) => filesOf(node, baseDir)))) {
    // A rules folder (Sigma) is a folder on purpose; only its existence is checked here, its files by the step.
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory() === true) continue;
    try {
      await checkInputFile(path, path);
    } catch (error) {
      if (!(error instanceof InputFileError) || (error.problem !== 'not-found' && error.problem !== 'unreadable')) throw error;
      const detail = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message;
      throw new InputFileError(path, error.problem, `${detail} on this worker`, { hint: SHARED_FOLDER_HINT, cause: error });
    }
  }
}
