// Everything a report shows, gathered once from the engine and the earlier steps' summaries; renderers only format it.
import type { DatasetColumn } from '../../model/dataset.js';
import type { StepResult } from '../../model/run-result.js';
import type { UnavailableCapability } from '../../model/workflow-plan.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { PlainRow } from '../../data/sql-session.js';
import { plainText, type PlainValue } from '../../data/plain-value.js';
import type { ComponentContext, ComponentInputs } from '../component.js';
import { unionFindings } from '../findings-table.js';
import { findAttackSummary, type AttackSummary } from '../integration/attack-summary.js';
import { outputFileNameSchema } from './output-file.js';
import { entitySeries, tacticSeries, timelineSeries, type EntityColumn, type TacticCount, type Timeline } from './report-series.js';

export interface ReportModel {
  readonly problem: string;
  readonly files: readonly string[];
  readonly rows: number;
  readonly elapsedMs: number;
  readonly confidence: { score: number; reasons: readonly string[] };
  readonly byLevel: Readonly<Record<string, number>> | null;
  readonly topColumns: readonly string[];
  readonly topRows: readonly PlainRow[];
  readonly iocHits: readonly PlainRow[];
  readonly anomalies: readonly PlainRow[];
  /** Sigma detections by rule: title, level, rows, techniques, most severe first. */
  readonly detections: readonly PlainRow[];
  readonly datasetFindings: readonly PlainRow[];
  readonly summaries: Readonly<Record<string, Readonly<Record<string, PlainValue>>>>;
  readonly steps: readonly StepResult[];
  readonly stages: readonly { index: number; mode: string; nodes: readonly string[] }[];
  readonly components: Readonly<Record<string, string>>;
  readonly unavailable: readonly UnavailableCapability[];
  readonly runId: string;
  readonly sessionId: string | null;
  /** Events and flagged rows per time bucket; null without a timestamp column. */
  readonly timeline: Timeline | null;
  /** Top addresses, users and hosts by rows and by threat score. */
  readonly entities: readonly EntityColumn[];
  /** Rows per ATT&CK tactic (from attack_tactics), most first. */
  readonly tactics: readonly TacticCount[];
  /** The ATT&CK mapping's summary, when integration.attack ran before. */
  readonly attack: AttackSummary | null;
  /** The other files this run writes into the same folder, for relative links: the full data lives there. */
  readonly exports: readonly ExportLink[];
  /** Distinct rows with at least one indicator hit, and with at least one anomaly. */
  readonly iocRows: number;
  readonly anomalyRows: number;
}

export interface ExportLink {
  readonly output: string;
  readonly file: string;
  readonly format: string;
}

/** Exports whose files a report links to: data and layers, not other reports. */
const LINKED_EXPORTS = new Set(['export.csv', 'export.json', 'export.navigator']);

const THREAT_COLUMNS = ['threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons'];
const CONTEXT_ROLES = ['timestamp', 'ip', 'user', 'hostname', 'domain', 'url', 'hash', 'port'];

export async function buildReportModel(context: ComponentContext, inputs: ComponentInputs, top: number): Promise<ReportModel> {
  const dataset = inputs.datasets.at(-1);
  const sql = context.sql;
  const signal = context.signal;
  const scored = dataset?.columns.some((c) => c.name === 'threat_score') === true;
  let byLevel: Record<string, number> | null = null;
  let topRows: PlainRow[] = [];
  let topColumns: string[] = [];
  const findings = unionFindings(inputs.findings.map((f) => f.table));
  if (dataset !== undefined && scored) {
    const table = quoteIdent(dataset.table);
    byLevel = {};
    for (const row of await sql.all(`SELECT threat_level, count(*) AS n FROM ${table} GROUP BY ALL`, [], signal)) byLevel[plainText(row['threat_level'])] = Number(row['n']);
    // The columns the strongest anomaly findings name (`disguised-executable:uri`, `outlier:bytes_sent`): the value a
    // reader needs to judge the row, whatever its role.
    const named = await sql.all(
      `SELECT split_part(label, ':', 2) AS col FROM ${findings} WHERE kind = 'anomaly' AND row_id IS NOT NULL GROUP BY 1 ORDER BY max(score) DESC, 1 LIMIT 50`,
      [],
      signal,
    );
    topColumns = pickContextColumns(dataset.columns, named.map((r) => plainText(r['col'])));
    const select = [...topColumns, ...THREAT_COLUMNS].map((c) => quoteIdent(c)).join(', ');
    const row = quoteIdent(dataset.rowId);
    topRows = await sql.all(`SELECT ${row} + 1 AS "row", ${select} FROM ${table} WHERE threat_score > 0 ORDER BY threat_score DESC, ${row} LIMIT ${top}`, [], signal);
  }
  const iocHits = await sql.all(
    `SELECT source, split_part(label, ':', 1) AS type, count(*) AS hits, count(DISTINCT entity) AS indicators, min(json_extract_string(detail, '$.threat')) AS threat
     FROM ${findings} AS f WHERE kind = 'ioc' GROUP BY ALL ORDER BY hits DESC LIMIT 50`,
    [],
    signal,
  );
  const anomalies = await sql.all(
    `SELECT label, count(*) AS rows, round(max(score), 1) AS max_score FROM ${findings} AS f WHERE kind = 'anomaly' AND row_id IS NOT NULL GROUP BY ALL ORDER BY rows DESC LIMIT 50`,
    [],
    signal,
  );
  // Most severe first; levels outside the spec's five sort last.
  const detections = await sql.all(
    `SELECT title, level, count(*) AS rows, array_to_string(list_sort(list_distinct(flatten(list(techniques)))), ', ') AS techniques
     FROM (SELECT json_extract_string(detail, '$.title') AS title, json_extract_string(detail, '$.level') AS level,
                  coalesce(TRY_CAST(json_extract(detail, '$.attack_techniques') AS VARCHAR[]), []) AS techniques
           FROM ${findings} AS f WHERE kind = 'detection' AND json_valid(detail))
     GROUP BY title, level
     ORDER BY coalesce(list_position(['critical', 'high', 'medium', 'low', 'informational'], level), 6), rows DESC, title LIMIT 50`,
    [],
    signal,
  );
  const [signalRows] = await sql.all(
    `SELECT count(DISTINCT row_id) FILTER (WHERE kind = 'ioc') AS ioc_rows, count(DISTINCT row_id) FILTER (WHERE kind = 'anomaly') AS anomaly_rows FROM ${findings} AS f WHERE row_id IS NOT NULL`,
    [],
    signal,
  );
  const timeline = dataset === undefined ? null : await timelineSeries(sql, dataset, scored, signal);
  const entities = dataset === undefined ? [] : await entitySeries(sql, dataset, scored, ENTITY_TOP, signal);
  const tactics = dataset === undefined ? [] : await tacticSeries(sql, dataset, signal);
  const datasetFindings = await sql.all(`SELECT label, entity, detail FROM ${findings} AS f WHERE row_id IS NULL ORDER BY label, entity LIMIT 50`, [], signal);

  const summaries: Record<string, Readonly<Record<string, PlainValue>>> = {};
  for (const s of inputs.summaries) summaries[s.component] = s.data;
  const plan = context.run.plan;
  // A plan of several datasets has a report per branch: it tells of its own dataset's steps and files only.
  const branch = branchOf(plan.nodes, context.run.node);
  const nodes = plan.nodes.filter((n) => branch.has(n.id));
  return {
    problem: plan.profile.problem,
    files: dataset?.sources ?? plan.profile.files.map((f) => f.path),
    rows: dataset?.rowCount ?? 0,
    elapsedMs: performance.now() - context.run.startedAt,
    confidence: plan.confidence,
    byLevel,
    topColumns,
    topRows,
    iocHits,
    anomalies,
    detections,
    datasetFindings,
    summaries,
    steps: context.run.completedSteps().filter((step) => branch.has(step.node)),
    stages: plan.stages.map((stage) => ({ ...stage, nodes: stage.nodes.filter((id) => branch.has(id)) })).filter((stage) => stage.nodes.length > 0),
    components: Object.fromEntries(nodes.map((n) => [n.id, n.component])),
    unavailable: plan.unavailable,
    runId: context.run.runId,
    sessionId: context.run.sessionId,
    timeline,
    entities,
    tactics,
    attack: findAttackSummary(inputs.summaries),
    exports: exportLinks(nodes, context.run.node),
    iocRows: Number(signalRows?.['ioc_rows'] ?? 0),
    anomalyRows: Number(signalRows?.['anomaly_rows'] ?? 0),
  };
}

/** Entities listed per column and ranking. */
const ENTITY_TOP = 10;

/**
 * The steps of `self`'s branch: those that read the same imported dataset (by the imports they depend on), and those
 * imports. A plan without branches has one import, so every step.
 */
function branchOf(nodes: readonly { id: string; type: string; depends_on: readonly string[] }[], self: string): Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ancestors = (id: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [id];
    for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
      for (const parent of byId.get(current)?.depends_on ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        stack.push(parent);
      }
    }
    return seen;
  };
  const importsOf = (id: string): string => [...ancestors(id)].filter((a) => byId.get(a)?.type === 'DATA_IMPORT').sort().join('\n');
  const own = importsOf(self);
  const upstream = ancestors(self);
  return new Set(nodes.filter((n) => n.id === self || importsOf(n.id) === own || (n.type === 'DATA_IMPORT' && upstream.has(n.id))).map((n) => n.id));
}

function exportLinks(nodes: readonly { id: string; component: string; params: Readonly<Record<string, unknown>> }[], self: string): ExportLink[] {
  const links: ExportLink[] = [];
  for (const node of nodes) {
    if (node.id === self || !LINKED_EXPORTS.has(node.component)) continue;
    const { output, file, format } = node.params;
    // A plan read from a file passed validation, but a link is built only from a plain file name.
    if (typeof file !== 'string' || !outputFileNameSchema.safeParse(file).success) continue;
    links.push({ output: typeof output === 'string' ? output : file, file, format: typeof format === 'string' ? format : (file.split('.').pop() ?? '') });
  }
  return links;
}

/** Columns of the usual roles shown beside the top rows, and at most this many more that findings name. */
const MAX_ROLE_COLUMNS = 6;
const MAX_NAMED_COLUMNS = 2;

/**
 * A few columns that let a reader place a row: its time, its actors, its indicators (at most six), then up to two more
 * the strongest findings name (`named`, strongest first), which are what a finding is about.
 */
function pickContextColumns(columns: readonly DatasetColumn[], named: readonly string[] = []): string[] {
  const picked: string[] = [];
  for (const role of CONTEXT_ROLES) {
    for (const column of columns) {
      if (column.role === role && !picked.includes(column.name) && !THREAT_COLUMNS.includes(column.name)) picked.push(column.name);
    }
  }
  const shown = picked.slice(0, MAX_ROLE_COLUMNS);
  const names = new Set(columns.map((c) => c.name));
  const more = [...new Set(named)].filter((n) => names.has(n) && !THREAT_COLUMNS.includes(n) && !shown.includes(n)).slice(0, MAX_NAMED_COLUMNS);
  return [...shown, ...more];
}
