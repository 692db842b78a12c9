// Chooses the feature columns of a table with the engine's help (distinct counts, value lengths, label purity), and
// reports every column left out with its reason: ids and constants teach a model nothing that carries to new rows,
// and a column that gives the label away on its own (attack_cat for label) makes cross-validation lie.
import { plainText } from '../data/plain-value.js';
import type { SqlSession } from '../data/sql-session.js';
import { quoteIdent, quoteLiteral } from '../data/sql-text.js';
import { DIFFICULTY_NAME, OUTPUT_COLUMNS, type ExcludedColumn, type FeaturePlan, type FeatureSpec } from './feature-spec.js';

export interface PlanFeaturesOptions {
  readonly sql: SqlSession;
  readonly table: string;
  /** With their roles when known: another column with the label role is ground truth too, never a feature. */
  readonly columns: readonly { readonly name: string; readonly sqlType: string; readonly role?: string | null }[];
  /** The label column (supervised and text modes), never a feature. */
  readonly label?: string | undefined;
  /** Columns the user excludes (the evaluation names NSL-KDD's difficulty column here too). */
  readonly exclude?: readonly string[];
  /** Most frequent categories kept per categorical column; rarer ones share the "other" code. */
  readonly maxCategories?: number;
  readonly signal?: AbortSignal;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/i;
const TEXT = /^(VARCHAR|TEXT|BOOLEAN|ENUM)/i;
const ID_NAME = /(^|_)(id|uuid|guid|key|hash|sha\d*|md5|index|idx|row)$/i;
/** A column that predicts the label this well on its own is a proxy of it, not evidence. */
const PROXY_PURITY = 0.995;
/** Purity is only meaningful for columns with far fewer values than labelled rows (else every value is its own group). */
const PROXY_MAX_VALUES_SHARE = 0.05;
/** Text longer than this on average, with many distinct values, is prose for the text mode, not a category. */
const FREE_TEXT_LENGTH = 25;

interface ColumnStats {
  readonly nonNull: number;
  readonly distinct: number;
  readonly avgLength: number;
  /** max - min + 1 for integer columns: equal to the distinct count for a row number or sequence id. */
  readonly span: number | null;
}

export async function planFeatures(options: PlanFeaturesOptions): Promise<FeaturePlan> {
  const { sql, table, signal } = options;
  const maxCategories = options.maxCategories ?? 64;
  const excludedByUser = new Set((options.exclude ?? []).map((c) => c.toLowerCase()));
  const excluded: ExcludedColumn[] = [];
  const candidates: { name: string; sqlType: string }[] = [];
  for (const column of options.columns) {
    if (column.name === options.label) excluded.push({ column: column.name, reason: 'label', detail: 'the column to predict' });
    // UNSW-NB15's 0/1 label beside attack_cat: each answers the other, which no traffic to classify would carry.
    else if (options.label !== undefined && column.role === 'label') excluded.push({ column: column.name, reason: 'other-label', detail: `another ground-truth column beside ${options.label}: its values are answers, not evidence` });
    else if (excludedByUser.has(column.name.toLowerCase())) excluded.push({ column: column.name, reason: 'excluded-by-parameter', detail: 'named in the exclude parameter' });
    else if (DIFFICULTY_NAME.test(column.name)) excluded.push({ column: column.name, reason: 'difficulty', detail: 'a benchmark annotation (how many learners classified the row correctly), not a property of the traffic' });
    else if (OUTPUT_COLUMNS.includes(column.name)) excluded.push({ column: column.name, reason: 'output-column', detail: 'written by an earlier classification' });
    else if (!NUMERIC.test(column.sqlType) && !TEXT.test(column.sqlType)) excluded.push({ column: column.name, reason: 'unsupported-type', detail: `${column.sqlType} values are not used as features` });
    else candidates.push({ name: column.name, sqlType: column.sqlType });
  }
  const stats = await columnStats(sql, table, candidates, signal);
  const kept: { name: string; sqlType: string; stats: ColumnStats }[] = [];
  for (const column of candidates) {
    const s = stats.get(column.name) ?? { nonNull: 0, distinct: 0, avgLength: 0, span: null };
    const nearUnique = s.nonNull >= 20 && s.distinct >= 0.95 * s.nonNull;
    // Unique integers are an id when they form a dense sequence (1, 2, 3, ...); unique byte counts are a measure.
    const sequence = s.span !== null && s.span <= 1.1 * s.distinct;
    const isText = TEXT.test(column.sqlType) && !/^BOOLEAN/i.test(column.sqlType);
    if (s.distinct <= 1) excluded.push({ column: column.name, reason: 'constant', detail: s.distinct === 0 ? 'no values' : 'one value in every row' });
    else if (nearUnique && (isText || sequence)) {
      excluded.push({ column: column.name, reason: 'id-like', detail: `${s.distinct} distinct values in ${s.nonNull} rows${sequence ? ', a dense sequence of integers' : ''}` });
    } else if (ID_NAME.test(column.name) && s.distinct >= 0.5 * s.nonNull && s.nonNull >= 20) {
      excluded.push({ column: column.name, reason: 'id-like', detail: `named like an identifier, ${s.distinct} distinct values in ${s.nonNull} rows` });
    } else if (isText && s.avgLength > FREE_TEXT_LENGTH && s.distinct > maxCategories) {
      excluded.push({ column: column.name, reason: 'free-text', detail: `free text (${s.avgLength.toFixed(0)} characters on average, ${s.distinct} distinct values): the text mode reads it` });
    } else kept.push({ ...column, stats: s });
  }
  const label = options.label;
  const features: FeatureSpec[] = [];
  for (const column of kept) {
    if (label !== undefined) {
      const purity = await labelPurity(sql, table, column.name, label, column.stats.distinct, signal);
      if (purity !== null) {
        excluded.push({ column: column.name, reason: 'label-proxy', detail: `predicts ${label} alone with ${(purity * 100).toFixed(1)}% accuracy` });
        continue;
      }
    }
    if (NUMERIC.test(column.sqlType)) features.push({ kind: 'numeric', column: column.name });
    else features.push({ kind: 'categorical', column: column.name, categories: await topCategories(sql, table, column.name, maxCategories, signal) });
  }
  return { features, excluded };
}

async function columnStats(sql: SqlSession, table: string, columns: readonly { name: string; sqlType: string }[], signal?: AbortSignal): Promise<Map<string, ColumnStats>> {
  const result = new Map<string, ColumnStats>();
  if (columns.length === 0) return result;
  // Aliases that are not array-index-like: a result row's keys must keep the select order.
  const parts = columns.flatMap((c, i) => {
    const q = quoteIdent(c.name);
    const integer = INTEGER.test(c.sqlType);
    return [
      `count(${q}) AS n_${i}`,
      `count(DISTINCT ${q}) AS d_${i}`,
      `${TEXT.test(c.sqlType) ? `coalesce(avg(length(CAST(${q} AS VARCHAR))), 0)` : '0'} AS l_${i}`,
      `${integer ? `CAST(max(${q}) AS DOUBLE) - CAST(min(${q}) AS DOUBLE) + 1` : 'NULL'} AS s_${i}`,
    ];
  });
  const row = (await sql.all(`SELECT ${parts.join(', ')} FROM ${quoteIdent(table)}`, [], signal))[0] ?? {};
  columns.forEach((c, i) => {
    const span = row[`s_${i}`];
    result.set(c.name, { nonNull: Number(row[`n_${i}`] ?? 0), distinct: Number(row[`d_${i}`] ?? 0), avgLength: Number(row[`l_${i}`] ?? 0), span: typeof span === 'number' ? span : null });
  });
  return result;
}

/** How often the most common label of each value is right, over labelled rows; null when the column is no proxy. */
async function labelPurity(sql: SqlSession, table: string, column: string, label: string, distinct: number, signal?: AbortSignal): Promise<number | null> {
  const c = quoteIdent(column);
  const y = quoteIdent(label);
  const isLabelled = `${y} IS NOT NULL AND trim(CAST(${y} AS VARCHAR)) <> ''`;
  const rows = await sql.all(
    `WITH pairs AS (SELECT ${c} AS v, CAST(${y} AS VARCHAR) AS y, count(*) AS n FROM ${quoteIdent(table)} WHERE ${isLabelled} GROUP BY ALL),
          per_value AS (SELECT max(n) AS best, sum(n) AS total FROM pairs GROUP BY v),
          per_label AS (SELECT sum(n) AS n FROM pairs GROUP BY y)
     SELECT (SELECT sum(best) FROM per_value) AS right_guesses, (SELECT sum(total) FROM per_value) AS labelled,
            (SELECT max(n) FROM per_label) AS majority`,
    [],
    signal,
  );
  const row = rows[0];
  const labelled = Number(row?.['labelled'] ?? 0);
  if (labelled === 0 || distinct > PROXY_MAX_VALUES_SHARE * labelled) return null;
  const purity = Number(row?.['right_guesses'] ?? 0) / labelled;
  const majority = Number(row?.['majority'] ?? 0) / labelled;
  // A label that is nearly constant makes every column look pure.
  return purity >= PROXY_PURITY && majority < PROXY_PURITY ? purity : null;
}

async function topCategories(sql: SqlSession, table: string, column: string, limit: number, signal?: AbortSignal): Promise<string[]> {
  const c = quoteIdent(column);
  const rows = await sql.all(
    `SELECT CAST(${c} AS VARCHAR) AS v, count(*) AS n FROM ${quoteIdent(table)} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, v LIMIT ${Math.max(1, Math.floor(limit))}`,
    [],
    signal,
  );
  // A NUL character cannot go into the SQL literal of the category list; such a value stays "other".
  return rows.map((r) => plainText(r['v'])).filter((v) => !v.includes('\u0000'));
}

/** The SQL expression that turns a feature's column into its number: the category code for categorical features. */
export function featureSql(feature: FeatureSpec): string {
  const c = quoteIdent(feature.column);
  if (feature.kind === 'numeric') return `TRY_CAST(${c} AS DOUBLE)`;
  if (feature.categories.length === 0) return `CASE WHEN ${c} IS NULL THEN NULL ELSE 0 END`;
  const list = `[${feature.categories.map((v) => quoteLiteral(v)).join(', ')}]::VARCHAR[]`;
  return `CASE WHEN ${c} IS NULL THEN NULL ELSE coalesce(list_position(${list}, CAST(${c} AS VARCHAR)), 0) END`;
}
