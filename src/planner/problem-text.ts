// Splits a problem statement into lower-case words, remembering where each word stands in the text and where clauses break.

/** Longer statements are cut: a plan request is a sentence or two, and the cut bounds the planner's work on hostile input. */
export const MAX_PROBLEM_LENGTH = 4000;

export interface ProblemWords {
  /** The text the offsets point into (the statement, cut at MAX_PROBLEM_LENGTH). */
  readonly text: string;
  /** Lower-case words; `&` stays inside words (ATT&CK), `don't` becomes `do not`, a possessive `'s` is dropped. */
  readonly words: string[];
  readonly starts: number[];
  readonly ends: number[];
  /** True where a clause break (`,` `;` `:` `!` `?` a bracket, a sentence-ending `.`, a dash) comes before the word. */
  readonly breakBefore: boolean[];
}

const IRREGULAR_CONTRACTIONS: Readonly<Record<string, string>> = { ca: 'can', wo: 'will', sha: 'shall' };

/**
 * A hand-written scan rather than a regular expression: it runs once per plan and is the planner's hottest text loop.
 * A word is letters, digits and `&`, with an optional apostrophe part (`don't`, `kira's`). Clause breaks are `, ; : ! ?`,
 * brackets, a dash between spaces, and a `.` that no letter or digit follows (so `feed.txt` and `0.5` stay whole).
 */
export function splitProblem(problem: string): ProblemWords {
  const text = problem.length > MAX_PROBLEM_LENGTH ? problem.slice(0, MAX_PROBLEM_LENGTH) : problem;
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const breakBefore: boolean[] = [];
  let pendingBreak = false;
  const push = (word: string, start: number, end: number, breaks: boolean): void => {
    words.push(word);
    starts.push(start);
    ends.push(end);
    breakBefore.push(breaks);
  };
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (isWordChar(code)) {
      let end = i + 1;
      while (end < length && isWordChar(text.charCodeAt(end))) end++;
      const mark = text.charCodeAt(end);
      if ((mark === APOSTROPHE || mark === RIGHT_QUOTE) && isLetter(text.charCodeAt(end + 1))) {
        end += 2;
        while (end < length && isLetter(text.charCodeAt(end))) end++;
      }
      let word = text.slice(i, end).toLowerCase();
      if (mark === RIGHT_QUOTE) word = word.replace('’', "'");
      if (word.endsWith("'s")) word = word.slice(0, -2);
      if (word.endsWith("n't")) {
        // "don't" is read as "do not", so a negation is found however it is spelt; both words point at the contraction.
        const base = word.slice(0, -3);
        push(IRREGULAR_CONTRACTIONS[base] ?? base, i, end, pendingBreak);
        push('not', i, end, false);
      } else {
        push(word, i, end, pendingBreak);
      }
      pendingBreak = false;
      i = end;
      continue;
    }
    if (BREAKS.includes(code) || (code === FULL_STOP && !isAlphanumeric(text.charCodeAt(i + 1)))) {
      pendingBreak = true;
    } else if (isSpace(code) && DASHES.includes(text.charCodeAt(i + 1))) {
      let after = i + 1;
      while (DASHES.includes(text.charCodeAt(after))) after++;
      if (isSpace(text.charCodeAt(after))) pendingBreak = true;
      i = after;
      continue;
    }
    i++;
  }
  return { text, words, starts, ends, breakBefore };
}

const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;
const FULL_STOP = 46;
/** , ; : ! ? ( ) [ ] */
const BREAKS: readonly number[] = [44, 59, 58, 33, 63, 40, 41, 91, 93];
/** - en dash, em dash */
const DASHES: readonly number[] = [45, 0x2013, 0x2014];

/** The lower-case words of a text, without marks: `Map to MITRE ATT&CK, then export (CSV).` -> map to mitre att&ck then export csv. */
export function tokenize(text: string): string[] {
  return splitProblem(text).words;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAlphanumeric(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57);
}

function isWordChar(code: number): boolean {
  return isAlphanumeric(code) || code === 38;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
