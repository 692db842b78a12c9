// Finds the longest known phrase starting at a word, in a few map lookups: built once per lexicon, shared by every call.
import { tokenize } from './problem-text.js';

export interface PhraseEntry<T> {
  /** The phrase as lower-case words. */
  readonly words: readonly string[];
  readonly value: T;
}

export interface PhraseMatch<T> {
  readonly entry: PhraseEntry<T>;
  /** How many words the phrase spans. */
  readonly length: number;
}

export class PhraseIndex<T> {
  /** Phrases by their first word, longest first, so the first full match is the longest. */
  readonly #byFirstWord = new Map<string, PhraseEntry<T>[]>();
  /** Every word of every phrase: the vocabulary typo correction aims at. */
  readonly vocabulary = new Set<string>();

  constructor(phrases: Iterable<readonly [phrase: string, value: T]>) {
    for (const [phrase, value] of phrases) {
      const words = tokenize(phrase);
      const first = words[0];
      if (first === undefined) throw new Error(`empty phrase in a lexicon: '${phrase}'`);
      const list = this.#byFirstWord.get(first) ?? [];
      if (list.some((e) => e.words.join(' ') === words.join(' '))) throw new Error(`phrase '${phrase}' is in a lexicon twice`);
      list.push({ words, value });
      list.sort((a, b) => b.words.length - a.words.length);
      this.#byFirstWord.set(first, list);
      for (const word of words) this.vocabulary.add(word);
    }
  }

  /** The longest phrase whose words are `words[at..]`, or undefined. */
  longestAt(words: readonly string[], at: number): PhraseMatch<T> | undefined {
    const first = words[at];
    if (first === undefined) return undefined;
    const candidates = this.#byFirstWord.get(first);
    if (candidates === undefined) return undefined;
    for (const entry of candidates) {
      let i = 1;
      while (i < entry.words.length && words[at + i] === entry.words[i]) i++;
      if (i === entry.words.length) return { entry, length: i };
    }
    return undefined;
  }
}
