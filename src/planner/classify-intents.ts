// Scores every intent of a problem statement; several may hold at once ("compliance and map to MITRE ATT&CK"). Misspelt
// words are read as the lexicon word they are one slip from; negated words ("no ML") vote for nothing and become exclusions.
import type { Capability } from '../model/capability.js';
import type { Correction, Exclusion, Intent, IntentScore } from '../model/problem-profile.js';
import { findExclusions } from './exclusions.js';
import { INTENT_LEXICON, type IntentCue } from './intent-lexicon.js';
import { correctWords } from './lexicon-spelling.js';
import { findNegations } from './negation.js';
import { PhraseIndex } from './phrase-index.js';
import { splitProblem, type ProblemWords } from './problem-text.js';

/**
 * Intents at or above this probability are acted on. The scores are calibrated probabilities (see `calibrated`), so
 * acting means "more likely meant than not".
 */
export const INTENT_THRESHOLD = 0.5;

/**
 * Calibration (Platt scaling): an intent's score is 1 / (1 + e^-(SLOPE * evidence + INTERCEPT)), where evidence is the
 * sum of the weights of its cues found in the problem. SLOPE and INTERCEPT are the maximum-likelihood fit on the labelled
 * problems of test/fixtures/planner/problems.jsonl: every (problem, intent with evidence) pair is one example, labelled 1
 * when the problem's author meant that intent. So a score of 0.84 says that, on that set, about five in six intents
 * with that much evidence were meant. test/planner/labelled-problems.test.ts refits the two numbers and fails when they
 * drift from these, and checks that the top intent's score stays within five points of how often the top intent is right.
 * What the fit learned: a lone hint (0.5, "security") is meant 7% of the time, one clear sign (1.0, "suspicious") 61%,
 * a strong word (1.5, "compliance") 97%; the threshold of 0.5 sits at evidence 0.93.
 * The set was written by the lexicon's author (see the fixture's SOURCE.md), so these are optimistic for new phrasings.
 */
const SLOPE = 6.12;
const INTERCEPT = -5.67;

export function calibrated(evidence: number): number {
  return 1 / (1 + Math.exp(-(SLOPE * evidence + INTERCEPT)));
}

interface LexiconEntry extends IntentCue {
  readonly intent: Intent;
}

const CUE_INDEX = new PhraseIndex<LexiconEntry>(
  (Object.entries(INTENT_LEXICON) as [Intent, readonly IntentCue[]][]).flatMap(([intent, cues]) => cues.map((c) => [c.cue, { ...c, intent }] as const)),
);

export interface IntentReading {
  /** Calibrated scores, best first; intents the user negated are not among them. */
  readonly intents: IntentScore[];
  readonly excluded: Exclusion[];
  readonly corrections: Correction[];
  /** Capabilities asked for by name beyond the intents ("Sigma" -> sigma-detection), with the words that asked. */
  readonly mentions: { readonly capability: Capability; readonly cue: string }[];
  /** Each scored intent's evidence before calibration: what the calibration is fitted on. */
  readonly evidence: ReadonlyMap<Intent, number>;
  /** The statement as split into words, for readers that need offsets (explicit requests). */
  readonly words: ProblemWords;
}

export function readIntents(problem: string): IntentReading {
  const split = splitProblem(problem);
  const { words, corrections } = correctWords(split.words);
  const scopes = findNegations({ words, breakBefore: split.breakBefore });
  const negated = new Uint8Array(words.length);
  for (const scope of scopes) negated.fill(1, scope.from, scope.to);
  const excluded = findExclusions(split, words, scopes);
  const excludedIntents = new Set(excluded.filter((e) => e.kind === 'intent').map((e) => e.what));

  const tally = new Map<Intent, { sum: number; evidence: string[]; first: number }>();
  const mentions: { capability: Capability; cue: string }[] = [];
  let i = 0;
  while (i < words.length) {
    const match = CUE_INDEX.longestAt(words, i);
    if (match === undefined || negated.subarray(i, i + match.length).includes(1)) {
      i++;
      continue;
    }
    const { intent, cue, weight, needs } = match.entry.value;
    const entry = tally.get(intent) ?? { sum: 0, evidence: [], first: i };
    const label = evidenceLabel(cue, split.words, words, i, match.length);
    // A cue said twice is one piece of evidence, not two.
    if (!entry.evidence.some((e) => e === cue || e.startsWith(`${cue} (`))) {
      entry.sum += weight;
      entry.evidence.push(label);
    }
    tally.set(intent, entry);
    if (needs !== undefined && !mentions.some((m) => m.capability === needs)) mentions.push({ capability: needs, cue });
    i += match.length;
  }

  const ranked = [...tally.entries()]
    .filter(([intent]) => !excludedIntents.has(intent))
    .sort(([a, x], [b, y]) => y.sum - x.sum || x.first - y.first || a.localeCompare(b));
  const intents = ranked.map(([intent, { sum, evidence }]) => ({ intent, score: Math.round(calibrated(sum) * 100) / 100, evidence }));
  return { intents, excluded, corrections, mentions, evidence: new Map(ranked.map(([intent, { sum }]) => [intent, sum])), words: split };
}

/** Intents with calibrated scores, best first; see readIntents for what else the reading finds. */
export function classifyIntents(problem: string): IntentScore[] {
  return readIntents(problem).intents;
}

/** The cue, and the words as typed when a slip was read through: `threats (typed "threts")`. */
function evidenceLabel(cue: string, typed: readonly string[], read: readonly string[], at: number, length: number): string {
  const slips: string[] = [];
  for (let k = at; k < at + length; k++) if (typed[k] !== read[k]) slips.push(typed[k] ?? '');
  return slips.length === 0 ? cue : `${cue} (typed "${slips.join(' ')}")`;
}
