// The planner's entry point: problem text + files + wanted outputs -> a validated, versioned WorkflowPlan.
import { memoryCeilingMb } from '../data/workspace.js';
import { labelNamedInProblem } from './classify-label.js';
import { enrichFeatureGroups } from './enrich-features.js';
import { resolve } from 'node:path';
import { uuidV7 } from '../ids/uuid-v7.js';
import type { ComponentRegistry } from '../components/registry.js';
import { Capability } from '../model/capability.js';
import { UsageError } from '../model/errors/usage-error.js';
import type { FileProfile } from '../model/file-profile.js';
import type { Constraints, ProblemProfile } from '../model/problem-profile.js';
import { availableParallelism, freemem, totalmem } from 'node:os';
import { describePredicate } from '../model/predicate.js';
import { DEFAULT_RETRY_POLICY } from '../model/retry-policy.js';
import { PLAN_VERSION, type AdaptationPoint, type PlanNode, type Resources, type WorkflowPlan } from '../model/workflow-plan.js';
import { TOOL_VERSION } from '../version.js';
import { assembleNodes, inputSize } from './assemble.js';
import { datasetGroups } from './dataset-groups.js';
import { planConfidence } from './confidence.js';
import { applyEstimates, type EstimateSource } from './estimate-source.js';
import { parseConstraints } from './constraints.js';
import { fingerprintOf } from './fingerprint.js';
import { withParameterDefaults } from './parameter-defaults.js';
import { logPlanDecisions } from './log-plan-decisions.js';
import { feedsToMatch, fingerprintParts, intentsToAct, parseProblem, preferredFormat, sigmaRulesToApply } from './parse-problem.js';
import type { SessionLog } from '../session/session-log.js';
import { profileFile } from './profile-file.js';
import { rebindNodes, type PlanPattern } from './rebind-pattern.js';
import { deriveRequirements } from './requirements.js';
import { resolveOutputs } from './resolve-outputs.js';
import { extraSteps } from './validation-requests.js';
import { deriveStages } from './stages.js';
import { estimatedSecondsOf, withCachedSteps, type CachedStepsSource } from './plan-estimate.js';

export interface WorkflowRequest {
  readonly problem: string;
  readonly inputFiles: readonly string[];
  readonly outputs?: readonly string[];
  readonly feeds?: readonly string[];
  /** Where relative paths are read from; defaults to the current directory. */
  readonly baseDir?: string;
  readonly outputDir?: string;
  /** Limits on the workflow (`--constraints`): validated again here, recorded in the profile, weighed by the confidence. */
  readonly constraints?: Constraints;
  /** --schema and --validation-rules: files for validation.schema and validation.rules, as the user wrote them. */
  readonly schema?: string;
  readonly validationRules?: string;
  /** --rules: Sigma rule files and folders for analysis.sigma. */
  readonly sigmaRules?: readonly string[];
  /** --model: processing.classify saves its model under this name (and loads it for data without labels); asks for ML classification. */
  readonly model?: string;
  /** --sheets: only these worksheets of the input workbooks, each shape its own dataset (dataset-groups.ts). */
  readonly sheets?: readonly string[];
}

export interface PlanOptions {
  readonly signal?: AbortSignal;
  /** Where the planner's decisions go (a session logger, or a child of one). */
  readonly log?: SessionLog;
  /** Profiles already made for the input files, in their order: planning then reads no data (benchmarks, batch). */
  readonly profiles?: readonly FileProfile[];
  /** Plans that ran well before, by fingerprint (planner/pattern-cache.ts): a hit is re-bound to these files, not assembled. */
  readonly patterns?: PatternLookup;
  /** Measured component times (engine/learned-estimates.ts), used over the components' own estimates when known. */
  readonly estimates?: EstimateSource;
  /** The result cache's stored steps (engine/cache-forecast.ts): those count at a restore's cost in the estimate. */
  readonly cachedSteps?: CachedStepsSource;
}

export interface PatternLookup {
  /** The steps of the plan stored for this fingerprint, read-only (frozen and shared), or null. */
  lookup(fingerprint: string): PlanPattern | null;
}

export async function planWorkflow(request: WorkflowRequest, registry: ComponentRegistry, options: PlanOptions = {}): Promise<WorkflowPlan> {
  const started = performance.now();
  const problem = request.problem.trim();
  if (problem === '') throw new UsageError('the problem statement is empty', 'say what you want in plain words, e.g. "Analyze this CSV for security threats"');
  if (request.inputFiles.length === 0) throw new UsageError('no input files named', 'add --input-files FILE...');
  const constraints = parseConstraints(request.constraints ?? {});
  const baseDir = resolve(request.baseDir ?? process.cwd());

  const files: FileProfile[] = options.profiles === undefined ? [] : [...options.profiles];
  for (const file of options.profiles === undefined ? request.inputFiles : []) {
    options.signal?.throwIfAborted();
    files.push(await profileFile(resolve(baseDir, file), file));
  }
  // Several datasets make a plan of one branch per dataset (assemble.ts); one dataset, the plan it always was.
  const groups = datasetGroups(files, { sheets: request.sheets });
  if (request.model !== undefined && groups.length > 1) {
    throw new UsageError(`--model names one model, but the input makes ${groups.length} datasets of different shapes (${groups.map((g) => g.slug).join(', ')})`, 'train on one dataset at a time: name one input file, or one worksheet with --sheets');
  }
  const analysis = parseProblem(problem);
  const { acted, primary, defaulted } = intentsToAct(analysis);
  const format = preferredFormat(analysis.requests);
  const outputs = resolveOutputs(request.outputs ?? [], primary, { htmlReports: registry.providing(Capability.reportHtml).length > 0, excluded: analysis.excluded, ...(format === undefined ? {} : { preferredFormat: format }) });
  const requirements = deriveRequirements(acted, outputs, files, analysis);
  const extra = extraSteps(problem, files, outputs, { schema: request.schema, validationRules: request.validationRules }, requirements);
  requirements.push(...extra.requirements);
  const sigmaRules = sigmaRulesToApply(request.sigmaRules ?? [], analysis.requests);
  if ((request.sigmaRules ?? []).length > 0 && !requirements.some((r) => r.capability === Capability.sigmaDetection)) requirements.push({ capability: Capability.sigmaDetection, wantedBy: `request:--rules ${(request.sigmaRules ?? []).join(' ')}` });
  if (request.model !== undefined && !requirements.some((r) => r.capability === Capability.mlClassification)) requirements.push({ capability: Capability.mlClassification, wantedBy: `request:--model ${request.model}` });

  const enrichFeatures = enrichFeatureGroups(problem);
  const classifyLabel = labelNamedInProblem(problem, files);
  const { intents, excluded, requests, corrections } = analysis;
  const profile: ProblemProfile = { problem, problem_type: primary, intents, excluded, requests, constraints, corrections, files, outputs, requirements: requirements.map((r) => r.capability) };
  const fingerprint = fingerprintOf({
    intents: (defaulted ? [] : acted).map((i) => i.intent).sort(),
    outputs: outputs.map((o) => `${o.name}.${o.format}`).sort(),
    files: files.map((f) => f.schema_fingerprint),
    registry: registry.version,
    // Every capability the plan must provide, however it was asked for ("using sigma rules", "a navigator layer",
    // --rules, a violations output): a problem that names one more must not reuse a plan without it.
    capabilities: [...new Set(requirements.map((r) => r.capability))].sort(),
    ...fingerprintParts(profile),
    ...extra.fingerprint,
    ...(sigmaRules.length > 0 ? { sigma_rules: sigmaRules } : {}),
    ...(enrichFeatures === null ? { enrich_features: 'all' } : {}),
    ...(request.model === undefined ? {} : { model: request.model }),
    // A plan that learns another label column is another plan.
    ...(classifyLabel === null ? {} : { classify_label: classifyLabel }),
    // Only when the plan names worksheets or has branches: a plan of one file keeps the fingerprint it always had.
    ...(groups.length > 1 || groups.some((g) => g.sheets !== null) ? { datasets: groups.map((g) => ({ kind: g.kind, sheets: g.sheets, shape: g.columns.map((c) => c.name) })) } : {}),
  });
  // A plan that ran well for a problem of this shape is re-bound to these files instead of being assembled again.
  const assemblyOptions = { feeds: feedsToMatch(request.feeds ?? [], requests), transform: extra.transform?.params ?? null, ...extra.files, sigmaRules, enrichFeatures, classifyLabel, ...(request.model === undefined ? {} : { model: request.model }), ...(options.estimates === undefined ? {} : { estimates: options.estimates }), groups };
  // A stored pattern is re-bound file by file, not branch by branch: a plan of several datasets is assembled afresh.
  const pattern = groups.length > 1 ? null : (options.patterns?.lookup(fingerprint) ?? null);
  const assembly = pattern === null ? assembleNodes(profile, requirements, registry, assemblyOptions) : rebindNodes(pattern, profile, registry, assemblyOptions);
  if (pattern === null && options.estimates !== undefined) {
    // Each branch's steps see their own dataset's size.
    const sizes = new Map((assembly.branches ?? []).flatMap((b) => b.nodes.map((id) => [id, b.size] as const)));
    for (const node of assembly.nodes) applyEstimates([node], sizes.get(node.id) ?? inputSize(files), registry, options.estimates);
  }
  // A stored pattern brings its stages and adaptation points (frozen, shared): re-binding does not change the graph.
  const stages = pattern?.stages === undefined ? deriveStages(assembly.nodes) : [...pattern.stages];
  const estimatedSeconds = estimatedSecondsOf(assembly.nodes, stages);
  const confidenceAt = (seconds: number): WorkflowPlan['confidence'] => planConfidence(defaulted ? [] : acted, files, requirements, assembly.unavailable, { excluded, requests, corrections, constraints, estimatedSeconds: seconds });
  const confidence = confidenceAt(estimatedSeconds);
  const plan: WorkflowPlan = {
    version: PLAN_VERSION,
    id: uuidV7(),
    created_at: new Date().toISOString(),
    tool_version: TOOL_VERSION,
    base_dir: baseDir,
    output_dir: request.outputDir ?? 'output',
    profile,
    outputs,
    nodes: assembly.nodes,
    stages,
    adaptation_points: pattern?.adaptationPoints === undefined ? adaptationPoints(assembly.nodes, registry) : [...pattern.adaptationPoints],
    unavailable: assembly.unavailable,
    confidence,
    estimated_seconds: estimatedSeconds,
    resources: allocateResources(files.reduce((sum, f) => sum + f.bytes, 0)),
    fingerprint,
    registry_version: registry.version,
    from_cache: pattern !== null,
  };
  // Each step's parameters get their defaults from the component's schema. The plan's shape is the type the planner
  // builds (tests check every planner output against the full plan schema); re-checking the whole plan here cost ~0.8 ms
  // per plan, four times the planning budget. Plans read from files or requests still go through validatePlan.
  const validated = pattern === null ? withParameterDefaults(plan, registry) : plan;
  // Keyed as the run keys them, so from the parameters with their defaults.
  const cached = options.cachedSteps === undefined ? null : await options.cachedSteps.cachedSteps(validated, registry, options.signal);
  const forecast = cached === null || cached.size === 0 ? validated : withCachedSteps(validated, cached);
  // A time budget is weighed against what the run is expected to take, restores included.
  const final = forecast === validated ? validated : { ...forecast, confidence: confidenceAt(forecast.estimated_seconds) };
  // Whether the pattern cache was asked (not with --no-cache, nor for several datasets): the session counts only real lookups.
  if (options.log !== undefined) logPlanDecisions(options.log, final, assembly, performance.now() - started, { registry, cacheLookup: groups.length <= 1 && options.patterns !== undefined });
  return final;
}

/**
 * Adaptation points, as data the engine acts on: steps that read or write files retry transient failures; a
 * component that declares a simpler fallback gets it once retries are exhausted; the pattern loop is listed as the
 * parameter adjustment it is.
 */
function adaptationPoints(nodes: readonly PlanNode[], registry: ComponentRegistry): AdaptationPoint[] {
  const points: AdaptationPoint[] = [];
  for (const n of nodes) {
    if (n.type === 'DATA_IMPORT' || n.component === 'intel.ioc-match' || n.type === 'EXPORT') {
      points.push({ node: n.id, trigger: 'failure', action: 'retry', detail: 'transient failures (busy file, slow disk) are retried with backoff; user mistakes are not', retry: DEFAULT_RETRY_POLICY });
    }
    const fallback = registry.get(n.component).fallback;
    if (fallback !== undefined && registry.has(fallback)) {
      points.push({ node: n.id, trigger: 'failure', action: 'fallback', detail: `${fallback} takes over when ${n.component} still fails after its retries`, fallback });
    }
    if (n.loop !== null) {
      points.push({ node: n.id, trigger: 'low-yield', action: 'adjust-parameter', detail: `${n.loop.adjust.param} adjusted until ${describePredicate(n.loop.until)}, at most ${n.loop.max_iterations} runs` });
    }
  }
  return points;
}

const MB = 1024 * 1024;
/** Below this much input, one engine thread is faster: measured, a 1.6 MB CSV loads in ~66 ms on one thread, ~120 ms on two. */
const SINGLE_THREAD_BELOW_BYTES = 32 * MB;

let machine: { cores: number; totalMb: number } | undefined;
let free: { mb: number; at: number } | undefined;

/** Free memory, read at most once a second: reading it costs more than planning from the cache. */
function freeMemoryMb(): number {
  const now = Date.now();
  if (free === undefined || now - free.at > 1_000) free = { mb: Math.round(freemem() / MB), at: now };
  return free.mb;
}

/**
 * The engine's memory limit unless CS_HELPER_MEMORY_LIMIT_MB says otherwise: with it, a 10M-row (1.6 GB) CSV ran end
 * to end at 1.58 GB peak RSS for the whole process (docs/performance.md, "Ten million rows"), the engine spilling the
 * rest to disk; with 80% of free memory the same run grew past 7 GB.
 */
const DEFAULT_ENGINE_MEMORY_MB = 1024;

/**
 * Engine threads, memory and spill folder from the input size and the machine; logged as a decision when the run
 * starts. Memory: 1 GB (or CS_HELPER_MEMORY_LIMIT_MB), never more than 80% of what is free now (at least 1 GB) nor
 * 70% of the machine. Tables larger than that are spilled to the spill folder ($CS_HELPER_SPILL_DIR, or the system's
 * temporary folder).
 */
function allocateResources(inputBytes: number): Resources {
  // The core count and total memory are read once per process: the system calls cost more than the rest of a cached plan.
  machine ??= { cores: availableParallelism(), totalMb: Math.round(totalmem() / MB) };
  const cores = machine.cores;
  const freeMb = freeMemoryMb();
  // Read once: each read of the environment is a call into the runtime.
  const ceiling = memoryCeilingMb();
  const wanted = ceiling ?? DEFAULT_ENGINE_MEMORY_MB;
  const available = Math.max(1024, Math.min(Math.floor(machine.totalMb * 0.7), Math.floor(freeMb * 0.8)));
  const memoryLimit = Math.min(wanted, available);
  const small = inputBytes < SINGLE_THREAD_BELOW_BYTES;
  const spillDir = process.env['CS_HELPER_SPILL_DIR'] ?? null;
  const spills = inputBytes / MB > memoryLimit;
  return {
    threads: small ? 1 : cores,
    memory_limit_mb: memoryLimit,
    spill_dir: spillDir,
    reason: `${(inputBytes / MB).toFixed(1)} MB of input: ${small ? 'one thread (start-up costs more than threads save on small inputs)' : `all ${cores} cores`}; memory limit ${memoryLimit} MB (${ceiling === null ? 'the default' : 'CS_HELPER_MEMORY_LIMIT_MB'}, at most 80% of the ${freeMb} MB free and 70% of ${machine.totalMb} MB)${spills ? `; the input is larger than that: the engine spills to ${spillDir ?? 'the system temporary folder'}` : ''}`,
  };
}
