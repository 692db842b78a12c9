// Tells the session log what the planner decided and why: the problem type, each output's format, each capability's
// component with the alternatives it had and their scores (those `cs-helper explain` shows), what is missing, the plan's
// confidence, and whether the pattern cache was consulted.
import type { ComponentRegistry } from '../components/registry.js';
import type { SessionLog } from '../session/session-log.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { INTENT_THRESHOLD } from './classify-intents.js';
import { explainPlan, type ExplainedAlternative } from './explain-plan.js';

export interface PlanChoices {
  readonly alternatives: Readonly<Record<string, readonly string[]>>;
  readonly capabilitiesByNode: Readonly<Record<string, readonly string[]>>;
  /** One per dataset when the plan was assembled (assemble.ts); absent from a re-bound pattern. */
  readonly branches?: readonly unknown[];
}

/** What the planner knew besides its choices. */
export interface PlanContext {
  /** The registry the plan was made from: each component choice is logged with explain's scores (explain-plan.ts). */
  readonly registry?: ComponentRegistry;
  /**
   * Whether the plan's fingerprint was looked up in the pattern cache: not with --no-cache (no cache given), nor for a
   * plan of several datasets. `cs-helper metrics` and the session's pattern-cache counts set the plans without a
   * lookup apart.
   */
  readonly cacheLookup?: boolean;
}

export function logPlanDecisions(log: SessionLog, plan: WorkflowPlan, choices: PlanChoices, generationMs: number, context: PlanContext = {}): void {
  const profile = plan.profile;
  for (const file of profile.files) {
    log.logDataOperation({
      operation: 'read',
      target: file.path,
      bytes: file.bytes,
      columns: file.columns.map((c) => c.name),
      detail: { purpose: 'profile', kind: file.kind, encoding: file.encoding, delimiter: file.delimiter, has_header: file.has_header, estimated_rows: file.estimated_rows, roles: rolesOf(file.columns) },
    });
    log.logDebug('file-profile', `profile of ${file.path}`, { profile: file });
  }
  const [top, ...rest] = profile.intents;
  log.logDecision({
    decision: 'problem-type',
    chosen: profile.problem_type,
    alternatives: rest.map((i) => ({ option: i.intent, score: i.score })),
    confidence: top?.score ?? 0,
    threshold: INTENT_THRESHOLD,
    reasoning: top === undefined ? 'no intent words recognised: threat hunting by default' : `matched ${top.evidence.join(', ')}; intents at or above the threshold are all acted on`,
  });
  for (const output of plan.outputs) {
    log.logDecision({
      decision: `output ${output.name}`,
      chosen: `${output.kind} as ${output.format}`,
      reasoning: output.requested ? 'named by the user' : `default output for ${profile.problem_type}`,
    });
  }
  // Explained once, and only for a plan with component choices to log (a re-bound pattern has none): ~40 us a plan.
  const registry = context.registry;
  let explained: ComponentScores | undefined;
  const scoresOf = (node: string): Readonly<Record<string, readonly ExplainedAlternative[]>> | undefined => {
    if (registry === undefined) return undefined;
    explained ??= componentScores(plan, registry);
    return explained.get(node);
  };
  for (const node of plan.nodes) {
    for (const capability of choices.capabilitiesByNode[node.id] ?? []) {
      // explain's candidates for this step and capability, the chosen one among them; none for an export step (explain
      // scores the capabilities a step's reason names) or without the registry: then the alternatives without scores.
      const candidates = scoresOf(node.id)?.[capability];
      const chosen = candidates?.find((c) => c.chosen);
      log.logDecision({
        decision: `component for ${capability}`,
        chosen: `${node.component} (step ${node.id})`,
        alternatives:
          candidates === undefined
            ? (choices.alternatives[capability] ?? []).map((option) => ({ option, score: null }))
            : candidates.filter((c) => !c.chosen).map((c) => ({ option: c.component, score: c.score })),
        ...(chosen === undefined ? {} : { confidence: chosen.score }),
        reasoning: node.reason,
      });
    }
  }
  for (const missing of plan.unavailable) {
    log.logDecision({ decision: `component for ${missing.capability}`, chosen: 'none (unavailable)', reasoning: `${missing.reason}; wanted by ${missing.wanted_by}` });
  }
  log.logDecision({
    decision: 'workflow-plan',
    chosen: plan.stages.map((s) => `${s.mode}(${s.nodes.join(', ')})`).join(' -> '),
    confidence: plan.confidence.score,
    reasoning: plan.confidence.reasons.join(' | '),
  });
  log.logWorkflowExecution({
    workflowName: `dynamic_${plan.id}`,
    stepName: 'plan',
    status: 'planned',
    metadata: {
      plan_id: plan.id,
      generation_ms: Math.round(generationMs * 1000) / 1000,
      from_cache: plan.from_cache,
      ...cacheLookupMember(plan, choices, context),
      component_count: plan.nodes.length,
      stages: plan.stages.length,
      estimated_duration: plan.estimated_seconds,
      ...(plan.cached_steps === undefined ? {} : { expected_from_cache: plan.cached_steps.map((s) => s.node) }),
      confidence_score: plan.confidence.score,
      fingerprint: plan.fingerprint,
      unavailable: plan.unavailable.map((u) => u.capability),
    },
  });
}

/** Per step, explain's scored candidates for each capability it names. */
type ComponentScores = ReadonlyMap<string, Readonly<Record<string, readonly ExplainedAlternative[]>>>;

function componentScores(plan: WorkflowPlan, registry: ComponentRegistry): ComponentScores {
  return new Map(explainPlan(plan, registry, INTENT_THRESHOLD).steps.map((step) => [step.node, step.alternatives]));
}

/**
 * `cache_lookup` for the plan event, when it is known: from the planner, or from the plan itself (a plan from the cache
 * was looked up; a plan of several datasets never is: a stored pattern is re-bound file by file, plan-workflow.ts).
 * Left out when unknown: readers then take the plan to have looked, as for plans logged before the member was.
 */
function cacheLookupMember(plan: WorkflowPlan, choices: PlanChoices, context: PlanContext): { cache_lookup?: boolean } {
  const known = context.cacheLookup ?? (plan.from_cache ? true : (choices.branches?.length ?? 0) > 1 ? false : undefined);
  return known === undefined ? {} : { cache_lookup: known };
}

/**
 * The columns' roles as a list of { column, role }: as a map from column name, a column called `password` or `api_key`
 * had its role redacted from the session log (the redaction reads a secret-named key's value as a secret).
 */
export function rolesOf(columns: readonly { readonly name: string; readonly role: string | null }[]): { column: string; role: string }[] {
  return columns.flatMap((c) => (c.role === null ? [] : [{ column: c.name, role: c.role }]));
}
