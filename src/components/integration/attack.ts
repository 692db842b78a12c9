// integration.attack: maps findings and the data to MITRE ATT&CK techniques and tactics. Sources, strongest first: the
// ATT&CK tags of Sigma detections, technique ids written in text columns, and documented heuristics for pattern findings
// (src/intel/attack/finding-heuristics.ts). Every id is checked against the shipped catalogue; a revoked or deprecated
// id counts for its replacement when the catalogue knows one. Adds `attack_techniques` and `attack_tactics` (lists) to
// every row, and summarises per technique and per tactic for the report and the Navigator layer.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { SemanticRole } from '../../model/semantic-role.js';
import { ROW_ID_COLUMN, type DatasetHandle } from '../../model/dataset.js';
import { plainText, type PlainValue } from '../../data/plain-value.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { shippedAttackCatalogue, type AttackCatalogue } from '../../intel/attack/attack-catalogue.js';
import { defineComponent } from '../component.js';
import { unionFindings } from '../findings-table.js';
import { requireDataset } from '../inputs.js';
import { basisDetections, createEvidenceUnits, tacticDetections } from './attack-evidence.js';
import { insertHeuristics, insertSigmaTags, insertTextMentions, MAPPING_COLUMNS } from './attack-sources.js';

export const ATTACK_COLUMNS = ['attack_techniques', 'attack_tactics'] as const;
/** Columns that can hold a written technique id: free text, command lines, labels, ids; not addresses, names or numbers. */
const TEXT_ROLES: ReadonlySet<SemanticRole | null> = new Set<SemanticRole | null>([null, 'text', 'category', 'label', 'identifier', 'process']);

export const attackParams = z.object({
  sigma_tags: z.boolean().default(true).describe('Map Sigma detections through their rule\'s ATT&CK tags (confidence 0.9)'),
  text_ids: z.boolean().default(true).describe('Map technique ids written in text columns, e.g. an alert\'s technique field (confidence 0.6)'),
  heuristics: z.boolean().default(true).describe('Map pattern findings by the documented heuristics: brute force T1110, port scan T1046, beaconing T1071/T1573'),
  min_confidence: z.number().min(0).max(1).default(0).describe('Drop mappings below this confidence'),
});

export const attackMapping = defineComponent({
  id: 'integration.attack',
  // 2: detections count distinct rows (and data-wide findings without rows), not every finding per row and entity.
  version: '2',
  type: ComponentType.INTEGRATION,
  complexity: Complexity.MODERATE,
  title: 'MITRE ATT&CK Mapping',
  description: 'Maps detections and findings to MITRE ATT&CK Enterprise techniques and tactics (v18.1 catalogue shipped): Sigma rule tags, technique ids in the data, and documented heuristics for brute force, port scans and beaconing, each with a confidence. Adds attack_techniques and attack_tactics to every row and counts per tactic. Choose it for ATT&CK/MITRE mapping or a Navigator layer.',
  capabilities: [Capability.attackMapping],
  consumes: ['dataset', 'findings'],
  produces: ['dataset', 'summary'],
  // After enrichment (30), so the mapped dataset keeps the threat columns; before exports (90).
  order: 40,
  params: attackParams,
  // The copy of the rows dominates, as in processing.enrich; the regex scan of text columns adds about as much again.
  estimateMs: ({ rows, columns }) => 80 + (rows * Math.max(columns, 1)) / 8_000,
  async run(context, inputs, params) {
    const { sql, signal } = context;
    const dataset = requireDataset(inputs, 'integration.attack');
    const catalogue = shippedAttackCatalogue();
    const findings = unionFindings(inputs.findings.map((f) => f.table));
    const userColumns = dataset.columns.filter((c) => !(ATTACK_COLUMNS as readonly string[]).includes(c.name));

    const mapping = context.tableName('attack_map');
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(mapping)} (${MAPPING_COLUMNS})`, [], signal);
    if (params.sigma_tags) await insertSigmaTags(sql, mapping, findings, signal);
    context.progress(0.2, 'sigma tags mapped');
    const textColumns = params.text_ids ? userColumns.filter((c) => c.sqlType === 'VARCHAR' && TEXT_ROLES.has(c.role)) : [];
    await insertTextMentions(sql, mapping, dataset, textColumns, signal);
    context.progress(0.5, 'text columns scanned');
    if (params.heuristics) await insertHeuristics(sql, mapping, findings, signal);

    const known = context.tableName('attack_catalogue');
    await loadCatalogueTable(sql, known, catalogue, signal);
    const resolved = context.tableName('attack_resolved');
    // Distinct on the evidence: a rule's attack_techniques and its tags name the same id twice for one detection.
    await sql.run(
      `CREATE TEMP TABLE ${quoteIdent(resolved)} AS
       SELECT m.row_id, k.target AS technique, string_split(k.tactics, ';') AS tactics, max(m.confidence) AS confidence, m.source, m.basis, m.evidence
       FROM ${quoteIdent(mapping)} m JOIN ${quoteIdent(known)} k ON k.id = m.technique
       WHERE m.confidence >= $1
       GROUP BY m.row_id, k.target, k.tactics, m.source, m.basis, m.evidence`,
      [params.min_confidence],
      signal,
    );
    const unknownIds = await sql.all(`SELECT DISTINCT technique FROM ${quoteIdent(mapping)} WHERE technique NOT IN (SELECT id FROM ${quoteIdent(known)}) ORDER BY 1 LIMIT 20`, [], signal);
    context.progress(0.6, 'ids checked against the catalogue');

    const table = context.tableName('attack_mapped');
    await writeMappedRows(sql, table, dataset, userColumns.map((c) => c.name), resolved, signal);
    const mapped = await context.describe(table, dataset.sources);

    const units = context.tableName('attack_units');
    await createEvidenceUnits(sql, resolved, units, signal);
    const techniques = await techniqueSummary(sql, resolved, units, catalogue, signal);
    const byTactic = tacticSummary(catalogue, techniques, await tacticDetections(sql, units, signal));
    const bySource = await basisDetections(sql, units, signal);
    const rowsMapped = Number(await sql.scalar(`SELECT count(DISTINCT row_id) FROM ${quoteIdent(resolved)}`, [], signal));
    for (const name of [mapping, known, resolved, units]) await sql.run(`DROP TABLE ${quoteIdent(name)}`, [], signal);
    context.log.dataOperation({ operation: 'transform', target: table, rows: mapped.rowCount, columns: [...ATTACK_COLUMNS], detail: { techniques: techniques.length, rows_mapped: rowsMapped } });
    return {
      dataset: mapped,
      summary: {
        attack_version: catalogue.attackVersion,
        domain: catalogue.domain,
        rows_mapped: rowsMapped,
        techniques: techniques.map((t) => ({ ...t })),
        by_tactic: byTactic.map((t) => ({ ...t })),
        by_source: bySource,
        unknown_ids: unknownIds.map((r) => plainText(r['technique'])),
      },
      rowsIn: dataset.rowCount,
      rowsOut: mapped.rowCount,
      message: `${rowsMapped.toLocaleString('en-US')} of ${mapped.rowCount.toLocaleString('en-US')} rows mapped to ${techniques.length} ATT&CK techniques in ${byTactic.filter((t) => t.techniques > 0).length} tactics`,
    };
  },
});

/** Every catalogue id with the technique it counts for (its replacement when revoked or deprecated) and that one's tactics. */
async function loadCatalogueTable(sql: SqlSession, table: string, catalogue: AttackCatalogue, signal: AbortSignal): Promise<void> {
  await sql.run(`CREATE TEMP TABLE ${quoteIdent(table)} (id VARCHAR, target VARCHAR, tactics VARCHAR)`, [], signal);
  const rows: string[][] = [];
  for (const technique of catalogue.techniques()) {
    const replacement = technique.replaced_by?.length === 1 ? catalogue.technique(technique.replaced_by[0] ?? '') : undefined;
    const target = replacement ?? technique;
    rows.push([technique.id, target.id, target.tactics.join(';')]);
  }
  await sql.append(table, rows, signal);
}

/**
 * The mapped copy of the dataset: a projection with empty text columns, an update of the mapped rows, then the text
 * becomes lists; the same three cheap statements as processing.enrich, so rows keep their order without a sort.
 * A view's hidden row column is carried over, so findings keep pointing at the rows they were made for.
 */
async function writeMappedRows(sql: SqlSession, table: string, source: DatasetHandle, columns: readonly string[], resolved: string, signal: AbortSignal): Promise<void> {
  const hidden = source.rowId === 'rowid' ? [] : [`${quoteIdent(source.rowId)} AS ${quoteIdent(ROW_ID_COLUMN)}`];
  const key = source.rowId === 'rowid' ? 'rowid' : quoteIdent(ROW_ID_COLUMN);
  await sql.run(
    `CREATE TABLE ${quoteIdent(table)} AS SELECT ${[...columns.map((c) => quoteIdent(c)), "'' AS attack_techniques", "'' AS attack_tactics", ...hidden].join(', ')} FROM ${quoteIdent(source.table)}`,
    [],
    signal,
  );
  await sql.run(
    `UPDATE ${quoteIdent(table)} AS d SET attack_techniques = r.techniques, attack_tactics = r.tactics
     FROM (SELECT row_id, array_to_string(list(DISTINCT technique ORDER BY technique), chr(31)) AS techniques,
                  array_to_string(list_sort(list_distinct(flatten(list(tactics)))), chr(31)) AS tactics
           FROM ${quoteIdent(resolved)} WHERE row_id IS NOT NULL GROUP BY row_id) AS r
     WHERE d.${key} = r.row_id`,
    [],
    signal,
  );
  for (const column of ATTACK_COLUMNS) {
    await sql.run(
      `ALTER TABLE ${quoteIdent(table)} ALTER COLUMN ${column} SET DATA TYPE VARCHAR[] USING CASE WHEN ${column} = '' THEN []::VARCHAR[] ELSE string_split(${column}, chr(31)) END`,
      [],
      signal,
    );
  }
}

export interface TechniqueCount {
  readonly id: string;
  readonly name: string;
  readonly tactics: string[];
  /** Distinct rows, plus data-wide findings from sources that named no row for it (attack-evidence.ts). */
  readonly detections: number;
  readonly rows: number;
  /** The data-wide findings among the detections: `detections` is `rows` plus these. */
  readonly data_findings: number;
  readonly confidence: number;
  readonly sources: string[];
  readonly [key: string]: PlainValue;
}

async function techniqueSummary(sql: SqlSession, resolved: string, units: string, catalogue: AttackCatalogue, signal: AbortSignal): Promise<TechniqueCount[]> {
  const rows = await sql.all(
    `SELECT r.technique, u.detections, u.data_findings, r.rows, r.confidence, r.sources
     FROM (SELECT technique, count(DISTINCT row_id) AS rows, max(confidence) AS confidence, list(DISTINCT source ORDER BY source) AS sources
           FROM ${quoteIdent(resolved)} GROUP BY technique) AS r
     JOIN (SELECT technique, count(DISTINCT unit) AS detections, count(DISTINCT unit) FILTER (WHERE data_wide) AS data_findings
           FROM ${quoteIdent(units)} GROUP BY technique) AS u USING (technique)
     ORDER BY u.detections DESC, r.technique`,
    [],
    signal,
  );
  return rows.map((r) => {
    const technique = catalogue.technique(plainText(r['technique']));
    const sources = r['sources'];
    return {
      id: plainText(r['technique']),
      name: technique?.name ?? '',
      tactics: [...(technique?.tactics ?? [])],
      detections: Number(r['detections']),
      rows: Number(r['rows']),
      data_findings: Number(r['data_findings']),
      confidence: Math.round(Number(r['confidence']) * 100) / 100,
      sources: Array.isArray(sources) ? sources.map((s) => plainText(s)) : [],
    };
  });
}

export interface TacticCount {
  readonly id: string;
  readonly tactic: string;
  readonly name: string;
  readonly techniques: number;
  readonly detections: number;
  readonly [key: string]: PlainValue;
}

/**
 * Per tactic in the matrix's order: how many mapped techniques fall in it and its detections, a row counted once
 * however many of the tactic's techniques it shows (a beacon is T1071 and T1573, both command and control).
 */
function tacticSummary(catalogue: AttackCatalogue, techniques: readonly TechniqueCount[], detections: ReadonlyMap<string, number>): TacticCount[] {
  return catalogue.tactics.map((tactic) => {
    const inTactic = techniques.filter((t) => t.tactics.includes(tactic.shortname));
    return { id: tactic.id, tactic: tactic.shortname, name: tactic.name, techniques: inTactic.length, detections: detections.get(tactic.shortname) ?? 0 };
  });
}
