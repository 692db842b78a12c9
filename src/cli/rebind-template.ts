// `templates run`: a saved plan re-bound to other files. Its steps stay the template's; what the user asked for when
// saving it (feeds, Sigma rules, schema, validation rules, model, worksheets, constraints) is kept, its relative paths
// read from the folder the template was planned in, as `cs-helper run` reads an exported plan's.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ComponentRegistry } from '../components/registry.js';
import { InputFileError } from '../model/errors/input-file-error.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { copyJson } from '../planner/json-copy.js';
import { planWorkflow, type WorkflowRequest } from '../planner/plan-workflow.js';
import { FILE_CAPABILITY } from '../planner/requirements.js';

export interface RebindTemplateOptions {
  /** The template's name, for messages. */
  readonly name: string;
  readonly inputFiles: readonly string[];
  readonly outputDir: string;
  /** Where the new input files are read from; the current folder by default. */
  readonly baseDir?: string;
  readonly signal?: AbortSignal;
}

/** A request the template was saved with: the parameter of the step that carries it, and whether it names files. */
interface KeptParameter {
  readonly component: string;
  readonly param: string;
  /** How the file is named in messages, as the command-line option that gave it. */
  readonly option: string;
  readonly files: 'files' | 'files-or-folders' | 'none';
}

const KEPT_PARAMETERS: readonly KeptParameter[] = [
  { component: 'intel.ioc-match', param: 'feeds', option: '--feeds', files: 'files' },
  { component: 'analysis.sigma', param: 'rules', option: '--rules', files: 'files-or-folders' },
  { component: 'validation.schema', param: 'schema', option: '--schema', files: 'files' },
  { component: 'validation.rules', param: 'rules', option: '--validation-rules', files: 'files' },
  { component: 'processing.classify', param: 'model', option: '--model', files: 'none' },
];

/** The template's own problem and outputs, planned on the new files with the template's steps as the only pattern. */
export async function rebindTemplate(template: WorkflowPlan, registry: ComponentRegistry, options: RebindTemplateOptions): Promise<WorkflowPlan> {
  // Steps are re-bound file by file: a plan of several datasets (one branch each, planner/dataset-groups.ts) cannot be.
  const branches = (plan: WorkflowPlan): number => plan.nodes.filter((n) => n.type === 'DATA_IMPORT').length;
  if (branches(template) > 1) {
    throw new PlanError('template-mismatch', `the template was made for ${branches(template)} datasets (one branch each); a template re-binds the steps of one dataset`, 'plan afresh with dynamic-workflow, or save a template made on one dataset (--sheets names one worksheet)');
  }
  // Refused before any file is profiled or any step runs: a missing feed would otherwise fail the run half-way.
  const kept = await keptParameters(template, options.name);
  const steps = { nodes: template.nodes, unavailable: template.unavailable, files: template.profile.files.map((f) => f.path) };
  const plan = await planWorkflow(
    { ...templateRequest(template, kept), inputFiles: options.inputFiles, outputDir: options.outputDir, ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }) },
    registry,
    { patterns: { lookup: () => copyJson(steps) }, ...(options.signal === undefined ? {} : { signal: options.signal }) },
  );
  if (branches(plan) > 1) {
    throw new PlanError('template-mismatch', `these files make ${branches(plan)} datasets of different shapes; a template re-binds the steps of one`, 'run the template once per dataset, or plan afresh with dynamic-workflow');
  }
  checkImporter(template, plan, registry);
  return { ...plan, nodes: plan.nodes.map((node) => withKeptParameters(node, kept)) };
}

/** The template's parameters that carry a request, by component, with relative file paths made absolute. */
type Kept = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

async function keptParameters(template: WorkflowPlan, name: string): Promise<Kept> {
  const kept = new Map<string, Record<string, unknown>>();
  for (const parameter of KEPT_PARAMETERS) {
    const node = template.nodes.find((n) => n.component === parameter.component);
    const value = node?.params[parameter.param];
    if (value === undefined) continue;
    const resolved = parameter.files === 'none' ? value : await resolvedFiles(value, parameter, { baseDir: template.base_dir, name });
    kept.set(parameter.component, { ...kept.get(parameter.component), [parameter.param]: resolved });
  }
  return kept;
}

/** A file parameter's value with relative paths read from the template's folder; each file checked to exist. */
async function resolvedFiles(value: unknown, parameter: KeptParameter, context: { readonly baseDir: string; readonly name: string }): Promise<unknown> {
  const one = async (path: string): Promise<string> => {
    // A schema or rules text given inline (over MCP) is not a path.
    if (looksInline(path)) return path;
    const absolute = isAbsolute(path) ? path : resolve(context.baseDir, path);
    await checkReadable(absolute, path, parameter, context.name);
    return absolute;
  };
  if (typeof value === 'string') return one(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(typeof item === 'string' ? await one(item) : item);
    return out;
  }
  return value;
}

async function checkReadable(absolute: string, written: string, parameter: KeptParameter, name: string): Promise<void> {
  const from = isAbsolute(written) ? '' : ` (${written} read from the folder the template was saved in)`;
  let info;
  try {
    info = await stat(absolute);
  } catch {
    throw new InputFileError(absolute, 'not-found', `template '${name}' names this ${parameter.option} file, which does not exist${from}`, {
      hint: `put the file back, or save the template again: dynamic-workflow ... ${parameter.option} FILE --save-template ${name}`,
    });
  }
  if (!info.isFile() && !(parameter.files === 'files-or-folders' && info.isDirectory())) {
    throw new InputFileError(absolute, 'unsupported', `template '${name}' names this ${parameter.option} file, and it is ${info.isDirectory() ? 'a folder' : 'not a regular file'}`, { hint: `save the template again with ${parameter.option} naming a file` });
  }
}

/** A JSON Schema or rules text given inline, not a file name (as mcp/confine-plan.ts tells them apart). */
function looksInline(value: string): boolean {
  const start = value.trimStart()[0];
  return start === '{' || start === '[' || value.includes('\n');
}

/** What the planner needs to see the template's requests: their requirements, datasets and confidence follow from them. */
function templateRequest(template: WorkflowPlan, kept: Kept): Omit<WorkflowRequest, 'inputFiles' | 'outputDir'> {
  const requested = (kind: string): Set<string> => new Set(template.profile.requests.filter((r) => r.kind === kind).map((r) => r.value));
  // Feeds and rules the problem names are found in it again by the planner; given here too they would be counted twice.
  const given = (values: unknown, kind: string): string[] => (Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string' && !requested(kind).has(v)) : []);
  const original = (component: string, param: string): unknown => template.nodes.find((n) => n.component === component)?.params[param];
  const feeds = given(original('intel.ioc-match', 'feeds'), 'feed').map((f) => stringIn(kept.get('intel.ioc-match')?.['feeds'], original('intel.ioc-match', 'feeds'), f));
  const sigmaRules = given(original('analysis.sigma', 'rules'), 'rules').map((r) => stringIn(kept.get('analysis.sigma')?.['rules'], original('analysis.sigma', 'rules'), r));
  const schema = kept.get('validation.schema')?.['schema'];
  const validationRules = kept.get('validation.rules')?.['rules'];
  const model = kept.get('processing.classify')?.['model'];
  const sheets = template.nodes.find((n) => n.component === 'import.excel')?.params['sheets'];
  return {
    problem: template.profile.problem,
    outputs: template.outputs.map((o) => `${o.name}.${o.format}`),
    feeds,
    ...(sigmaRules.length > 0 ? { sigmaRules } : {}),
    ...(typeof schema === 'string' ? { schema } : {}),
    ...(typeof validationRules === 'string' ? { validationRules } : {}),
    ...(typeof model === 'string' ? { model } : {}),
    ...(Array.isArray(sheets) ? { sheets: sheets.filter((s): s is string => typeof s === 'string') } : {}),
    ...(Object.keys(template.profile.constraints).length > 0 ? { constraints: template.profile.constraints } : {}),
  };
}

/** The resolved counterpart of `value` (same position in the resolved list as in the original one). */
function stringIn(resolved: unknown, original: unknown, value: string): string {
  if (!Array.isArray(resolved) || !Array.isArray(original)) return value;
  const item: unknown = resolved[original.indexOf(value)];
  return typeof item === 'string' ? item : value;
}

/** The step with the template's request parameters, exactly as saved (paths resolved), whatever the planner derived. */
function withKeptParameters(node: WorkflowPlan['nodes'][number], kept: Kept): WorkflowPlan['nodes'][number] {
  const params = kept.get(node.component);
  return params === undefined ? node : { ...node, params: { ...node.params, ...copyJson(params) } };
}

/** The new files must be read by the template's importer: the planner's own mapping from file kind to importer decides. */
function checkImporter(template: WorkflowPlan, plan: WorkflowPlan, registry: ComponentRegistry): void {
  const expected = template.nodes.find((n) => n.type === 'DATA_IMPORT')?.component;
  const kind = plan.profile.files[0]?.kind;
  if (expected === undefined || kind === undefined) return;
  const capability = FILE_CAPABILITY[kind];
  if (capability !== null && registry.get(expected).capabilities.includes(capability)) return;
  const needed = capability === null ? undefined : registry.providing(capability)[0]?.id;
  const madeFor = template.profile.files[0]?.kind;
  throw new PlanError(
    'template-mismatch',
    `the template was made for ${madeFor === undefined ? 'files' : `${madeFor} files`} read by ${expected}, and these are ${kind} files${needed === undefined ? ' that no importer reads' : `, read by ${needed}`}`,
    'use a template made for this kind of file, or plan afresh with dynamic-workflow',
  );
}
