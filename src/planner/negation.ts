// Finds the stretches of a problem statement that are negated ("no ML", "skip the report", "statistics are not needed").
import { PhraseIndex } from './phrase-index.js';

export interface NegationScope {
  /** The negating words ("don't", "without", "not needed"): `cue` inclusive, `cueEnd` exclusive. */
  readonly cue: number;
  readonly cueEnd: number;
  /** The negated words: `from` inclusive, `to` exclusive. */
  readonly from: number;
  readonly to: number;
}

export interface ClauseWords {
  readonly words: readonly string[];
  readonly breakBefore: readonly boolean[];
}

interface CueRule {
  /** `after`: the negated words follow ("without ML"); `before`: they precede ("ML is not needed"). */
  readonly side: 'after' | 'before';
  /** How many words the scope may reach at most. */
  readonly reach: number;
  /** Words that, just before the cue, make it a description rather than a wish: "rows with no user", "hosts that are not compliant". */
  readonly describedAfter?: ReadonlySet<string>;
}

const WISH: CueRule = { side: 'after', reach: 6 };
const BE_VERBS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'seem', 'seems', 'looks', 'look']);
const HAVING = new Set(['with', 'has', 'have', 'had', 'having', 'contain', 'contains', 'containing', 'there', 'is', 'are', 'was', 'were', 'show', 'shows', 'showing', 'returned', 'found', 'see']);

// Contractions arrive split ("don't" -> do not), so one rule covers both spellings.
const CUES = new PhraseIndex<CueRule>([
  ...['without', 'skip', 'skipping', 'exclude', 'excluding', 'except', 'except for', 'omit', 'omitting', 'avoid', 'leave out', 'leaving out', 'forget about', 'disable'].map((p) => [p, WISH] as const),
  ...['no need for', 'no need to', 'not interested in', 'instead of', 'rather than', 'do not', 'does not', 'did not', 'dont', 'never', 'nor', 'neither', 'not including'].map((p) => [p, WISH] as const),
  ['not', { side: 'after', reach: 6, describedAfter: BE_VERBS }],
  ['no', { side: 'after', reach: 3, describedAfter: HAVING }],
  ...['not needed', 'not required', 'not necessary', 'not wanted', 'not important', 'not relevant', 'unnecessary', 'unneeded', 'irrelevant', 'can be skipped', 'not interested'].map(
    (p) => [p, { side: 'before', reach: 5 }] as const,
  ),
]);

/** The words of the negating phrases, for typo correction ("withou", "exlcude"). */
export const NEGATION_VOCABULARY: ReadonlySet<string> = CUES.vocabulary;

/** After a cue, these turn "don't" into an insistence: "don't forget the report", "not only ... but also". */
const CANCELLERS = new Set(['forget', 'miss', 'overlook', 'neglect', 'fail', 'hesitate', 'only', 'just', 'ignore', 'skip', 'omit', 'exclude', 'leave', 'stop', 'matter', 'more', 'longer', 'less', 'doubt', 'later']);
/** Words that end a negated stretch: what follows is a new wish ("no ML, but enrich", "skip the report then hunt"). */
const CLAUSE_ENDS = new Set(['but', 'then', 'instead', 'rather', 'however', 'though', 'although', 'while', 'yet', 'so', 'just', 'only', 'also', 'please', 'because', 'since', 'until', 'unless', 'except']);
/** A joining word ends the stretch when an action or a subject follows it: "no ML and export CSV", but "no ML and no stats" and "skip the report and the stats" go on. */
const JOINS = new Set(['and', 'plus', '&', 'or']);
const NEW_CLAUSE_STARTS = new Set([
  'export', 'analyze', 'analyse', 'map', 'enrich', 'produce', 'write', 'give', 'check', 'find', 'hunt', 'look', 'show', 'build', 'create',
  'generate', 'run', 'convert', 'classify', 'summarize', 'summarise', 'validate', 'detect', 'flag', 'list', 'investigate', 'match', 'tag',
  'send', 'keep', 'focus', 'use', 'apply', 'make', 'compute', 'count', 'score', 'save', 'output', 'include', 'add', 'prepare', 'i', 'we',
  'you', 'it', 'they', 'please', 'then', 'just', 'only', 'do', 'does', 'let', 'tell', 'search', 'review', 'report', 'identify',
]);

export function findNegations(clause: ClauseWords): NegationScope[] {
  const { words, breakBefore } = clause;
  const scopes: NegationScope[] = [];
  let i = 0;
  while (i < words.length) {
    const match = CUES.longestAt(words, i);
    if (match === undefined) {
      i++;
      continue;
    }
    const rule = match.entry.value;
    const after = i + match.length;
    const previous = i > 0 && breakBefore[i] !== true ? words[i - 1] : undefined;
    const described = previous !== undefined && rule.describedAfter?.has(previous) === true;
    const cancelled = rule.side === 'after' && CANCELLERS.has(words[after] ?? '');
    if (!described && !cancelled) {
      const scope = rule.side === 'after' ? scopeAfter(clause, i, after, rule.reach) : scopeBefore(clause, i, after, rule.reach);
      if (scope.to > scope.from) scopes.push(scope);
    }
    i = after;
  }
  return scopes;
}

function scopeAfter(clause: ClauseWords, cue: number, from: number, reach: number): NegationScope {
  const { words, breakBefore } = clause;
  let to = from;
  while (to < words.length && to - from < reach) {
    if (to > from && breakBefore[to] === true) break;
    const word = words[to] ?? '';
    if (CLAUSE_ENDS.has(word) && to > from) break;
    if (JOINS.has(word) && NEW_CLAUSE_STARTS.has(words[to + 1] ?? '')) break;
    to++;
  }
  return { cue, cueEnd: from, from, to };
}

function scopeBefore(clause: ClauseWords, cue: number, cueEnd: number, reach: number): NegationScope {
  const { words, breakBefore } = clause;
  let from = cue;
  while (from > 0 && cue - from < reach && breakBefore[from] !== true) {
    const word = words[from - 1] ?? '';
    if (CLAUSE_ENDS.has(word) || JOINS.has(word)) break;
    from--;
  }
  return { cue, cueEnd, from, to: cue };
}
