// Scores every intent of a problem statement; several intents may hold at once ("compliance and map to MITRE ATT&CK").
import type { Intent, IntentScore } from '../model/problem-profile.js';
import { INTENT_LEXICON } from './intent-lexicon.js';

/** Intents below this score are not acted on. */
export const INTENT_THRESHOLD = 0.3;
const MAX_PROBLEM_LENGTH = 4000;

/** Lower-case words of the text; `&` stays inside words so ATT&CK is one token. */
export function tokenize(text: string): string[] {
  return text
    .slice(0, MAX_PROBLEM_LENGTH)
    .toLowerCase()
    .split(/[^a-z0-9&]+/)
    .filter((t) => t !== '');
}

/**
 * Each matched cue adds its weight; the sum maps to 0..1 through 1 - e^(-sum), so one strong word gives ~0.75
 * and more evidence approaches 1 without passing it. Returns every intent with a score above zero, best first.
 */
export function classifyIntents(problem: string): IntentScore[] {
  const tokens = tokenize(problem);
  const joined = ` ${tokens.join(' ')} `;
  const scores: IntentScore[] = [];
  for (const [intent, cues] of Object.entries(INTENT_LEXICON) as [Intent, (typeof INTENT_LEXICON)[Intent]][]) {
    let sum = 0;
    const evidence: string[] = [];
    for (const { cue, weight } of cues) {
      const phrase = ` ${tokenize(cue).join(' ')} `;
      if (joined.includes(phrase)) {
        sum += weight;
        evidence.push(cue);
      }
    }
    if (sum > 0) scores.push({ intent, score: Math.round((1 - Math.exp(-sum)) * 100) / 100, evidence });
  }
  return scores.sort((a, b) => b.score - a.score || a.intent.localeCompare(b.intent));
}
