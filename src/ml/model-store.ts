// Saved models live as JSON files in the state directory's `models` folder ($CS_HELPER_HOME/models/NAME.json).
// The name is checked against a strict pattern before it touches a path, so it can never leave that folder.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureStateHome, stateHomePath } from '../state/state-home.js';
import { ModelError } from './model-error.js';
import { modelFromJson, modelToJson, type SavedModel } from './saved-model.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_MODEL_BYTES = 256 * 1024 * 1024;

export function checkModelName(name: string): string {
  if (!NAME.test(name) || name.includes('..')) throw new ModelError('bad-name', `the model name ${JSON.stringify(name.slice(0, 80))} is not allowed`);
  return name;
}

export function modelsDir(stateHome: string = stateHomePath()): string {
  return join(stateHome, 'models');
}

export function modelPath(name: string, stateHome?: string): string {
  return join(modelsDir(stateHome), `${checkModelName(name)}.json`);
}

export async function modelExists(name: string, stateHome?: string): Promise<boolean> {
  try {
    return (await stat(modelPath(name, stateHome))).isFile();
  } catch {
    return false;
  }
}

/** Writes the model (to a temporary file first, then renamed, so a reader never sees half a file); returns its path. */
export async function saveModel(name: string, model: SavedModel, stateHome: string = stateHomePath()): Promise<string> {
  const path = modelPath(name, stateHome);
  ensureStateHome(stateHome);
  await mkdir(modelsDir(stateHome), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, modelToJson(model, name), { mode: 0o600 });
  await rename(temporary, path);
  return path;
}

export async function loadModel(name: string, stateHome?: string): Promise<SavedModel> {
  const path = modelPath(name, stateHome);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new ModelError('not-found', `no saved model named ${name} (looked for ${path})`, { cause: error });
  }
  if (size > MAX_MODEL_BYTES) throw new ModelError('too-large', `the saved model ${name} is ${size} bytes, over the 256 MB limit`);
  try {
    return modelFromJson(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ModelError('damaged', `the saved model ${name} cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
