// The shape every findings table shares, so enrichment and reports can read the findings of any analysis step.
import { quoteIdent } from '../data/sql-text.js';
import type { SqlSession } from '../data/sql-session.js';

/**
 * row_id: the dataset row the finding is about (its `rowId`: the position in the input, from 0), or NULL for a finding about the data as a whole (a spike hour).
 * kind: 'ioc' (an indicator matched), 'anomaly' (a pattern or a model stood out) or 'detection' (a Sigma rule fired). label: what the user sees in ioc_matches / anomaly_reasons, e.g. `ip:185.2.3.4`, `outlier:bytes_sent`.
 * score: this finding's contribution to the row's threat score, 0..100. source: the feed or the detector. entity: the value or actor.
 * detail: JSON text with the evidence (counts, z-scores, threat names).
 */
export const FINDINGS_COLUMNS = 'row_id BIGINT, kind VARCHAR, label VARCHAR, score DOUBLE, source VARCHAR, entity VARCHAR, detail VARCHAR';

export const FINDING_KINDS = ['ioc', 'anomaly', 'detection'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export async function createFindingsTable(sql: SqlSession, table: string, signal: AbortSignal): Promise<void> {
  await sql.run(`CREATE TABLE ${quoteIdent(table)} (${FINDINGS_COLUMNS})`, [], signal);
}

/** All findings tables of the inputs as one relation, for a FROM clause. */
export function unionFindings(tables: readonly string[]): string {
  if (tables.length === 0) return `(SELECT * FROM (VALUES (NULL::BIGINT, NULL::VARCHAR, NULL::VARCHAR, NULL::DOUBLE, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR)) AS f(row_id, kind, label, score, source, entity, detail) WHERE false)`;
  return `(${tables.map((t) => `SELECT * FROM ${quoteIdent(t)}`).join(' UNION ALL ')})`;
}
