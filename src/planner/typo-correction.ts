// Reads a misspelt word as the lexicon word it is one slip away from ("threts" -> "threats"), without mistaking real words.

/** Shorter words are left alone: at four letters one edit turns most words into other real words. */
export const MIN_TYPO_LENGTH = 5;
/** From this length two edits are allowed ("investgaton"); below it, one. */
const TWO_EDIT_LENGTH = 10;
const MEMO_LIMIT = 4096;

export interface SpellingCorrectorOptions {
  /** The words to correct towards. */
  readonly vocabulary: Iterable<string>;
  /** Real words that are one edit from a vocabulary word ("thread", "covert"): never corrected. */
  readonly realWords: Iterable<string>;
}

/**
 * A symmetric-delete index (the SymSpell idea): every vocabulary word is stored under each string made by deleting one
 * (or, for long words, two) of its letters; a word is looked up under its own deletions, so candidates come from a few
 * map lookups instead of a distance computed against every word. Candidates are then checked with the true distance.
 * The first letter must match: slips rarely hit it, and requiring it halves the false readings.
 */
export class SpellingCorrector {
  readonly #vocabulary: Set<string>;
  readonly #realWords: Set<string>;
  readonly #byDeletion = new Map<string, string[]>();
  readonly #memo = new Map<string, string | null>();

  constructor(options: SpellingCorrectorOptions) {
    this.#vocabulary = new Set(options.vocabulary);
    this.#realWords = new Set(options.realWords);
    for (const word of this.#vocabulary) {
      if (word.length < MIN_TYPO_LENGTH || !/^[a-z]+$/.test(word)) continue;
      // A long word may be two edits from a misspelling two letters longer than itself.
      for (const variant of deletions(word, word.length >= TWO_EDIT_LENGTH - 2 ? 2 : 1)) {
        const list = this.#byDeletion.get(variant);
        if (list === undefined) this.#byDeletion.set(variant, [word]);
        else if (!list.includes(word)) list.push(word);
      }
    }
  }

  /** The vocabulary word meant, or null when the word is known, real, too short, or near no word (or near two equally). */
  correct(word: string): string | null {
    if (word.length < MIN_TYPO_LENGTH || this.#vocabulary.has(word) || this.#realWords.has(word)) return null;
    const known = this.#memo.get(word);
    if (known !== undefined) return known;
    const found = this.#lookup(word);
    if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
    this.#memo.set(word, found);
    return found;
  }

  #lookup(word: string): string | null {
    if (!/^[a-z]+$/.test(word)) return null;
    const limit = word.length >= TWO_EDIT_LENGTH ? 2 : 1;
    let best: string | null = null;
    let bestDistance = limit + 1;
    let tied = false;
    for (const variant of deletions(word, limit)) {
      for (const candidate of this.#byDeletion.get(variant) ?? []) {
        if (candidate === best || candidate.charCodeAt(0) !== word.charCodeAt(0)) continue;
        const distance = editDistance(word, candidate, limit);
        if (distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
          tied = false;
        } else if (distance === bestDistance && best !== null && !sameStem(best, candidate)) {
          tied = true;
        }
      }
    }
    return tied ? null : best;
  }
}

/** The word itself and every string made by deleting up to `depth` of its letters. */
function deletions(word: string, depth: number): Set<string> {
  const found = new Set<string>([word]);
  let layer = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const current of layer) {
      for (let i = 0; i < current.length; i++) {
        const variant = current.slice(0, i) + current.slice(i + 1);
        if (!found.has(variant)) {
          found.add(variant);
          next.push(variant);
        }
      }
    }
    layer = next;
  }
  return found;
}

/** Two candidates that differ only by a plural or verb ending mean the same thing: a tie between them is no doubt. */
function sameStem(a: string, b: string): boolean {
  const stem = (w: string): string => w.replace(/(?:es|s|ed|ing)$/, '');
  return stem(a) === stem(b);
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions, and swaps of neighbours, which are the
 * commonest slip: "anaylze"), giving up as soon as it must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? limit + 1;
}
