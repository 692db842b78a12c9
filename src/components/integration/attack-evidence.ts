// What integration.attack counts as one detection of a technique: a row, however many findings, entities or sources
// name it for that technique (brute force flags each failed logon once per source address and once per account), or a
// data-wide finding (row_id NULL) from a source that pointed at no row for that technique. A data-wide finding beside
// its own rows is a summary of them: counted too, 50 failed logons scored 102 in the Navigator layer.
import { plainText } from '../../data/plain-value.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';

/**
 * Creates `units` (technique, tactics, basis, unit, data_wide) from the resolved mappings: one row per technique and
 * piece of evidence, `unit` naming the row or the data-wide finding, so count(DISTINCT unit) is the detections.
 */
export async function createEvidenceUnits(sql: SqlSession, resolved: string, units: string, signal: AbortSignal): Promise<void> {
  const from = quoteIdent(resolved);
  await sql.run(
    `CREATE TEMP TABLE ${quoteIdent(units)} AS
     SELECT technique, tactics, basis, 'row ' || row_id AS unit, false AS data_wide FROM ${from} WHERE row_id IS NOT NULL
     UNION ALL
     SELECT technique, tactics, basis, 'data ' || source || chr(31) || coalesce(evidence, ''), true FROM ${from} AS r
     WHERE row_id IS NULL AND NOT EXISTS (SELECT 1 FROM ${from} AS o WHERE o.row_id IS NOT NULL AND o.technique = r.technique AND o.source = r.source)`,
    [],
    signal,
  );
}

/** Detections per tactic shortname: distinct rows and counted data-wide findings over the tactic's techniques. */
export async function tacticDetections(sql: SqlSession, units: string, signal: AbortSignal): Promise<Map<string, number>> {
  const rows = await sql.all(`SELECT tactic, count(DISTINCT unit) AS detections FROM (SELECT unnest(tactics) AS tactic, unit FROM ${quoteIdent(units)}) GROUP BY tactic`, [], signal);
  return new Map(rows.map((r) => [plainText(r['tactic']), Number(r['detections'])]));
}

/** Detections per basis (sigma, text, heuristic), counted as for a technique. */
export async function basisDetections(sql: SqlSession, units: string, signal: AbortSignal): Promise<Record<string, number>> {
  const rows = await sql.all(`SELECT basis, count(DISTINCT unit) AS n FROM ${quoteIdent(units)} GROUP BY basis ORDER BY basis`, [], signal);
  return Object.fromEntries(rows.map((r) => [plainText(r['basis']), Number(r['n'])]));
}
