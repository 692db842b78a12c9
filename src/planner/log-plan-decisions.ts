// Tells the session log what the planner decided and why: the problem type, each output's format, each capability's
// component with the alternatives it had, what is missing, and the plan's confidence.
import type { SessionLog } from '../session/session-log.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { INTENT_THRESHOLD } from './classify-intents.js';

export interface PlanChoices {
  readonly alternatives: Readonly<Record<string, readonly string[]>>;
  readonly capabilitiesByNode: Readonly<Record<string, readonly string[]>>;
}

export function logPlanDecisions(log: SessionLog, plan: WorkflowPlan, choices: PlanChoices, generationMs: number): void {
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
  for (const node of plan.nodes) {
    for (const capability of choices.capabilitiesByNode[node.id] ?? []) {
      log.logDecision({
        decision: `component for ${capability}`,
        chosen: `${node.component} (step ${node.id})`,
        alternatives: (choices.alternatives[capability] ?? []).map((option) => ({ option, score: null })),
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

/**
 * The columns' roles as a list of { column, role }: as a map from column name, a column called `password` or `api_key`
 * had its role redacted from the session log (the redaction reads a secret-named key's value as a secret).
 */
export function rolesOf(columns: readonly { readonly name: string; readonly role: string | null }[]): { column: string; role: string }[] {
  return columns.flatMap((c) => (c.role === null ? [] : [{ column: c.name, role: c.role }]));
}
