// Writes processing.classify's results into the engine: predictions go through the appender into a scratch table
// and join the dataset by row id in one statement (no per-row UPDATE); anomaly findings and rows predicted in a
// threat class go into a findings table of the shared shape, so processing.enrich adds them to anomaly_reasons and the threat score.
import type { ClassificationMetrics } from '../../ml/metrics.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { DatasetHandle } from '../../model/dataset.js';
import { OUTPUT_COLUMNS } from '../../ml/feature-spec.js';
import { createFindingsTable } from '../findings-table.js';

/** What a finding of processing.classify adds to the threat score per unit of its score or confidence. */
const ANOMALY_WEIGHT = 40;

/** What a labelled mode (supervised trees or text) returns: its predictions, the model to save, and its measured figures. */
export interface LabelledRun<Model> {
  readonly predictions: Predictions;
  readonly model: Model;
  /** Stratified k-fold figures on the labelled rows, or null when there were too few to fold. */
  readonly cv: (ClassificationMetrics & { readonly folds: number }) | null;
  /** The most common class's share of the labelled rows: the accuracy to beat. */
  readonly majority: number;
  readonly labelled: number;
  readonly trainMs: number;
}

export interface Predictions {
  /** The dataset's row id per prediction. */
  readonly rowIds: Float64Array;
  /** null where the mode predicts no label. */
  readonly labels: readonly (string | null)[] | null;
  readonly confidence: Float64Array | null;
  readonly anomaly: Float64Array | null;
}

interface Scratch {
  readonly sql: SqlSession;
  readonly signal: AbortSignal;
  tableName(prefix: string): string;
}

/** A new table: the dataset's columns in row order, then predicted_label VARCHAR, prediction_confidence DOUBLE, anomaly_score DOUBLE. */
export async function writePredictions(context: Scratch, dataset: DatasetHandle, predictions: Predictions): Promise<string> {
  const { sql, signal } = context;
  const scratch = context.tableName('classify_predictions');
  await sql.run(`CREATE TEMP TABLE ${quoteIdent(scratch)} (row_id DOUBLE, predicted_label VARCHAR, prediction_confidence DOUBLE, anomaly_score DOUBLE)`, [], signal);
  const { rowIds, labels, confidence, anomaly } = predictions;
  function* rows(): Generator<(string | number | null)[]> {
    for (let i = 0; i < rowIds.length; i += 1) {
      yield [rowIds[i] ?? 0, labels?.[i] ?? null, confidence === null ? null : (confidence[i] ?? null), anomaly === null ? null : (anomaly[i] ?? null)];
    }
  }
  await sql.append(scratch, rows(), signal);
  const table = context.tableName('classified');
  const kept = dataset.columns.filter((c) => !OUTPUT_COLUMNS.includes(c.name)).map((c) => `d.${quoteIdent(c.name)}`);
  const rowId = quoteIdent(dataset.rowId);
  // The row-id order keeps row positions, so findings (and later steps) point at the same rows.
  await sql.run(
    `CREATE TABLE ${quoteIdent(table)} AS
     SELECT ${[...kept, 'p.predicted_label', 'p.prediction_confidence', 'p.anomaly_score'].join(', ')}
     FROM ${quoteIdent(dataset.table)} AS d LEFT JOIN ${quoteIdent(scratch)} AS p ON CAST(p.row_id AS BIGINT) = d.${rowId}
     ORDER BY d.${rowId}`,
    [],
    signal,
  );
  await sql.run(`DROP TABLE ${quoteIdent(scratch)}`, [], signal);
  return table;
}

export interface AnomalyFinding {
  readonly rowId: number;
  readonly score: number;
}

/**
 * Findings for the highest-scoring rows: kind 'anomaly', the reason `ml: isolation forest score 0.83`, and a threat
 * contribution of 40 x the score (a score of 0.83 adds 33: medium on its own, as other anomaly detectors' findings).
 */
export async function writeAnomalyFindings(context: Scratch, findings: readonly AnomalyFinding[]): Promise<string> {
  const { sql, signal } = context;
  const table = context.tableName('classify_findings');
  await createFindingsTable(sql, table, signal);
  const staging = context.tableName('classify_staging');
  await sql.run(`CREATE TEMP TABLE ${quoteIdent(staging)} (row_id DOUBLE, score DOUBLE, label VARCHAR, detail VARCHAR)`, [], signal);
  await sql.append(
    staging,
    findings.map((f) => [f.rowId, Math.round(ANOMALY_WEIGHT * f.score), `ml: isolation forest score ${f.score.toFixed(2)}`, JSON.stringify({ anomaly_score: Number(f.score.toFixed(4)), method: 'isolation forest' })]),
    signal,
  );
  await sql.run(
    `INSERT INTO ${quoteIdent(table)} SELECT CAST(row_id AS BIGINT), 'anomaly', label, score, 'processing.classify', NULL, detail FROM ${quoteIdent(staging)} ORDER BY row_id`,
    [],
    signal,
  );
  await sql.run(`DROP TABLE ${quoteIdent(staging)}`, [], signal);
  return table;
}

/**
 * Findings for the rows of `table` (the classified dataset) predicted in one of the threat classes (benign-class.ts):
 * kind 'anomaly', the reason `ml: predicted attack_cat=Exploits`, and a threat contribution of 40 x the prediction's
 * confidence (0.9 adds 36: medium on its own; a model's guess weighs like the other anomaly detectors', never like an
 * indicator or a rule). Written in one statement from the table, whatever the number of rows.
 */
export async function writePredictionFindings(context: Scratch, table: string, label: string, classes: readonly string[]): Promise<{ table: string; rows: number }> {
  const { sql, signal } = context;
  const findings = context.tableName('classify_findings');
  await createFindingsTable(sql, findings, signal);
  if (classes.length === 0) return { table: findings, rows: 0 };
  const name = quoteLiteral(label);
  await sql.run(
    `INSERT INTO ${quoteIdent(findings)}
     SELECT rowid, 'anomaly', 'ml: predicted ' || ${name} || '=' || left(predicted_label, 200), round(${ANOMALY_WEIGHT} * coalesce(prediction_confidence, 0)),
            'processing.classify', left(predicted_label, 200),
            json_object('predicted', left(predicted_label, 200), 'label', ${name}, 'confidence', round(prediction_confidence, 4))::VARCHAR
     FROM ${quoteIdent(table)}
     WHERE predicted_label IN (${classes.map(quoteLiteral).join(', ')})
     ORDER BY rowid`,
    [],
    signal,
  );
  return { table: findings, rows: Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(findings)}`, [], signal)) };
}
