// Re-binds a stored pattern's steps to new files of the same shape: the parameters that come from the files (paths,
// dialect, encoding, feeds) and the size-based estimates are derived again, by the same functions assemble uses, and
// the reasons that name a file name the new one. The pattern cache test checks the result equals a fresh plan.
import type { ComponentRegistry } from '../components/registry.js';
import type { ProblemProfile } from '../model/problem-profile.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { inputSize, paramsFor, type Assembly, type AssemblyOptions } from './assemble.js';
import { applyEstimates, type EstimateSource } from './estimate-source.js';

/** What the pattern cache keeps of a plan: its steps, what it could not provide, and the files it was made for. */
export interface PlanPattern {
  readonly nodes: WorkflowPlan['nodes'];
  readonly unavailable: WorkflowPlan['unavailable'];
  /** The input paths as the plan's profile named them, in order (requirements cite them as `file:<path>`). */
  readonly files: readonly string[];
}

/** `pattern` must be the caller's own copy: its nodes are updated in place and become the new plan's. */
export function rebindNodes(pattern: PlanPattern, profile: ProblemProfile, registry: ComponentRegistry, options: AssemblyOptions & { readonly estimates?: EstimateSource }): Assembly {
  const cite = citationRewriter(pattern.files, profile.files.map((f) => f.path));
  for (const node of pattern.nodes) {
    const fresh = paramsFor(registry.get(node.component), profile.files, options);
    if (Object.keys(fresh).length > 0) node.params = { ...node.params, ...fresh };
    node.reason = cite(node.reason);
  }
  applyEstimates(pattern.nodes, inputSize(profile.files), registry, options.estimates);
  const unavailable = pattern.unavailable.map((u) => ({ ...u, wanted_by: cite(u.wanted_by) }));
  return { nodes: pattern.nodes, unavailable, alternatives: {}, capabilitiesByNode: {} };
}

/** Replaces `file:<old path>` by `file:<new path>` where a whole citation matches (up to `;` or the end). */
function citationRewriter(before: readonly string[], after: readonly string[]): (text: string) => string {
  const pairs = before.map((old, i) => [old, after[i] ?? old] as const).filter(([old, next]) => old !== next);
  if (pairs.length === 0) return (text) => text;
  const byOld = new Map(pairs);
  const pattern = new RegExp(`file:(${pairs.map(([old]) => old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?=;|$)`, 'g');
  return (text) => text.replace(pattern, (_match, old: string) => `file:${byOld.get(old) ?? old}`);
}
