// Reads a transformation out of the problem statement: "drop duplicates", "keep only rows where bytes > 1000",
// "normalise timestamps to UTC". The condition is the longest run of words after "where" that the expression language
// accepts over the file's columns, so "where bytes > 1000 and export as JSON" filters on `bytes > 1000` only. Nothing
// here runs anything: the condition is parsed, and compiled again by processing.transform at run time.
import { compileExpression } from '../components/processing/expression/compile.js';
import { parseExpression } from '../components/processing/expression/parse.js';
import { isCsHelperError } from '../model/errors/cs-helper-error.js';

export interface TransformRequest {
  /** Parameters for processing.transform. */
  readonly params: { filter?: string; dedupe?: true; normalise_time?: true };
  /** The words that asked, for the plan's reasons: `drop duplicates`, `where bytes > 1000`. */
  readonly cues: readonly string[];
}

/** Longest statement read for a condition; problems are sentences, not programs. */
const MAX_PROBLEM_CHARS = 2_000;
const MAX_CONDITION_WORDS = 40;

const DEDUPE = /\b(?:(?:drop|remove|delete|eliminate|discard|strip|skip|filter out)\s+(?:the\s+|any\s+|all\s+)?(?:exact\s+)?duplicat(?:e|es|ed)\b(?:\s+(?:rows|records|lines|entries|events))?|de-?dup(?:e|licate)(?:\s+(?:the\s+)?(?:rows|records|data|events))?)/i;
const NORMALISE_TIME = /\b(?:(?:normali[sz]e|convert|rewrite|translate)\s+(?:the\s+|all\s+)?(?:timestamps?|times?|dates?)(?:\s+\w+){0,2}\s+(?:to|in|into|as)\s+utc|(?:timestamps?|times?)\s+(?:to|in|into)\s+utc)\b/i;
const CONDITION = /\b(?:rows|records|events|lines|entries|connections|requests|data)\s+(?:where|with|whose|that have|having)\s+|\bwhere\s+|\bfilter(?:ed)?\s+(?:on|by|to|for)\s+/i;

export function readTransformRequest(problem: string, columns: readonly string[]): TransformRequest | null {
  const text = problem.slice(0, MAX_PROBLEM_CHARS);
  const params: { filter?: string; dedupe?: true; normalise_time?: true } = {};
  const cues: string[] = [];
  const dedupe = DEDUPE.exec(text);
  if (dedupe !== null) {
    params.dedupe = true;
    cues.push(dedupe[0]);
  }
  const time = NORMALISE_TIME.exec(text);
  if (time !== null) {
    params.normalise_time = true;
    cues.push(time[0]);
  }
  const condition = CONDITION.exec(text);
  if (condition !== null) {
    const filter = longestCondition(text.slice(condition.index + condition[0].length), columns);
    if (filter !== null) {
      params.filter = filter;
      cues.push(`${condition[0].trim()} ${filter}`);
    }
  }
  return cues.length === 0 ? null : { params, cues };
}

/**
 * The longest prefix of the words that is a valid condition, trailing punctuation dropped. With the file's columns
 * known, every name must be one of them ("where bytes > 1000 and then ..." stops before "and then"); unknown columns
 * (a file the planner could not profile) leave the check to the run.
 */
function longestCondition(tail: string, columns: readonly string[]): string | null {
  const words = tail.split(/\s+/).filter((w) => w !== '').slice(0, MAX_CONDITION_WORDS);
  for (let n = words.length; n > 0; n -= 1) {
    const candidate = words.slice(0, n).join(' ').replace(/[.,;:!?]+$/, '');
    if (candidate === '' || !/[<>=]|\b(?:in|like|between|is)\b/i.test(candidate)) continue;
    try {
      if (columns.length > 0) compileExpression(candidate, columns, 'filter');
      else parseExpression(candidate, 'filter');
      return candidate;
    } catch (error) {
      if (!isCsHelperError(error)) throw error;
    }
  }
  return null;
}
