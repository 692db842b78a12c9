// Reads the words of a problem through the planner's one spelling corrector, built once from every lexicon the planner reads.
import type { Correction } from '../model/problem-profile.js';
import { EXCLUSION_LEXICON } from './exclusion-lexicon.js';
import { INTENT_LEXICON } from './intent-lexicon.js';
import { NEGATION_VOCABULARY } from './negation.js';
import { tokenize } from './problem-text.js';
import { REAL_WORDS } from './real-words.js';
import { SpellingCorrector } from './typo-correction.js';

/** Words no lexicon holds but that people misspell in plan requests; correcting them keeps the rest of the reading clean. */
const COMMON_REQUEST_WORDS = ['analyze', 'analyse', 'analysis', 'export', 'report', 'process', 'identify', 'detect', 'generate', 'produce', 'please', 'connections', 'traffic', 'events', 'firewall', 'network', 'logins', 'domains', 'addresses'];

const vocabulary = new Set<string>(COMMON_REQUEST_WORDS);
for (const cues of Object.values(INTENT_LEXICON)) for (const { cue } of cues) for (const word of tokenize(cue)) vocabulary.add(word);
for (const word of EXCLUSION_LEXICON.vocabulary) vocabulary.add(word);
for (const word of NEGATION_VOCABULARY) vocabulary.add(word);

/** Every word a slip may be read as (scripts/near-miss-words.mjs checks a word list against it). */
export const SPELLING_VOCABULARY: ReadonlySet<string> = vocabulary;

const CORRECTOR = new SpellingCorrector({ vocabulary, realWords: REAL_WORDS });

/** The lexicon word a misspelt word is read as, or null when it is read as itself. */
export function correctWord(word: string): string | null {
  return CORRECTOR.correct(word);
}

/** The words with slips corrected (the same array when there were none) and what was corrected. */
export function correctWords(words: readonly string[]): { words: readonly string[]; corrections: Correction[] } {
  let corrected: string[] | undefined;
  const corrections: Correction[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const meant = CORRECTOR.correct(word);
    if (meant === null) continue;
    corrected ??= [...words];
    corrected[i] = meant;
    if (!corrections.some((c) => c.from === word)) corrections.push({ from: word, to: meant });
  }
  return { words: corrected ?? words, corrections };
}
