// Turns (row, rule) pairs into the detections dataset (rule id, title, level, tags, ATT&CK techniques, the source file
// and the matched event as compact JSON) and into findings rows for threat scores. All of it is SQL over the pairs.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import type { RuleHeader } from './compile-rule.js';
import type { EventTable } from './match-rules.js';

/** A detection's contribution to the row's threat score, by rule level. */
export const LEVEL_SCORE: Readonly<Record<string, number>> = { informational: 10, low: 25, medium: 50, high: 75, critical: 95 };

/** Columns the event JSON of a detection leaves out: the engine's own row number. */
const HIDDEN = new Set(['__cs_row']);

export async function createRulesTable(sql: SqlSession, table: string, rules: readonly RuleHeader[], signal: AbortSignal): Promise<void> {
  const raw = `${table}_raw`;
  await sql.run(`CREATE TABLE ${quoteIdent(raw)} (rule_index DOUBLE, rule_id VARCHAR, title VARCHAR, level VARCHAR, status VARCHAR, tags VARCHAR, techniques VARCHAR, rule_file VARCHAR)`, [], signal);
  await sql.append(raw, rules.map((r, i) => [i, r.id, r.title, r.level, r.status, JSON.stringify(r.tags), JSON.stringify(r.attackTechniques), r.source]), signal);
  await sql.run(
    `CREATE TABLE ${quoteIdent(table)} AS SELECT CAST(rule_index AS INTEGER) AS rule_index, rule_id, title, level, status,
       CAST(json_transform(tags, '["VARCHAR"]') AS VARCHAR[]) AS tags, CAST(json_transform(techniques, '["VARCHAR"]') AS VARCHAR[]) AS attack_techniques, rule_file
     FROM ${quoteIdent(raw)}`,
    [],
    signal,
  );
  await sql.run(`DROP TABLE ${quoteIdent(raw)}`, [], signal);
}

/** The detections dataset: one row per (event row, rule), ordered by row then rule. */
export async function createDetectionsTable(sql: SqlSession, table: string, events: EventTable, pairs: string, rulesTable: string, signal: AbortSignal): Promise<void> {
  const visible = events.columns.filter((c) => !HIDDEN.has(c.name) && c.name !== events.rowId);
  const entries = visible.map((c) => `{'k': ${quoteLiteral(c.name)}, 'v': CAST(e.${quoteIdent(c.name)} AS VARCHAR)}`);
  const event = entries.length === 0 ? `'{}'` : `CAST(to_json(map_from_entries(list_filter([${entries.join(', ')}], x -> x.v IS NOT NULL AND x.v <> ''))) AS VARCHAR)`;
  // import.* name each row's file `source_file` when several files are read together.
  const fileColumn = visible.find((c) => c.name === 'source_file' || c.name === 'filename');
  const file = fileColumn === undefined ? 'NULL::VARCHAR' : `CAST(e.${quoteIdent(fileColumn.name)} AS VARCHAR)`;
  await sql.run(
    `CREATE TABLE ${quoteIdent(table)} AS
     SELECT p.row_id, r.rule_id, r.title, r.level, r.tags, r.attack_techniques, r.rule_file, ${file} AS source_file, ${event} AS event
     FROM (SELECT DISTINCT row_id, rule_index FROM ${quoteIdent(pairs)}) p
     JOIN ${quoteIdent(rulesTable)} r USING (rule_index)
     JOIN ${quoteIdent(events.table)} e ON e.${quoteIdent(events.rowId)} = p.row_id
     ORDER BY p.row_id, r.rule_id`,
    [],
    signal,
  );
}

/** Findings rows (the shared findings shape) for the detections at or above a level. */
export async function insertDetectionFindings(sql: SqlSession, findings: string, detections: string, minLevel: readonly string[], signal: AbortSignal): Promise<void> {
  const score = `CASE level ${Object.entries(LEVEL_SCORE).map(([level, value]) => `WHEN ${quoteLiteral(level)} THEN ${String(value)}`).join(' ')} ELSE 50 END`;
  await sql.run(
    `INSERT INTO ${quoteIdent(findings)}
     SELECT row_id, 'detection', 'sigma:' || title, ${score}, 'sigma:' || rule_file, rule_id,
            CAST(json_object('rule_id', rule_id, 'title', title, 'level', level, 'tags', tags, 'attack_techniques', attack_techniques, 'rule_file', rule_file) AS VARCHAR)
     FROM ${quoteIdent(detections)} WHERE level IN (${minLevel.map(quoteLiteral).join(', ')})`,
    [],
    signal,
  );
}
