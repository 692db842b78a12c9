// A plan supplied by a client may name any path: its base folder, its output folder and every file parameter are
// confined to the server's roots (and replaced by their real paths) before the engine sees it.
import { isAbsolute, resolve } from 'node:path';
import type { ComponentRegistry } from '../components/registry.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import type { PathRoots } from './path-roots.js';

/** Parameters that name files to read. Exports name their output by a plain file name, checked by their own schema. */
const FILE_PARAMS = new Set(['paths', 'feeds', 'rules', 'schema', 'spec', 'path', 'file', 'files', 'sigma_rules']);
const FILE_PARAM_SUFFIX = /_(path|paths|file|files|dir)$/;

export async function confinePlan(plan: WorkflowPlan, roots: PathRoots, registry: ComponentRegistry, outputDir?: string): Promise<WorkflowPlan> {
  const baseDir = await roots.confine(plan.base_dir);
  const output = await roots.confine(outputDir ?? plan.output_dir, baseDir);
  const nodes = [];
  for (const node of plan.nodes) {
    if (registry.get(node.component).type === 'EXPORT') {
      nodes.push(node);
      continue;
    }
    const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries(node.params)) {
      if (key === 'file_dialects') params[key] = await confineDialectKeys(value, roots, baseDir);
      else params[key] = FILE_PARAMS.has(key) || FILE_PARAM_SUFFIX.test(key) ? await confineValue(value, roots, baseDir) : value;
    }
    nodes.push({ ...node, params: { ...params } });
  }
  // The engine's spill folder is written to like the outputs: inside the roots too.
  const spill = plan.resources?.spill_dir ?? null;
  const resources = plan.resources === null || spill === null ? plan.resources : { ...plan.resources, spill_dir: await roots.confine(spill, baseDir) };
  return { ...plan, base_dir: baseDir, output_dir: output, nodes, resources };
}

/**
 * import.csv's per-file dialects are keyed by the paths of its `paths`, which confinement replaces by their real paths:
 * the keys go through the same confinement, so each file still finds its own dialect.
 */
async function confineDialectKeys(value: unknown, roots: PathRoots, baseDir: string): Promise<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [path, dialect] of Object.entries(value)) out[await roots.confine(path, baseDir)] = dialect;
  return { ...out };
}

async function confineValue(value: unknown, roots: PathRoots, baseDir: string): Promise<unknown> {
  if (typeof value === 'string') return looksInline(value) ? value : roots.confine(value, baseDir);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(typeof item === 'string' ? await roots.confine(item, baseDir) : item);
    return out;
  }
  return value;
}

/** A JSON Schema or rules text given inline, not a file name. */
function looksInline(value: string): boolean {
  const start = value.trimStart()[0];
  return start === '{' || start === '[' || value.includes('\n');
}

/** Where a tool's outputs go: `output_dir` from the request, else `output` under the first root; always confined. */
export async function confineOutputDir(roots: PathRoots, requested: string | undefined): Promise<string> {
  const wanted = requested ?? 'output';
  return roots.confine(isAbsolute(wanted) ? wanted : resolve(roots.base, wanted));
}
