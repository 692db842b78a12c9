// A step's result-cache key, Merkle-style: canonical JSON + SHA-256 of the component and its version, the parameters
// (and the condition and loop that shape the result), the content of the files it reads, and the keys of the steps
// whose results it consumes or whose facts its predicates read. Change anything upstream and every key below changes.
import type { AnyComponent } from '../components/component.js';
import { resolveInput } from '../data/input-files.js';
import type { Operand, Predicate } from '../model/predicate.js';
import type { PlanNode } from '../model/workflow-plan.js';
import { fingerprintOf } from '../planner/fingerprint.js';

/** Bumped when what the cache stores, or how a key is made, changes: old entries then simply stop matching. */
export const RESULT_CACHE_FORMAT = 1;

/**
 * Parameters that name files a step reads. Their content, not only their path, goes into the key.
 * (A `reads_files` field on the component contract would say this where it belongs; until then it is kept here.)
 */
export const FILE_PARAMS: readonly string[] = ['paths', 'feeds', 'rules', 'rules_dir'];

export interface StepKeyInputs {
  /** The version of the node's component. */
  readonly version: string;
  /** The keys of the steps each port consumes, in the node's order. */
  readonly upstream: Readonly<Record<string, readonly string[]>>;
  /** The content digests of the files the parameters name, by path. */
  readonly files: Readonly<Record<string, string>>;
  /** The keys of the steps the node's condition or loop reads facts from. */
  readonly refs: Readonly<Record<string, string>>;
}

export function stepKey(node: PlanNode, inputs: StepKeyInputs): string {
  return fingerprintOf({
    format: RESULT_CACHE_FORMAT,
    component: node.component,
    version: inputs.version,
    params: node.params,
    condition: node.condition,
    loop: node.loop,
    upstream: inputs.upstream,
    files: inputs.files,
    refs: inputs.refs,
  });
}

/** What keying a node needs besides the node: its component, the keys of the steps before it, and file digests. */
export interface NodeKeyContext {
  readonly component: AnyComponent;
  /** The plan's base folder, against which the file parameters are resolved. */
  readonly baseDir: string;
  /** The keys of the steps already keyed, by node id. */
  readonly keys: ReadonlyMap<string, string>;
  /** A file's content digest; null when it is not to be read, and the node then has no key. */
  digest(path: string): Promise<string | null>;
}

/**
 * A node's key, as the run (run-memory.ts) and the estimate before it (cache-forecast.ts) make it; null when a step
 * it consumes or refers to has no key (not cacheable, or not keyed), or a file's digest is withheld.
 */
export async function keyOfNode(node: PlanNode, context: NodeKeyContext): Promise<string | null> {
  const upstream: Record<string, string[]> = {};
  for (const [port, ids] of Object.entries(node.inputs)) {
    const keys: string[] = [];
    for (const id of ids) {
      const key = context.keys.get(id);
      if (key === undefined) return null;
      keys.push(key);
    }
    upstream[port] = keys;
  }
  const refs: Record<string, string> = {};
  for (const id of referencedNodes(node)) {
    const key = context.keys.get(id);
    if (key === undefined) return null;
    refs[id] = key;
  }
  const files: Record<string, string> = {};
  for (const path of filesOf(node, context.baseDir, context.component)) {
    const digest = await context.digest(path);
    if (digest === null) return null;
    files[path] = digest;
  }
  return stepKey(node, { version: context.component.version, upstream, files, refs });
}

/**
 * The files a node reads: those its parameters name, resolved against the plan's base folder as the components
 * resolve them, then those its component reads on its own (`readsFiles`, given the parameters with their defaults).
 */
export function filesOf(node: PlanNode, baseDir: string, component?: AnyComponent): string[] {
  const files: string[] = [];
  for (const name of FILE_PARAMS) {
    const value = node.params[name];
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    for (const path of list) files.push(resolveInput(baseDir, path));
  }
  if (component?.readsFiles !== undefined) {
    // Parameters that do not parse fail the step itself; the key then needs no more files.
    const parsed = component.params.safeParse(node.params);
    if (parsed.success) files.push(...component.readsFiles(parsed.data));
  }
  return files;
}

/** The nodes a node's condition and loop read facts from (`self` is the node itself, and is left out). */
export function referencedNodes(node: PlanNode): string[] {
  const refs = new Set<string>();
  const operand = (o: Operand): void => {
    if ('ref' in o) refs.add(o.ref);
  };
  const visit = (p: Predicate): void => {
    if ('all' in p) p.all.forEach(visit);
    else if ('any' in p) p.any.forEach(visit);
    else if ('not' in p) visit(p.not);
    else if (p.op === 'exists') refs.add(p.ref);
    else if (p.op === 'contains') {
      operand(p.list);
      operand(p.item);
    } else {
      operand(p.left);
      operand(p.right);
    }
  };
  if (node.condition !== null) visit(node.condition);
  if (node.loop !== null) visit(node.loop.until);
  return [...new Set([...refs].map((ref) => ref.split('.')[0] ?? ref))].filter((id) => id !== 'self' && id !== node.id).sort();
}
