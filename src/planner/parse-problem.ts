// Problem analysis: what the user wants (intents), what they ruled out (exclusions), what they named (explicit requests),
// and what words of theirs were read as others (corrections). The planner's only reader of the problem text.
import type { Capability } from '../model/capability.js';
import { copyJson } from './json-copy.js';
import { outputFormatSchema, type Correction, type Exclusion, type ExplicitRequest, type Intent, type IntentScore, type OutputFormat, type ProblemProfile } from '../model/problem-profile.js';
import { INTENT_THRESHOLD, readIntents } from './classify-intents.js';
import { excludingOutput, exclusionOf } from './exclusions.js';
import { findExplicitRequests } from './explicit-requests.js';

export interface ProblemAnalysis {
  /** Calibrated, best first; negated intents are not among them. */
  readonly intents: IntentScore[];
  readonly excluded: Exclusion[];
  readonly requests: ExplicitRequest[];
  readonly corrections: Correction[];
  /** Capabilities the words asked for by name beyond the intents ("Sigma"), with the words that asked. */
  readonly mentions: readonly { readonly capability: Capability; readonly cue: string }[];
}

/** Problem texts whose analysis is kept: a batch or an MCP client often sends the same problem for many files. */
const REMEMBERED_PROBLEMS = 64;
const analyses = new Map<string, ProblemAnalysis>();

/**
 * The problem's intents, exclusions, explicit requests, corrections and capability mentions. A pure function of the
 * text, so the last analyses are remembered, and each caller gets its own copy: analysing cost ~15 us, the copy ~1 us,
 * of a cached plan's 50 us budget.
 */
export function parseProblem(problem: string): ProblemAnalysis {
  let analysis = analyses.get(problem);
  if (analysis === undefined) {
    analysis = analyseProblem(problem);
    if (analyses.size >= REMEMBERED_PROBLEMS) analyses.delete(analyses.keys().next().value ?? '');
    analyses.set(problem, analysis);
  }
  return copyJson(analysis);
}

function analyseProblem(problem: string): ProblemAnalysis {
  const reading = readIntents(problem);
  // "don't export as JSON" names a format and rules it out: the exclusion wins, and the format is no request.
  const requests = findExplicitRequests(reading.words.text).filter((r) => r.kind !== 'format' || !formatExcluded(r.value, reading.excluded));
  return {
    intents: reading.intents,
    excluded: reading.excluded,
    requests,
    corrections: reading.corrections,
    mentions: reading.mentions,
  };
}

/** What a problem with no recognised intent is planned as; the next in line when the user ruled that out. */
const DEFAULT_INTENTS: readonly Intent[] = ['threat_hunting', 'data_quality', 'statistics'];

export interface ActedIntents {
  /** The intents the plan serves: those at or above the threshold, or one default. */
  readonly acted: IntentScore[];
  readonly primary: Intent;
  /** True when no intent was recognised and `primary` is a default. */
  readonly defaulted: boolean;
}

export function intentsToAct(analysis: Pick<ProblemAnalysis, 'intents' | 'excluded'>): ActedIntents {
  const acted = analysis.intents.filter((i) => i.score >= INTENT_THRESHOLD);
  const first = acted[0];
  if (first !== undefined) return { acted, primary: first.intent, defaulted: false };
  const fallback = DEFAULT_INTENTS.find((intent) => exclusionOf(analysis.excluded, 'intent', intent) === undefined) ?? 'data_quality';
  return { acted: [{ intent: fallback, score: INTENT_THRESHOLD, evidence: [] }], primary: fallback, defaulted: true };
}

/** The data format the problem asks for in passing ("export them as JSON"), if any: the first one named. */
export function preferredFormat(requests: readonly ExplicitRequest[]): OutputFormat | undefined {
  return asOutputFormat(requests.find((r) => r.kind === 'format')?.value);
}

function asOutputFormat(value: string | undefined): OutputFormat | undefined {
  return outputFormatSchema.options.find((f) => f === value);
}

function formatExcluded(value: string, excluded: readonly Exclusion[]): boolean {
  const format = asOutputFormat(value);
  return format !== undefined && excludingOutput({ name: 'data', kind: 'dataset', format }, excluded) !== undefined;
}

/** Feed files named in the problem ("match against feed.txt"), after those given with --feeds, each once. */
export function feedsToMatch(given: readonly string[], requests: readonly ExplicitRequest[]): string[] {
  const feeds = [...given];
  for (const request of requests) if (request.kind === 'feed' && !feeds.includes(request.value)) feeds.push(request.value);
  return feeds;
}

/** Sigma rule files and folders: those given with --rules, then those the problem names ("rules in ./rules"), each once. */
export function sigmaRulesToApply(given: readonly string[], requests: readonly ExplicitRequest[]): string[] {
  const rules = [...given];
  for (const request of requests) if (request.kind === 'rules' && !rules.includes(request.value)) rules.push(request.value);
  return rules;
}

/**
 * The parts of the analysis that change the plan beyond intents and outputs, for the plan's fingerprint (the pattern
 * cache key): two problems that differ only by "no statistics" must not share a plan. Empty parts are left out so that
 * problems without exclusions, requests or constraints keep the fingerprint they had before these existed.
 */
export function fingerprintParts(profile: Pick<ProblemProfile, 'excluded' | 'requests' | 'constraints'>): Record<string, unknown> {
  const parts: Record<string, unknown> = {};
  if (profile.excluded.length > 0) parts['excluded'] = profile.excluded.map((e) => `${e.kind}:${e.what}`).sort();
  if (profile.requests.length > 0) parts['requests'] = profile.requests.map((r) => `${r.kind}:${r.value}`).sort();
  if (Object.keys(profile.constraints).length > 0) parts['constraints'] = profile.constraints;
  return parts;
}
