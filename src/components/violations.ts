// Validation problems travel as findings of kind `violation` (the findings port, one table shape for every step), so
// the engine, the result cache and the exports carry them unchanged; threat scoring and the findings output leave them out.
import type { DuckDBValue } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../data/sql-text.js';
import { unionFindings } from './findings-table.js';

export const VIOLATION_KIND = 'violation';

export type Severity = 'error' | 'warning' | 'info';

/** Longest value text kept in a violation: enough to recognise it, never a 100 MB field copied around. */
export const VIOLATION_VALUE_CHARS = 500;

export interface ViolationInsert {
  /** The findings table to append to. */
  readonly target: string;
  /** The component that found it: `validation.rules`. */
  readonly source: string;
  /** The rule, schema keyword or quality problem: `bytes_limit`, `dst_port.maximum`, `mixed_type`. */
  readonly rule: string;
  readonly column: string | null;
  readonly severity: Severity;
  /** SQL text of the message (usually `?` with the message bound), evaluated per row. */
  readonly message: string;
  readonly messageParams?: readonly DuckDBValue[];
  /** SQL for the offending value, or null; like `rowId` and `from`, it takes no parameters. */
  readonly value: string | null;
  /** SQL for the row id, over the FROM relation. */
  readonly rowId: string;
  /** The FROM relation and the WHERE condition, with their parameters in text order. */
  readonly from: string;
  readonly where: string;
  readonly whereParams?: readonly DuckDBValue[];
  readonly limit: number;
}

/** An INSERT of the offending rows of one check into a findings table, at most `limit` of them, in row order. */
export function insertViolationsSql(v: ViolationInsert): { sql: string; params: DuckDBValue[] } {
  const value = v.value === null ? 'NULL::VARCHAR' : `left(CAST(${v.value} AS VARCHAR), ${VIOLATION_VALUE_CHARS})`;
  const text = `INSERT INTO ${quoteIdent(v.target)}
    SELECT ${v.rowId}, '${VIOLATION_KIND}', ?, 0, ?, ${value}, json_object('column', ?::VARCHAR, 'severity', ?, 'message', ${v.message})
    FROM ${v.from} WHERE ${v.where} ORDER BY ${v.rowId} LIMIT ${Math.max(0, Math.floor(v.limit))}`;
  return { sql: text, params: [v.rule, v.source, v.column, v.severity, ...(v.messageParams ?? []), ...(v.whereParams ?? [])] };
}

/** One violation about the data as a whole (a column the schema requires is missing): no row. */
export function datasetViolationSql(target: string, v: { source: string; rule: string; column: string | null; severity: Severity; message: string }): { sql: string; params: DuckDBValue[] } {
  return {
    sql: `INSERT INTO ${quoteIdent(target)} VALUES (NULL, '${VIOLATION_KIND}', ?, 0, ?, NULL, json_object('column', ?::VARCHAR, 'severity', ?, 'message', ?))`,
    params: [v.rule, v.source, v.column, v.severity, v.message],
  };
}

/**
 * The violations of the findings tables as the rows an analyst reads and exports: `row` counts data rows from 1 (as
 * the reports do; empty for a problem of the whole data), `check` is the step (quality, schema, rules).
 */
export function violationsRelation(tables: readonly string[], sources: readonly string[] = []): string {
  const only = sources.length === 0 ? '' : ` AND source IN (${sources.map(quoteLiteral).join(', ')})`;
  return `(SELECT row_id + 1 AS "row", replace(source, 'validation.', '') AS "check", label AS rule,
      json_extract_string(detail, '$.column') AS "column", json_extract_string(detail, '$.severity') AS severity,
      entity AS value, json_extract_string(detail, '$.message') AS message
    FROM ${unionFindings(tables)} AS f WHERE kind = '${VIOLATION_KIND}'${only})`;
}

/** Findings other than violations: what threat scoring and the findings output read. */
export function threatFindingsRelation(tables: readonly string[]): string {
  return `(SELECT * FROM ${unionFindings(tables)} AS f WHERE kind <> '${VIOLATION_KIND}')`;
}
