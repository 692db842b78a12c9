// Splits free text into terms for TF-IDF: lowercase letter/digit runs (any script), optional word bigrams and
// character n-grams inside words. Bounded on every axis, because the text comes from users' files.

export interface TokenizeOptions {
  /** Word pairs ("powershell download") as terms too. */
  readonly bigrams: boolean;
  /** Character n-gram lengths inside words (e.g. [3, 4]); empty for none. Helps with misspellings and compounds. */
  readonly charNgrams: readonly number[];
}

export const DEFAULT_TOKENIZE: TokenizeOptions = { bigrams: true, charNgrams: [] };

/** Only the first 10,000 characters of a value are read. */
const MAX_TEXT = 10_000;
const MAX_TOKENS = 2_000;
const MAX_TOKEN_LENGTH = 40;
// A single character class with a plus: linear time whatever the input.
const WORD = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string, options: TokenizeOptions = DEFAULT_TOKENIZE): string[] {
  const words: string[] = [];
  for (const match of text.slice(0, MAX_TEXT).toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length <= MAX_TOKEN_LENGTH) words.push(word);
    if (words.length >= MAX_TOKENS) break;
  }
  const terms = [...words];
  if (options.bigrams) for (let i = 1; i < words.length; i += 1) terms.push(`${words[i - 1] ?? ''} ${words[i] ?? ''}`);
  for (const n of options.charNgrams) {
    if (n < 2 || n > 6) continue;
    for (const word of words) {
      const padded = `<${word}>`;
      for (let i = 0; i + n <= padded.length; i += 1) terms.push(`#${padded.slice(i, i + n)}`);
    }
  }
  return terms;
}
