// Loads components from a folder the user names: every `.js`/`.mjs` file's exports are checked against the component
// contract before they join the registry. Loading a plugin runs its code: only folders the user names are read.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { capabilitySchema } from '../model/capability.js';
import { complexitySchema, componentTypeSchema, portKindSchema } from '../model/component-kind.js';
import { PluginError } from '../model/errors/plugin-error.js';
import type { AnyComponent } from './component.js';
import type { ComponentRegistry } from './registry.js';

const MAX_PLUGIN_FILES = 100;

/** The declarative part of the contract; functions and the parameter schema are checked by hand below. */
const declarationSchema = z.object({
  id: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/, 'an id is <group>.<name>, lower-case, e.g. analysis.beacons'),
  version: z.string().min(1).max(40),
  type: componentTypeSchema,
  complexity: complexitySchema,
  title: z.string().min(1).max(100),
  description: z.string().min(10).max(2000),
  capabilities: z.array(capabilitySchema).max(20),
  consumes: z.array(portKindSchema).max(4),
  produces: z.array(portKindSchema).min(1).max(4),
  order: z.number().int().min(0).max(100),
  fallback: z.string().optional(),
});

export interface LoadedPlugin {
  readonly file: string;
  readonly components: readonly string[];
}

export async function loadPlugins(dirs: readonly string[], registry: ComponentRegistry): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const dir of dirs) {
    const root = await realFolder(dir);
    const names = (await readdir(root)).filter((n) => n.endsWith('.js') || n.endsWith('.mjs')).sort();
    if (names.length > MAX_PLUGIN_FILES) throw new PluginError(dir, `${names.length} files is more than the ${MAX_PLUGIN_FILES} plugins one folder may hold`);
    for (const name of names) {
      const file = join(root, name);
      // A link pointing out of the folder would load code from somewhere the user did not name.
      const info = await lstat(file);
      if (!info.isFile()) throw new PluginError(name, 'is not a regular file (links are not followed)');
      let exports: Record<string, unknown>;
      try {
        exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      } catch (error) {
        throw loadFailure(name, file, error);
      }
      const components = Object.entries(exports).map(([exportName, value]) => checkComponent(name, exportName, value));
      if (components.length === 0) throw new PluginError(name, 'exports no component');
      for (const component of components) {
        if (registry.has(component.id)) throw new PluginError(name, `component id '${component.id}' is already taken`, 'give the plugin component its own id');
        registry.register(component, `plugin ${relative(process.cwd(), file) || file}`);
      }
      loaded.push({ file: relative(process.cwd(), file) || file, components: components.map((c) => c.id) });
    }
  }
  return loaded;
}

/**
 * Why a plugin file did not load. A package it imports is looked up from the plugin's own folder, as Node does for any
 * module: a plugin in a folder of its own finds neither zod (the contract's parameter schemas are zod 4) nor any other
 * package unless it is installed there.
 */
function loadFailure(name: string, file: string, error: unknown): PluginError {
  const reason = error instanceof Error ? error.message : String(error);
  if ((error as NodeJS.ErrnoException | null)?.code !== 'ERR_MODULE_NOT_FOUND') return new PluginError(name, `cannot be loaded: ${reason}`);
  const folder = dirname(file);
  if (!resolvesFrom(file, 'zod')) {
    return new PluginError(name, `cannot be loaded: it imports packages from its folder ${folder}, and zod is not installed there (${reason})`, `install zod 4 beside your plugin: cd ${folder} && npm i zod@4 (and any other package the plugin imports)`);
  }
  return new PluginError(name, `cannot be loaded: ${reason}`, `install the packages the plugin imports beside it: cd ${folder} && npm i <package>`);
}

function resolvesFrom(file: string, specifier: string): boolean {
  try {
    createRequire(file).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

async function realFolder(dir: string): Promise<string> {
  try {
    const path = await realpath(resolve(dir));
    if (!(await lstat(path)).isDirectory()) throw new PluginError(dir, 'is not a folder', 'name a folder of plugin files with --plugins');
    return path;
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(dir, 'no such folder', 'name a folder of plugin files with --plugins');
  }
}

function checkComponent(file: string, exportName: string, value: unknown): AnyComponent {
  if (value === null || typeof value !== 'object') throw new PluginError(file, `export '${exportName}' is not a component object`);
  const declared = declarationSchema.safeParse(value);
  if (!declared.success) {
    const issue = declared.error.issues[0];
    throw new PluginError(file, `export '${exportName}': ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const record = value as Record<string, unknown>;
  for (const fn of ['estimateMs', 'run'] as const) {
    if (typeof record[fn] !== 'function') throw new PluginError(file, `export '${exportName}': ${fn} must be a function`);
  }
  const params = record['params'];
  if (params === null || typeof params !== 'object' || typeof (params as { safeParse?: unknown }).safeParse !== 'function' || typeof (params as { parse?: unknown }).parse !== 'function') {
    throw new PluginError(file, `export '${exportName}': params must be a zod schema`);
  }
  return value as AnyComponent;
}
