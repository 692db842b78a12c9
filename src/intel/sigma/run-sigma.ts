// Sigma detection over one event table, shared by analysis.sigma and `cs-helper detect`: load the rules, keep those
// at or above the level threshold, match in the engine, build the detections table.
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { CompiledRule } from './compile-rule.js';
import { DEFAULT_RULE_SOURCES } from './default-rules.js';
import { createDetectionsTable, createRulesTable } from './detections-table.js';
import { loadSigmaRules, type RuleProblem } from './load-rules.js';
import { matchRules, type EventTable, type MatchOutcome } from './match-rules.js';
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
}

export async function runSigma(sql: SqlSession, events: EventTable, options: SigmaRunOptions): Promise<SigmaRun> {
  const paths = options.rules.length > 0 ? options.rules : DEFAULT_RULE_SOURCES;
  const loaded = await loadSigmaRules(paths);
  const threshold = levelRank(options.minLevel);
  const rules = loaded.rules.filter((r) => levelRank(r.level) >= threshold);
  const match = await matchRules(sql, events, rules, options.tableName('sigma_pairs'), options.signal);
  const rulesTable = options.tableName('sigma_rules');
  await createRulesTable(sql, rulesTable, rules, options.signal);
  const detections = options.tableName('sigma_detections');
  await createDetectionsTable(sql, detections, events, match.pairs, rulesTable, options.signal);
  await sql.run(`DROP TABLE ${quoteIdent(match.pairs)}`, [], options.signal);
  await sql.run(`DROP TABLE ${quoteIdent(rulesTable)}`, [], options.signal);
  const detectionCount = Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(detections)}`, [], options.signal));
  return {
    detections,
    detectionCount,
    rulesLoaded: loaded.rules.length,
    rulesBelowLevel: loaded.rules.length - rules.length,
    ruleFiles: loaded.files,
    problems: [...loaded.problems, ...match.problems],
    match,
    rules,
  };
}

export { LEVELS };
