// A component called as an MCP tool runs as a plan of its own: the import its input files need (chosen from their
// content, as the planner does) and the component itself, so it runs through the engine, in a workspace, logged like
// any run of the CLI.
import { uuidV7 } from '../ids/uuid-v7.js';
import type { AnyComponent } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import { PlanError } from '../model/errors/plan-error.js';
import type { FileProfile } from '../model/file-profile.js';
import { PLAN_VERSION, type PlanNode, type WorkflowPlan } from '../model/workflow-plan.js';
import { inputSize, node, paramsFor } from '../planner/assemble.js';
import { profileFile } from '../planner/profile-file.js';
import { FILE_CAPABILITY } from '../planner/requirements.js';
import { deriveStages, estimateMs } from '../planner/stages.js';
import { TOOL_VERSION } from '../version.js';

export interface ComponentPlanRequest {
  readonly component: AnyComponent;
  /** Real paths, already confined to the server's roots. */
  readonly inputFiles: readonly string[];
  readonly params: Record<string, unknown>;
  readonly baseDir: string;
  readonly outputDir: string;
  readonly signal?: AbortSignal;
}

export async function buildComponentPlan(request: ComponentPlanRequest, registry: ComponentRegistry): Promise<WorkflowPlan> {
  const { component } = request;
  const files: FileProfile[] = [];
  for (const file of request.inputFiles) {
    request.signal?.throwIfAborted();
    files.push(await profileFile(file, file));
  }
  const size = inputSize(files);
  const nodes: PlanNode[] = [];
  if (component.type !== 'DATA_IMPORT' && component.consumes.includes('dataset')) {
    const importer = importerFor(files, registry);
    nodes.push(nodeOf('import', importer, paramsFor(importer, files, { feeds: [] }), `imports ${files.map((f) => f.path).join(', ')} for ${component.id}`, size, []));
  }
  const upstream = nodes.map((n) => n.id);
  const own = nodeOf(nodeIdOf(component), component, request.params, `called as an MCP tool`, size, upstream);
  nodes.push(own);
  const stages = deriveStages(nodes);
  return {
    version: PLAN_VERSION,
    id: uuidV7(),
    created_at: new Date().toISOString(),
    tool_version: TOOL_VERSION,
    base_dir: request.baseDir,
    output_dir: request.outputDir,
    profile: {
      problem: `run ${component.id}`,
      problem_type: 'investigation',
      intents: [],
      excluded: [],
      requests: [],
      constraints: {},
      corrections: [],
      files,
      outputs: [],
      requirements: [...component.capabilities],
    },
    outputs: [],
    nodes,
    stages,
    adaptation_points: [],
    unavailable: [],
    confidence: { score: 1, reasons: ['a single component named by the client'] },
    estimated_seconds: Math.round(estimateMs(nodes, stages) / 10) / 100,
    resources: null,
    fingerprint: `mcp:${component.id}`,
    registry_version: registry.version,
    from_cache: false,
  };
}

/** The importer for the files' kind: every file must be of one kind, as `dynamic-workflow` requires. */
function importerFor(files: readonly FileProfile[], registry: ComponentRegistry): AnyComponent {
  const first = files[0];
  if (first === undefined) throw new PlanError('missing-input', 'this tool needs input_files: the data files to import first', 'pass one or more CSV, JSON, JSON Lines, Excel or log files');
  const kinds = new Set(files.map((f) => f.kind));
  if (kinds.size > 1) throw new PlanError('mixed-inputs', `the input files are of different kinds (${[...kinds].join(', ')})`, 'call the tool once per kind of file');
  const capability = FILE_CAPABILITY[first.kind];
  const importer = capability === null ? undefined : registry.providing(capability)[0];
  if (importer === undefined) throw new PlanError('unsupported-input', `${first.path}: no importer reads files of kind '${first.kind}'`, 'pass CSV/TSV, JSON, JSON Lines, Excel, Zeek or access-log files');
  return importer;
}

function nodeIdOf(component: AnyComponent): string {
  return component.id.replace(/[^a-z0-9_.-]/g, '-');
}

function nodeOf(id: string, component: AnyComponent, params: Record<string, unknown>, reason: string, size: ReturnType<typeof inputSize>, dependsOn: readonly string[]): PlanNode {
  return { ...node(id, component, params, reason, size), inputs: dependsOn.length === 0 ? {} : { dataset: [...dependsOn] }, depends_on: [...dependsOn] };
}
