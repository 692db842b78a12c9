// Why a plan is what it is: the intents that were read, each step's capabilities and who wanted them, the alternatives
// the registry offered with their scores, the conditions, loops and adaptations, what is missing, and the confidence.
import type { ComponentRegistry } from '../components/registry.js';
import type { Capability } from '../model/capability.js';
import { describePredicate } from '../model/predicate.js';
import type { WorkflowPlan } from '../model/workflow-plan.js';

export interface ExplainedAlternative {
  readonly component: string;
  readonly complexity: string;
  readonly score: number;
  readonly chosen: boolean;
}

export interface ExplainedStep {
  readonly node: string;
  readonly component: string;
  readonly title: string;
  readonly stage: number;
  readonly mode: string;
  readonly why: string;
  readonly alternatives: Readonly<Record<string, readonly ExplainedAlternative[]>>;
  readonly depends_on: readonly string[];
  readonly condition: string | null;
  readonly loop: string | null;
  readonly adaptations: readonly string[];
  readonly estimated_ms: number;
}

export interface PlanExplanation {
  readonly problem: string;
  readonly intents: readonly { intent: string; score: number; evidence: readonly string[]; acted_on: boolean }[];
  readonly outputs: readonly string[];
  readonly steps: readonly ExplainedStep[];
  readonly unavailable: readonly string[];
  readonly confidence: { readonly score: number; readonly reasons: readonly string[] };
  readonly estimated_seconds: number;
  readonly scoring: string;
}

const COMPLEXITY_RANK = { SIMPLE: 0, MODERATE: 1, COMPLEX: 2 } as const;

export const SCORING_RULE =
  'candidates for a capability are ranked as the planner ranks them: simpler first (SIMPLE, MODERATE, COMPLEX), then by id; the score is 1 for the first and 0.15 less per complexity level above it';

export function explainPlan(plan: WorkflowPlan, registry: ComponentRegistry, threshold: number): PlanExplanation {
  const stageOf = new Map(plan.stages.flatMap((s) => s.nodes.map((n) => [n, s] as const)));
  const steps = plan.nodes.map((node): ExplainedStep => {
    const capabilities = capabilitiesIn(node.reason);
    const alternatives: Record<string, ExplainedAlternative[]> = {};
    for (const capability of capabilities) {
      const candidates = registry.providing(capability as Capability);
      const best = candidates[0];
      alternatives[capability] = candidates.map((c) => ({
        component: c.id,
        complexity: c.complexity,
        score: best === undefined ? 0 : Math.round((1 - 0.15 * (COMPLEXITY_RANK[c.complexity] - COMPLEXITY_RANK[best.complexity])) * 100) / 100,
        chosen: c.id === node.component,
      }));
    }
    const stage = stageOf.get(node.id);
    return {
      node: node.id,
      component: node.component,
      title: node.title,
      stage: (stage?.index ?? 0) + 1,
      mode: stage?.mode ?? 'sequential',
      why: node.reason,
      alternatives,
      depends_on: node.depends_on,
      condition: node.condition === null ? null : describePredicate(node.condition),
      loop: node.loop === null ? null : `${node.loop.adjust.param} adjusted (x${node.loop.adjust.factor ?? 1}${node.loop.adjust.step === undefined ? '' : ` +${node.loop.adjust.step}`}) until ${describePredicate(node.loop.until)}, at most ${node.loop.max_iterations} runs`,
      adaptations: plan.adaptation_points.filter((a) => a.node === node.id).map((a) => `on ${a.trigger}: ${a.action} (${a.detail})`),
      estimated_ms: node.estimated_ms,
    };
  });
  return {
    problem: plan.profile.problem,
    intents: plan.profile.intents.map((i) => ({ intent: i.intent, score: i.score, evidence: i.evidence, acted_on: i.score >= threshold })),
    outputs: plan.outputs.map((o) => `${o.name}.${o.format} (${o.kind}${o.requested ? ', asked for' : ', default'})`),
    steps,
    unavailable: plan.unavailable.map((u) => `${u.capability}, wanted by ${u.wanted_by}: ${u.reason}`),
    confidence: plan.confidence,
    estimated_seconds: plan.estimated_seconds,
    scoring: SCORING_RULE,
  };
}

/** The capabilities a node's reason names (`anomaly-detection for intent:threat_hunting; ...`). */
function capabilitiesIn(reason: string): string[] {
  return reason
    .split('; ')
    .map((part) => /^([a-z-]+) for /.exec(part)?.[1])
    .filter((c): c is string => c !== undefined);
}
