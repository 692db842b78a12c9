// The three ways integration.attack finds techniques, each an INSERT into the step's mapping table
// (row_id, technique, confidence, source, basis, evidence): Sigma tags of detections, ids written in text columns, and
// the documented heuristics for pattern findings. Ids are raw here; attack.ts checks them against the catalogue.
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { FINDING_HEURISTICS, SIGMA_TAG_CONFIDENCE, TEXT_MENTION_CONFIDENCE } from '../../intel/attack/finding-heuristics.js';
import { MAX_TEXT_SCANNED } from '../../intel/attack/technique-id.js';

export const MAPPING_COLUMNS = 'row_id BIGINT, technique VARCHAR, confidence DOUBLE, source VARCHAR, basis VARCHAR, evidence VARCHAR';

/** RE2 (DuckDB's engine): linear time, word-bounded so `T12345` and `xT1059` are not ids. */
const TECHNIQUE_IN_TEXT = String.raw`\b[Tt][0-9]{4}(?:\.[0-9]{3})?\b`;

/**
 * Sigma detections (kind 'detection'): the technique ids the rule engine put in `attack_techniques`, and the rule's
 * `attack.tNNNN` tags (tactic tags such as `attack.execution` are not techniques and are skipped). Evidence JSON that is
 * invalid or of another shape yields nothing rather than failing the step.
 */
export async function insertSigmaTags(sql: SqlSession, mapping: string, findings: string, signal: AbortSignal): Promise<void> {
  await sql.run(
    `INSERT INTO ${quoteIdent(mapping)}
     SELECT row_id, upper(regexp_replace(tag, '^attack\\.', '', 'i')), ${SIGMA_TAG_CONFIDENCE}, 'sigma:' || coalesce(rule, label, '?'), 'sigma', coalesce(rule, label)
     FROM (
       SELECT row_id, label, json_extract_string(detail, '$.rule_id') AS rule,
              unnest(list_concat(coalesce(try_cast(json_extract(detail, '$.attack_techniques') AS VARCHAR[]), []),
                                 coalesce(try_cast(json_extract(detail, '$.tags') AS VARCHAR[]), []))) AS tag
       FROM ${findings} AS f WHERE kind = 'detection' AND json_valid(detail))
     WHERE regexp_full_match(tag, '(?i)(attack\\.)?t[0-9]{4}(\\.[0-9]{3})?')`,
    [],
    signal,
  );
}

/**
 * Technique ids written in the data's text columns; the first 64 KiB of a cell are read (ids sit in short fields).
 * One pass over the table: a row is kept only when its text columns, joined, hold something id-shaped (few rows do),
 * and only those rows are split per column to say where the id was written.
 */
export async function insertTextMentions(sql: SqlSession, mapping: string, dataset: DatasetHandle, columns: readonly DatasetColumn[], signal: AbortSignal): Promise<void> {
  if (columns.length === 0) return;
  const cells = columns.map((c) => `left(${quoteIdent(c.name)}, ${MAX_TEXT_SCANNED})`);
  const pattern = quoteLiteral(TECHNIQUE_IN_TEXT);
  await sql.run(
    `INSERT INTO ${quoteIdent(mapping)}
     SELECT row_id, upper(id), ${TEXT_MENTION_CONFIDENCE}, 'text:' || name, 'text', name
     FROM (SELECT row_id, name, unnest(regexp_extract_all(cell, ${pattern})) AS id
           FROM (SELECT row_id, unnest([${columns.map((c) => quoteLiteral(c.name)).join(', ')}]) AS name, unnest([${cells.join(', ')}]) AS cell
                 FROM (SELECT ${quoteIdent(dataset.rowId)} AS row_id, ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(dataset.table)}
                       WHERE regexp_matches(concat_ws(chr(31), ${cells.join(', ')}), ${pattern}))))`,
    [],
    signal,
  );
}

/** Pattern findings (kind 'anomaly') whose label prefix has a rule in FINDING_HEURISTICS; data-wide findings keep row_id NULL. */
export async function insertHeuristics(sql: SqlSession, mapping: string, findings: string, signal: AbortSignal): Promise<void> {
  const rules = FINDING_HEURISTICS.map((h) => `(${quoteLiteral(h.pattern)}, ${quoteLiteral(h.technique)}, ${h.confidence})`).join(', ');
  await sql.run(
    `INSERT INTO ${quoteIdent(mapping)}
     SELECT f.row_id, h.technique, h.confidence, 'heuristic:' || h.pattern, 'heuristic', f.label || coalesce(' ' || f.entity, '')
     FROM ${findings} AS f JOIN (VALUES ${rules}) AS h(pattern, technique, confidence) ON split_part(f.label, ':', 1) = h.pattern
     WHERE f.kind = 'anomaly'`,
    [],
    signal,
  );
}
