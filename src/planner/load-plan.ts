// Loads a plan from JSON (an exported file, an MCP request): schema, components, parameters and stages are all checked before anything runs.
import { readFile, stat } from 'node:fs/promises';
import { parameterNames } from '../components/parameter-names.js';
import type { ComponentRegistry } from '../components/registry.js';
import { InputFileError } from '../model/errors/input-file-error.js';
import { NoSuchComponentError } from '../model/errors/no-such-component-error.js';
import { PlanError } from '../model/errors/plan-error.js';
import { PLAN_VERSION, workflowPlanSchema, type WorkflowPlan } from '../model/workflow-plan.js';

const MAX_PLAN_BYTES = 8 * 1024 * 1024;

export async function readPlanFile(path: string, registry: ComponentRegistry): Promise<WorkflowPlan> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InputFileError(path, 'not-found', 'no such plan file', { cause: error });
  }
  if (size > MAX_PLAN_BYTES) throw new InputFileError(path, 'too-large', `a plan of ${size} bytes is over the ${MAX_PLAN_BYTES}-byte limit`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InputFileError(path, 'malformed', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { hint: 'a plan file is written by `cs-helper dynamic-workflow ... --export`' });
  }
  return validatePlan(json, registry, path);
}

/** Returns the plan with every node's parameters parsed by its component's schema (defaults filled in). */
export function validatePlan(json: unknown, registry: ComponentRegistry, source = 'plan'): WorkflowPlan {
  if (json !== null && typeof json === 'object' && 'version' in json && json.version !== PLAN_VERSION) {
    throw new PlanError('plan-version', `${source}: plan version ${String(json.version)} is not supported (this CS Helper reads version ${PLAN_VERSION})`, 'generate the plan again with this version');
  }
  const parsed = workflowPlanSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlanError('invalid-plan', `${source}: ${issue === undefined ? 'invalid plan' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`, 'a plan file is written by `cs-helper dynamic-workflow ... --export`; edit it with care');
  }
  const plan = parsed.data;
  // The parameter names as written: zod's record drops a `__proto__` key, which is as unknown as any other.
  const writtenParams = (json as { nodes: readonly { params: object }[] }).nodes.map((n) => Object.keys(n.params));
  const ids = new Set<string>();
  for (const [index, node] of plan.nodes.entries()) {
    if (ids.has(node.id)) throw new PlanError('invalid-plan', `${source}: step id '${node.id}' is used twice`);
    ids.add(node.id);
    if (!registry.has(node.component)) throw new NoSuchComponentError(node.component, registry.list().map((c) => c.id), `${source}: step '${node.id}'`);
    const component = registry.get(node.component);
    checkParameterNames(writtenParams[index] ?? [], parameterNames(component.params), { source, step: node.id, component: node.component });
    const params = component.params.safeParse(node.params);
    if (!params.success) {
      const issue = params.error.issues[0];
      throw new PlanError('invalid-plan', `${source}: step '${node.id}' (${node.component}): parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    node.params = params.data as Record<string, unknown>;
    for (const dependency of [...node.depends_on, ...Object.values(node.inputs).flat()]) {
      if (!plan.nodes.some((n) => n.id === dependency)) throw new PlanError('invalid-plan', `${source}: step '${node.id}' depends on unknown step '${dependency}'`);
    }
  }
  const stageOf = new Map<string, number>();
  plan.stages.forEach((stage, index) => {
    for (const id of stage.nodes) {
      if (!ids.has(id)) throw new PlanError('invalid-plan', `${source}: stage ${index + 1} names unknown step '${id}'`);
      if (stageOf.has(id)) throw new PlanError('invalid-plan', `${source}: step '${id}' is in two stages`);
      stageOf.set(id, index);
    }
  });
  for (const node of plan.nodes) {
    const own = stageOf.get(node.id);
    if (own === undefined) throw new PlanError('invalid-plan', `${source}: step '${node.id}' is in no stage`);
    // Inputs count as dependencies: the engine reads them from steps that have already run, and drops the rest silently.
    for (const dependency of new Set([...node.depends_on, ...Object.values(node.inputs).flat()])) {
      if ((stageOf.get(dependency) ?? Infinity) >= own) throw new PlanError('invalid-plan', `${source}: step '${node.id}' runs in stage ${own + 1} but depends on '${dependency}', which does not run before it`);
    }
  }
  return plan;
}

/** An unknown parameter is refused: zod would drop it, and the step would run with a default the author meant to change. */
function checkParameterNames(names: readonly string[], known: readonly string[] | null, where: { source: string; step: string; component: string }): void {
  if (known === null) return;
  const unknown = names.find((name) => !known.includes(name));
  if (unknown === undefined) return;
  throw new PlanError(
    'invalid-plan',
    `${where.source}: step '${where.step}' (${where.component}): unknown parameter '${unknown}'`,
    `${where.component} takes ${known.length === 0 ? 'no parameters' : known.join(', ')}; \`cs-helper components list --json\` describes each`,
  );
}
