// The planner's entry point: problem text + files + wanted outputs -> a validated, versioned WorkflowPlan.
import { resolve } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { ComponentRegistry } from '../components/registry.js';
import { Capability } from '../model/capability.js';
import { UsageError } from '../model/errors/usage-error.js';
import type { ProblemProfile } from '../model/problem-profile.js';
import { PLAN_VERSION, type AdaptationPoint, type PlanNode, type WorkflowPlan } from '../model/workflow-plan.js';
import { TOOL_VERSION } from '../version.js';
import { assembleNodes } from './assemble.js';
import { classifyIntents, INTENT_THRESHOLD } from './classify-intents.js';
import { planConfidence } from './confidence.js';
import { fingerprintOf } from './fingerprint.js';
import { validatePlan } from './load-plan.js';
import { logPlanDecisions } from './log-plan-decisions.js';
import type { SessionLog } from '../session/session-log.js';
import { profileFile } from './profile-file.js';
import { deriveRequirements } from './requirements.js';
import { resolveOutputs } from './resolve-outputs.js';
import { deriveStages, estimateMs } from './stages.js';

export interface WorkflowRequest {
  readonly problem: string;
  readonly inputFiles: readonly string[];
  readonly outputs?: readonly string[];
  readonly feeds?: readonly string[];
  /** Where relative paths are read from; defaults to the current directory. */
  readonly baseDir?: string;
  readonly outputDir?: string;
}

/** Fixed cost of opening the engine and writing the log, added to the components' estimates. */
const RUN_OVERHEAD_MS = 60;

export interface PlanOptions {
  readonly signal?: AbortSignal;
  /** Where the planner's decisions go (a session logger, or a child of one). */
  readonly log?: SessionLog;
}

export async function planWorkflow(request: WorkflowRequest, registry: ComponentRegistry, options: PlanOptions = {}): Promise<WorkflowPlan> {
  const started = performance.now();
  const problem = request.problem.trim();
  if (problem === '') throw new UsageError('the problem statement is empty', 'say what you want in plain words, e.g. "Analyze this CSV for security threats"');
  if (request.inputFiles.length === 0) throw new UsageError('no input files named', 'add --input-files FILE...');
  const baseDir = resolve(request.baseDir ?? process.cwd());

  const files = [];
  for (const file of request.inputFiles) {
    options.signal?.throwIfAborted();
    files.push(await profileFile(resolve(baseDir, file), file));
  }
  const intents = classifyIntents(problem);
  const acted = intents.filter((i) => i.score >= INTENT_THRESHOLD);
  const primary = acted[0]?.intent ?? 'threat_hunting';
  const outputs = resolveOutputs(request.outputs ?? [], primary, { htmlReports: registry.providing(Capability.reportHtml).length > 0 });
  const requirements = deriveRequirements(acted.length > 0 ? acted : [{ intent: 'threat_hunting', score: INTENT_THRESHOLD, evidence: [] }], outputs, files);

  const profile: ProblemProfile = { problem, problem_type: primary, intents, files, outputs, requirements: requirements.map((r) => r.capability) };
  const assembly = assembleNodes(profile, requirements, registry, { feeds: request.feeds ?? [] });
  const stages = deriveStages(assembly.nodes);
  const confidence = planConfidence(acted, files, requirements, assembly.unavailable);
  const fingerprint = fingerprintOf({
    intents: acted.map((i) => i.intent).sort(),
    outputs: outputs.map((o) => `${o.name}.${o.format}`).sort(),
    files: files.map((f) => f.schema_fingerprint),
    registry: registry.version,
  });
  const plan: WorkflowPlan = {
    version: PLAN_VERSION,
    id: uuidv7(),
    created_at: new Date().toISOString(),
    tool_version: TOOL_VERSION,
    base_dir: baseDir,
    output_dir: request.outputDir ?? 'output',
    profile,
    outputs,
    nodes: assembly.nodes,
    stages,
    adaptation_points: adaptationPoints(assembly.nodes),
    unavailable: assembly.unavailable,
    confidence,
    estimated_seconds: Math.round((estimateMs(assembly.nodes, stages) + RUN_OVERHEAD_MS) / 10) / 100,
    fingerprint,
    registry_version: registry.version,
    from_cache: false,
  };
  // The planner's own output goes through the same checks as a plan read from a file: parameters get their defaults.
  const validated = validatePlan(plan, registry);
  if (options.log !== undefined) logPlanDecisions(options.log, validated, assembly, performance.now() - started);
  return validated;
}

/** Steps that read files or feeds may meet a transient failure (a busy file, a slow disk): those the engine retries. */
function adaptationPoints(nodes: readonly PlanNode[]): AdaptationPoint[] {
  return nodes
    .filter((n) => n.type === 'DATA_IMPORT' || n.component === 'intel.ioc-match' || n.type === 'EXPORT')
    .map((n) => ({ node: n.id, trigger: 'failure' as const, action: 'retry' as const, detail: 'up to 2 more attempts with backoff (200 ms, x2) when the error is transient; user mistakes are not retried' }));
}
