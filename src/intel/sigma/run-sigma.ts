// Sigma detection over one event table, shared by analysis.sigma and `cs-helper detect`: load the rules, take the
// events of the filters out of the rules they name, keep the rules at or above the level threshold (and what a kept
// correlation needs, down its chain), match in the engine, run the correlation rules over the matches, build the
// detections table.
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { CompiledRule } from './compile-rule.js';
import { DEFAULT_RULE_SOURCES } from './default-rules.js';
import { applyFilters } from './filter-rule.js';
import { createDetectionsTable, createRulesTable } from './detections-table.js';
import type { CompiledCorrelation } from './correlation.js';
import { loadSigmaRules, type RuleProblem } from './load-rules.js';
import { matchRules, type EventTable, type MatchOutcome } from './match-rules.js';
import { resolveCorrelated, runCorrelations } from './run-correlations.js';
import { LEVELS, levelRank, type SigmaLevel } from './sigma-rule.js';

export interface SigmaRunOptions {
  /** Rule files and folders; empty: the shipped rules (SigmaHQ's and CS Helper's own). */
  readonly rules: readonly { absolute: string; display: string }[];
  readonly minLevel: SigmaLevel;
  /** Names for the tables this run creates. */
  tableName(prefix: string): string;
  readonly signal: AbortSignal;
}

export interface SigmaRun {
  readonly detections: string;
  readonly detectionCount: number;
  readonly rulesLoaded: number;
  readonly rulesBelowLevel: number;
  readonly ruleFiles: number;
  /** Rules that could not be loaded or compiled, or failed in the engine: each names the rule and the construct. */
  readonly problems: readonly RuleProblem[];
  readonly match: MatchOutcome;
  readonly rules: readonly CompiledRule[];
  readonly correlations: readonly CompiledCorrelation[];
  /** Correlation rules that ran over the events (one whose rules matched too little to fire is skipped, not counted). */
  readonly correlationsApplied: number;
  /** How correlations were counted, where the specification asks to say so. */
  readonly correlationNotes: readonly RuleProblem[];
  /** (filter, rule) pairs applied: events of the filter taken out of the rule's detections. */
  readonly filtersApplied: number;
}

export async function runSigma(sql: SqlSession, events: EventTable, options: SigmaRunOptions): Promise<SigmaRun> {
  const paths = options.rules.length > 0 ? options.rules : DEFAULT_RULE_SOURCES;
  let loaded = await loadSigmaRules(paths);
  // Filters alone tune the shipped rules: paths that hold filters and no rule keep the default set, filtered.
  if (options.rules.length > 0 && loaded.rules.length + loaded.correlations.length === 0 && loaded.filters.length > 0) {
    const shipped = await loadSigmaRules(DEFAULT_RULE_SOURCES);
    loaded = { ...shipped, filters: loaded.filters, problems: [...loaded.problems, ...shipped.problems], files: loaded.files + shipped.files };
  }
  const filtered = applyFilters(loaded.rules, loaded.filters, loaded.correlations);
  const threshold = levelRank(options.minLevel);
  const atLevel = (r: { readonly level: SigmaLevel }): boolean => levelRank(r.level) >= threshold;
  // A kept correlation needs the rules and correlations it names matched, whatever their own level, and so on down a
  // chain; those below the level report nothing themselves.
  const neededRules = new Set<number>();
  const neededCorrelations = new Set<number>();
  const pending = loaded.correlations.flatMap((c, j) => (atLevel(c) ? [j] : []));
  for (let j = pending.pop(); j !== undefined; j = pending.pop()) {
    const correlation = loaded.correlations[j];
    if (correlation === undefined || neededCorrelations.has(j)) continue;
    neededCorrelations.add(j);
    const resolved = resolveCorrelated(correlation, filtered.rules, loaded.correlations);
    if (!('indexes' in resolved)) continue;
    for (const index of resolved.indexes) {
      if (index < filtered.rules.length) neededRules.add(index);
      else pending.push(index - filtered.rules.length);
    }
  }
  const correlations = loaded.correlations.filter((_, j) => neededCorrelations.has(j));
  const rules = filtered.rules.filter((r, i) => atLevel(r) || neededRules.has(i));
  const match = await matchRules(sql, events, rules, options.tableName('sigma_pairs'), options.signal);
  const correlated = await runCorrelations(sql, events, rules, correlations, match.pairs, options.signal);
  // What a correlation names reports its own detections only where a correlation says `generate: true` (the
  // specification's default is the correlation alone), and what is kept only for a correlation never does.
  const generates = new Map<number, boolean>();
  for (const c of correlations) {
    const resolved = resolveCorrelated(c, rules, correlations);
    if ('indexes' in resolved) for (const index of resolved.indexes) generates.set(index, (generates.get(index) ?? false) || c.generate);
  }
  const silent = [...rules, ...correlations].flatMap((rule, index) => (!atLevel(rule) || generates.get(index) === false ? [index] : []));
  if (silent.length > 0) await sql.run(`DELETE FROM ${quoteIdent(match.pairs)} WHERE rule_index IN (${silent.join(', ')})`, [], options.signal);
  const rulesTable = options.tableName('sigma_rules');
  await createRulesTable(sql, rulesTable, [...rules, ...correlations], options.signal);
  const detections = options.tableName('sigma_detections');
  await createDetectionsTable(sql, detections, events, match.pairs, rulesTable, options.signal);
  await sql.run(`DROP TABLE ${quoteIdent(match.pairs)}`, [], options.signal);
  await sql.run(`DROP TABLE ${quoteIdent(rulesTable)}`, [], options.signal);
  const detectionCount = Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(detections)}`, [], options.signal));
  return {
    detections,
    detectionCount,
    rulesLoaded: loaded.rules.length + loaded.correlations.length,
    rulesBelowLevel: [...loaded.rules, ...loaded.correlations].filter((r) => !atLevel(r)).length,
    ruleFiles: loaded.files,
    problems: [...loaded.problems, ...filtered.problems, ...match.problems, ...correlated.problems],
    match,
    rules,
    correlations,
    correlationsApplied: correlated.applied,
    correlationNotes: correlated.notes,
    filtersApplied: filtered.applied,
  };
}

export { LEVELS };
