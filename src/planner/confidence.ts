// Plan confidence with its reasons: how sure the planner is of the problem, the files, and that the plan covers what was
// asked; the reasons also say what the user ruled out, named or limited, and which misspelt words were read as others.
import { Capability } from '../model/capability.js';
import type { FileProfile } from '../model/file-profile.js';
import type { Constraints, Correction, Exclusion, ExplicitRequest, IntentScore } from '../model/problem-profile.js';
import type { Confidence, UnavailableCapability } from '../model/workflow-plan.js';
import type { Requirement } from './requirements.js';

export interface ConfidenceContext {
  readonly excluded?: readonly Exclusion[];
  readonly requests?: readonly ExplicitRequest[];
  readonly corrections?: readonly Correction[];
  readonly constraints?: Constraints;
  /** The plan's estimate, compared with the time budget. */
  readonly estimatedSeconds?: number;
}

/** A plan expected to overrun the user's time budget is less likely to give them what they need when they need it. */
const OVER_BUDGET_FACTOR = 0.8;

/**
 * Weighted mean of four parts: the top intent's score (0.35), how clearly the files were read (0.25), the share of required
 * capabilities the registry covers (0.3), and whether the problem named what it wants at all (0.1); times 0.6 when
 * a capability the main intent needs is missing, and times 0.8 when the estimate overruns the time budget.
 */
export function planConfidence(intents: readonly IntentScore[], files: readonly FileProfile[], requirements: readonly Requirement[], unavailable: readonly UnavailableCapability[], context: ConfidenceContext = {}): Confidence {
  const reasons: string[] = [];
  const top = intents[0];
  const intentScore = top?.score ?? 0.2;
  if (top === undefined) reasons.push('no intent words recognised in the problem: planned as threat hunting by default');
  else reasons.push(`problem reads as ${top.intent} (${top.score.toFixed(2)}: ${top.evidence.join(', ')})${intents.length > 1 ? `, also ${intents.slice(1).map((i) => `${i.intent} ${i.score.toFixed(2)}`).join(', ')}` : ''}`);
  const corrections = context.corrections ?? [];
  if (corrections.length > 0) reasons.push(`read misspelt words as: ${corrections.map((c) => `"${c.from}" as "${c.to}"`).join(', ')}`);
  const excluded = context.excluded ?? [];
  if (excluded.length > 0) reasons.push(`excluded as asked: ${excluded.map((e) => `${e.what} (${e.because})`).join(', ')}`);

  const fileScores = files.map((f) => {
    const roles = f.columns.filter((c) => c.role !== null && !['measure', 'category', 'text'].includes(c.role));
    const clarity = f.kind === 'unknown' ? 0 : Math.min(1, 0.6 + 0.1 * roles.length + (f.has_header === false ? -0.2 : 0));
    reasons.push(`${f.path}: ${f.kind.toUpperCase()}${f.has_header === true ? ' with header' : ''}, ${f.columns.length} columns, ~${groupThousands(f.estimated_rows)} rows${roles.length > 0 ? `; ${roles.map((c) => `${c.name}=${c.role ?? ''}`).slice(0, 6).join(', ')}` : '; no security-relevant columns recognised'}`);
    return clarity;
  });
  const fileScore = fileScores.length === 0 ? 0 : fileScores.reduce((a, b) => a + b, 0) / fileScores.length;

  const coverage = requirements.length === 0 ? 1 : (requirements.length - unavailable.filter((u) => requirements.some((r) => r.capability === u.capability)).length) / requirements.length;
  if (unavailable.length === 0) reasons.push(`all ${requirements.length} required capabilities are available`);
  else reasons.push(`${unavailable.length} of ${requirements.length} capabilities are not in this version: ${unavailable.map((u) => u.capability).join(', ')}`);
  const requests = context.requests ?? [];
  if (requests.length > 0) {
    const served = (capability: string): boolean => requirements.some((r) => r.capability === capability) && !unavailable.some((u) => u.capability === capability);
    reasons.push(`named in the problem: ${requests.map((r) => describeRequest(r, served)).join('; ')}`);
  }

  const named = top === undefined ? 0 : 1;
  let score = 0.35 * intentScore + 0.25 * fileScore + 0.3 * coverage + 0.1 * named;
  // A plan that cannot do the main thing asked is a weak plan, however well it does the rest.
  const primaryMissing = top !== undefined && unavailable.some((u) => u.wanted_by === `intent:${top.intent}`);
  if (primaryMissing) {
    score *= 0.6;
    reasons.push(`the main request (${top.intent}) needs a capability this version lacks: confidence reduced`);
  }
  score *= constraintReasons(context, reasons);
  return { score: Math.round(score * 100) / 100, reasons };
}

function describeRequest(request: ExplicitRequest, served: (capability: string) => boolean): string {
  switch (request.kind) {
    case 'rules':
      return `rules ${request.value} (${served(Capability.sigmaDetection) ? 'applied by the rule detection step' : 'recorded: no step of this plan applies rules'})`;
    case 'feed':
      return `feed ${request.value} (${served(Capability.iocMatching) ? 'matched by the indicator matching step' : 'recorded: no step of this plan matches feeds'})`;
    case 'scope':
      return `scope "${request.value}" (recorded; no step narrows the data by it yet)`;
    case 'time_range':
      return `time range "${request.value}" (recorded; no step filters by time yet)`;
    case 'format':
      return `format ${request.value} (default data outputs are written in it)`;
  }
}

/** Says what each constraint means for this plan; returns the factor the confidence is multiplied by. */
function constraintReasons(context: ConfidenceContext, reasons: string[]): number {
  const constraints = context.constraints ?? {};
  let factor = 1;
  const budget = constraints.time_budget_seconds;
  if (budget !== undefined && context.estimatedSeconds !== undefined) {
    if (context.estimatedSeconds > budget) {
      factor *= OVER_BUDGET_FACTOR;
      reasons.push(`estimated ${context.estimatedSeconds} s overruns the time budget of ${budget} s: confidence reduced`);
    } else {
      reasons.push(`estimated ${context.estimatedSeconds} s is within the time budget of ${budget} s`);
    }
  }
  if (constraints.no_network === true) reasons.push('no_network recorded: the built-in steps read only local files and the bundled feed');
  if (constraints.max_rows !== undefined) reasons.push(`max_rows ${constraints.max_rows} recorded; no step limits the rows it reads by it yet`);
  return factor;
}

/** 1234567 as "1,234,567": what toLocaleString('en-US') gives, without Intl's cost (~5% of a cached plan). */
function groupThousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
