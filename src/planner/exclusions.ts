// What the user negated, as exclusions quoting their words, and whether an exclusion takes out an intent, capability or output.
import type { Exclusion, RequestedOutput } from '../model/problem-profile.js';
import { EXCLUSION_LEXICON } from './exclusion-lexicon.js';
import type { NegationScope } from './negation.js';
import type { ProblemWords } from './problem-text.js';

const MAX_QUOTE = 80;
const SPACES = /\s+/g;

/** The exclusions named inside negated stretches, each once, in the order the user wrote them. */
export function findExclusions(problem: ProblemWords, words: readonly string[], scopes: readonly NegationScope[]): Exclusion[] {
  const excluded: Exclusion[] = [];
  for (const scope of scopes) {
    let i = scope.from;
    while (i < scope.to) {
      const match = EXCLUSION_LEXICON.longestAt(words, i);
      if (match === undefined || i + match.length > scope.to) {
        i++;
        continue;
      }
      const because = `negated: "${quote(problem, scope, i, i + match.length)}"`;
      for (const target of match.entry.value) {
        if (!excluded.some((e) => e.kind === target.kind && e.what === target.what)) excluded.push({ kind: target.kind, what: target.what, because });
      }
      i += match.length;
    }
  }
  return excluded;
}

/** The user's words from the negation to the negated phrase ("no ML", "statistics are not needed"). */
function quote(problem: ProblemWords, scope: NegationScope, from: number, to: number): string {
  const first = Math.min(scope.cue, from);
  const last = Math.max(scope.cueEnd, to) - 1;
  const text = problem.text.slice(problem.starts[first] ?? 0, problem.ends[last] ?? problem.text.length).replace(SPACES, ' ');
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
}

export function exclusionOf(excluded: readonly Exclusion[], kind: Exclusion['kind'], what: string): Exclusion | undefined {
  return excluded.find((e) => e.kind === kind && e.what === what);
}

/**
 * The exclusion that takes out an output, if any. `output:json` covers JSON Lines too (JSON is JSON to most people);
 * `output:report` and `output:findings` are kinds; `output:enriched_data` is every output whose name starts with "enriched".
 */
export function excludingOutput(output: Pick<RequestedOutput, 'name' | 'kind' | 'format'>, excluded: readonly Exclusion[]): Exclusion | undefined {
  return excluded.find((e) => {
    if (e.kind !== 'output') return false;
    const selector = e.what.slice('output:'.length);
    switch (selector) {
      case 'json':
        return output.format === 'json' || output.format === 'jsonl';
      case 'jsonl':
      case 'csv':
      case 'md':
      case 'html':
        return output.format === selector;
      case 'report':
      case 'findings':
        return output.kind === selector;
      case 'enriched_data':
        return output.kind === 'dataset' && output.name.toLowerCase().startsWith('enriched');
      default:
        return output.name.toLowerCase() === selector;
    }
  });
}
