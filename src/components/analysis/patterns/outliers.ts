// Robust outliers in measure columns: the modified z-score of Iglewicz and Hoaglin (0.6745 * (x - median) / MAD),
// over the whole column and, for values ordinary overall, within the rows of one source or user. Each is judged on a
// log scale only where the values are right-skewed (measure-scale.ts): the whole column's, and the entities' own.
import type { DatasetColumn } from '../../../model/dataset.js';
import { quoteLiteral } from '../../../data/sql-text.js';
import { literal, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { decilesSql, logReducesSkew, skewnessSql } from './measure-scale.js';

/** A measure column with its centre and spread, on the scale it is judged on. */
export interface MeasureStats {
  readonly column: DatasetColumn;
  /** SQL for the value as judged, given SQL for the column: log1p(x) for right-skewed non-negative columns, x otherwise. */
  value(ref: string): string;
  /** No negative value in the column: its entities may be judged on a log scale. */
  readonly nonNegative: boolean;
  readonly median: number;
  readonly mad: number;
}

/**
 * Medians and MADs of every measure column, judged on log1p(x) when the column is non-negative and skewed the way
 * bytes, durations and counts are (heavy right tail: on the raw scale every large transfer would be an outlier), else
 * on the raw scale. A column that is not skewed (sizes spread evenly between 300 and 5,000) keeps its raw scale: the
 * log would stretch its small end and make ordinary small values outliers. Columns with MAD 0 have no spread to judge
 * by and are left out. Large tables are summarised from a repeatable sample: a median of 200k values is as good a
 * centre as one of millions, at a tenth of the cost; outliers are still looked for in every row.
 */
export async function measureStats(context: DetectorContext): Promise<MeasureStats[]> {
  const columns = context.columns.measures;
  if (columns.length === 0) return [];
  const { sql, signal, table } = context;
  const mins = await sql.all(`SELECT ${columns.map((c, i) => `min(${q(c.name)}) >= 0 AS "p${i}"`).join(', ')} FROM ${table}`, [], signal);
  const sample = context.sample;
  const nonNegative = columns.map((_, i) => mins[0]?.[`p${i}`] === true);
  const skews = skewnessSelect(columns.map((_, i) => `"q${i}"`));
  const skew = await sql.all(`SELECT ${skews} FROM (SELECT ${columns.map((c, i) => `${decilesSql(q(c.name))} AS "q${i}"`).join(', ')} FROM ${sample})`, [], signal);
  const scales = columns.map((_, i) => nonNegative[i] === true && logScaleOf(skew[0], i));
  const values = columns.map((c, i) => valueOf(scales[i] === true)(q(c.name)));
  const medians = await sql.all(`SELECT ${values.map((v, i) => `median(${v}) AS "m${i}"`).join(', ')} FROM ${sample}`, [], signal);
  const med = values.map((_, i) => Number(medians[0]?.[`m${i}`]));
  const mads = await sql.all(`SELECT ${values.map((v, i) => `median(abs(${v} - ${literal(med[i])})) AS "d${i}"`).join(', ')} FROM ${sample}`, [], signal);
  const stats: MeasureStats[] = [];
  columns.forEach((column, i) => {
    const median = med[i];
    const mad = Number(mads[0]?.[`d${i}`]);
    if (median === undefined || !Number.isFinite(median) || !Number.isFinite(mad) || mad <= 0) return;
    stats.push({ column, value: valueOf(scales[i] === true), nonNegative: nonNegative[i] === true, median, mad });
  });
  return stats;
}

/** SELECT items `r<i>` and `g<i>`: the skewness of each deciles list (SQL), raw and on the log scale. */
function skewnessSelect(deciles: readonly string[]): string {
  return deciles.map((d, i) => `${skewnessSql(d).raw} AS "r${i}", ${skewnessSql(d).logged} AS "g${i}"`).join(', ');
}

/** Whether the skewness read by skewnessSelect (row `row`, item i) calls for the log scale. */
function logScaleOf(row: Readonly<Record<string, unknown>> | undefined, i: number): boolean {
  const number = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  return logReducesSkew(number(row?.[`r${i}`]), number(row?.[`g${i}`]));
}

/** SQL for a value as judged, on the log or the raw scale. */
function valueOf(logScale: boolean): (ref: string) => string {
  return (ref) => (logScale ? `ln(1 + CAST(${ref} AS DOUBLE))` : `CAST(${ref} AS DOUBLE)`);
}

/** The modified z-score of a judged value against a centre and a spread (SQL for each). */
function zScore(value: string, median: string, mad: string): string {
  return `(0.6745 * (${value} - ${median}) / ${mad})`;
}

/** Row-level findings `outlier:<column>`, scored 15-30 by how far past the threshold the value lies. */
export async function detectOutliers(context: DetectorContext, stats: readonly MeasureStats[]): Promise<DetectorOutcome> {
  if (stats.length === 0) return { found: 0, listed: [] };
  const { sql, signal, findings, params } = context;
  // One scan computes every column's score; the few rows past the threshold are then inserted column by column.
  const scores = stats.map((s, i) => `${q(s.column.name)} AS "x${i}", ${zScore(s.value(q(s.column.name)), literal(s.median), literal(s.mad))} AS "z${i}"`);
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __pattern_outliers AS
     SELECT * FROM (SELECT ${context.rowId} AS row_id, ${scores.join(', ')} FROM ${context.table}) WHERE ${stats.map((_, i) => `abs("z${i}") > $1`).join(' OR ')}`,
    [params.outlier_threshold],
    signal,
  );
  const { kept, skipped, shares } = await withinShare(context, '__pattern_outliers', stats.map((_, i) => `abs("z${i}") > $1`));
  let found = 0;
  for (const [i, stat] of stats.entries()) {
    if (!kept.has(i)) continue;
    const where = `abs("z${i}") > $1`;
    await sql.run(
      `INSERT INTO ${findings}
       SELECT row_id, 'anomaly', ${quoteLiteral(`outlier:${stat.column.name}`)}, 15 + least(15, abs("z${i}") - $1), '${SOURCE}', NULL,
              json_object('column', ${quoteLiteral(stat.column.name)}, 'value', "x${i}", 'z', round("z${i}", 2))::VARCHAR
       FROM __pattern_outliers WHERE ${where}`,
      [params.outlier_threshold],
      signal,
    );
    found += Number(await sql.scalar(`SELECT count(*) FROM __pattern_outliers WHERE ${where}`, [params.outlier_threshold], signal));
  }
  await sql.run('DROP TABLE __pattern_outliers', [], signal);
  return { found, listed: skipped.map((i) => ({ column: stats[i]?.column.name ?? '', kind: 'outlier', share_past_threshold: shares.get(i) ?? null })), judged: judgedColumns(stats, kept) };
}

/**
 * Which columns of a table of candidates (one condition per column, `$1` the threshold) have at most `outlier_max_share`
 * of the dataset's rows past the threshold. A robust z-score assumes one mode: a column with two (a web log's 300-byte
 * redirects and 20 KB pages) has a third of its rows "past" it, which says nothing about any of them.
 */
async function withinShare(context: DetectorContext, candidates: string, conditions: readonly string[]): Promise<{ kept: Set<number>; skipped: number[]; shares: Map<number, number> }> {
  const { sql, signal, params, rowCount } = context;
  const counts = await sql.all(`SELECT ${conditions.map((c, i) => `count(*) FILTER (WHERE ${c}) AS "n${i}"`).join(', ')} FROM ${candidates}`, [params.outlier_threshold], signal);
  const kept = new Set<number>();
  const skipped: number[] = [];
  const shares = new Map<number, number>();
  conditions.forEach((_, i) => {
    const share = rowCount === 0 ? 0 : Number(counts[0]?.[`n${i}`] ?? 0) / rowCount;
    shares.set(i, Math.round(share * 1000) / 1000);
    if (share > params.outlier_max_share) skipped.push(i);
    else kept.add(i);
  });
  return { kept, skipped, shares };
}

/**
 * Row-level findings `entity-outlier:<column>` for values ordinary over the whole column but unusual for the row's
 * source (or user): a workstation that always sends a few KB sending a few MB. Each entity is judged against its own
 * median and MAD, on the scale the entities' own values call for (hosts whose sizes are log-normal on the log
 * scale, hosts whose sizes spread evenly on the raw one, whatever the whole column looks like: two such groups of
 * hosts make it two-humped), and only when it has `entity_min_values` values (in the sample, on large tables) and
 * some spread. Scored 10-20: a weaker sign than an outlier over everything.
 */
export async function detectEntityOutliers(context: DetectorContext, stats: readonly MeasureStats[]): Promise<DetectorOutcome> {
  const entity = context.columns.source ?? context.columns.user;
  if (stats.length === 0 || entity === undefined) return { found: 0, listed: [] };
  const { sql, signal, findings, params } = context;
  const e = q(entity.name);
  const sample = context.sample;
  // Every entity's deciles and medians on both scales (the log's only where the column has no negative value) ...
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __pattern_entity_deciles AS
     SELECT ${e} AS entity, ${stats.map((s, i) => `${decilesSql(q(s.column.name))} AS "q${i}", ${s.nonNegative ? `median(${valueOf(true)(q(s.column.name))})` : 'NULL::DOUBLE'} AS "ml${i}"`).join(', ')}
     FROM ${sample} WHERE ${e} IS NOT NULL GROUP BY ALL HAVING count(*) >= $1`,
    [params.entity_min_values],
    signal,
  );
  // ... then one scale per column for every entity, from the median of their skewness: a few dozen values per entity
  // make noisy deciles, and ten hosts of evenly spread sizes never call for the log together (measure-scale.ts).
  const pooled = await sql.all(`SELECT ${stats.map((_, i) => `median("r${i}") AS "r${i}", median("g${i}") AS "g${i}"`).join(', ')} FROM (SELECT ${skewnessSelect(stats.map((_, i) => `"q${i}"`))} FROM __pattern_entity_deciles)`, [], signal);
  const scales = stats.map((s, i) => s.nonNegative && logScaleOf(pooled[0], i));
  const entityValue = (i: number, ref: string): string => valueOf(scales[i] === true)(ref);
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __pattern_entity_median AS
     SELECT entity, ${stats.map((_, i) => `${scales[i] === true ? `"ml${i}"` : `"q${i}"[2]`} AS "m${i}"`).join(', ')} FROM __pattern_entity_deciles`,
    [],
    signal,
  );
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __pattern_entity_stats AS
     SELECT m.entity, ${stats.map((s, i) => `any_value(m."m${i}") AS "m${i}", median(abs(${entityValue(i, `s.${q(s.column.name)}`)} - m."m${i}")) AS "d${i}"`).join(', ')}
     FROM ${sample} s JOIN __pattern_entity_median m ON s.${e} = m.entity GROUP BY m.entity`,
    [],
    signal,
  );
  // Unusual for the entity (its own z past the threshold) and ordinary overall (the outlier detector's business).
  const passes = stats.map((s, i) => `(abs("z${i}") > $1 AND abs(${zScore(`"v${i}"`, literal(s.median), literal(s.mad))}) <= $1)`);
  const scored = stats.map((s, i) => {
    const ref = `t.${q(s.column.name)}`;
    return `${ref} AS "x${i}", ${s.value(ref)} AS "v${i}", "m${i}", CASE WHEN "d${i}" > 0 THEN ${zScore(entityValue(i, ref), `"m${i}"`, `"d${i}"`)} END AS "z${i}"`;
  });
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __pattern_entity_outliers AS
     SELECT * FROM (SELECT t.${context.rowId} AS row_id, CAST(t.${e} AS VARCHAR) AS entity, ${scored.join(', ')} FROM ${context.table} t JOIN __pattern_entity_stats s ON t.${e} = s.entity)
     WHERE ${passes.join(' OR ')}`,
    [params.outlier_threshold],
    signal,
  );
  const { kept, skipped, shares } = await withinShare(context, '__pattern_entity_outliers', passes);
  let found = 0;
  for (const [i, stat] of stats.entries()) {
    if (!kept.has(i)) continue;
    const typical = scales[i] === true ? `round(exp("m${i}") - 1, 2)` : `round("m${i}", 2)`;
    const where = passes[i] ?? 'false';
    await sql.run(
      `INSERT INTO ${findings}
       SELECT row_id, 'anomaly', ${quoteLiteral(`entity-outlier:${stat.column.name}`)}, 10 + least(10, abs("z${i}") - $1), '${SOURCE}', entity,
              json_object('column', ${quoteLiteral(stat.column.name)}, 'entity_column', ${quoteLiteral(entity.name)}, 'value', "x${i}", 'entity_median', ${typical}, 'z', round("z${i}", 2))::VARCHAR
       FROM __pattern_entity_outliers WHERE ${where}`,
      [params.outlier_threshold],
      signal,
    );
    found += Number(await sql.scalar(`SELECT count(*) FROM __pattern_entity_outliers WHERE ${where}`, [params.outlier_threshold], signal));
  }
  for (const temp of ['__pattern_entity_outliers', '__pattern_entity_stats', '__pattern_entity_median', '__pattern_entity_deciles']) await sql.run(`DROP TABLE ${temp}`, [], signal);
  return { found, listed: skipped.map((i) => ({ column: stats[i]?.column.name ?? '', kind: 'entity-outlier', share_past_threshold: shares.get(i) ?? null })), judged: judgedColumns(stats, kept) };
}

/** The names of the columns kept (by index into `stats`). */
function judgedColumns(stats: readonly MeasureStats[], kept: ReadonlySet<number>): string[] {
  return stats.filter((_, i) => kept.has(i)).map((s) => s.column.name);
}
