// Plan confidence with its reasons: how sure the planner is of the problem, the files, and that the plan covers what was asked.
import type { FileProfile } from '../model/file-profile.js';
import type { IntentScore } from '../model/problem-profile.js';
import type { Confidence, UnavailableCapability } from '../model/workflow-plan.js';
import type { Requirement } from './requirements.js';

/**
 * Weighted mean of four parts: the top intent's score (0.35), how clearly the files were read (0.25), the share of required
 * capabilities the registry covers (0.3), and whether the problem named what it wants at all (0.1); times 0.6 when
 * a capability the main intent needs is missing.
 */
export function planConfidence(intents: readonly IntentScore[], files: readonly FileProfile[], requirements: readonly Requirement[], unavailable: readonly UnavailableCapability[]): Confidence {
  const reasons: string[] = [];
  const top = intents[0];
  const intentScore = top?.score ?? 0.2;
  if (top === undefined) reasons.push('no intent words recognised in the problem: planned as threat hunting by default');
  else reasons.push(`problem reads as ${top.intent} (${top.score.toFixed(2)}: ${top.evidence.join(', ')})${intents.length > 1 ? `, also ${intents.slice(1).map((i) => `${i.intent} ${i.score.toFixed(2)}`).join(', ')}` : ''}`);

  const fileScores = files.map((f) => {
    const roles = f.columns.filter((c) => c.role !== null && !['measure', 'category', 'text'].includes(c.role));
    const clarity = f.kind === 'unknown' ? 0 : Math.min(1, 0.6 + 0.1 * roles.length + (f.has_header === false ? -0.2 : 0));
    reasons.push(`${f.path}: ${f.kind.toUpperCase()}${f.has_header === true ? ' with header' : ''}, ${f.columns.length} columns, ~${f.estimated_rows.toLocaleString('en-US')} rows${roles.length > 0 ? `; ${roles.map((c) => `${c.name}=${c.role ?? ''}`).slice(0, 6).join(', ')}` : '; no security-relevant columns recognised'}`);
    return clarity;
  });
  const fileScore = fileScores.length === 0 ? 0 : fileScores.reduce((a, b) => a + b, 0) / fileScores.length;

  const coverage = requirements.length === 0 ? 1 : (requirements.length - unavailable.filter((u) => requirements.some((r) => r.capability === u.capability)).length) / requirements.length;
  if (unavailable.length === 0) reasons.push(`all ${requirements.length} required capabilities are available`);
  else reasons.push(`${unavailable.length} of ${requirements.length} capabilities are not in this version: ${unavailable.map((u) => u.capability).join(', ')}`);

  const named = top === undefined ? 0 : 1;
  let score = 0.35 * intentScore + 0.25 * fileScore + 0.3 * coverage + 0.1 * named;
  // A plan that cannot do the main thing asked is a weak plan, however well it does the rest.
  const primaryMissing = top !== undefined && unavailable.some((u) => u.wanted_by === `intent:${top.intent}`);
  if (primaryMissing) {
    score *= 0.6;
    reasons.push(`the main request (${top.intent}) needs a capability this version lacks: confidence reduced`);
  }
  return { score: Math.round(score * 100) / 100, reasons };
}
