// Brute force: many failed attempts at a credential (failure-condition.ts) from one source or by one user against one
// target (a login service's port, a sign-in path, any account) within a sliding window of `brute_window_minutes`. The
// count of failures in the window ending at each failure comes from a RANGE window over the entity's failures on that
// target; a failure belongs to a burst when a window ending at or after it, within the window length, holds
// `brute_min_failures` (found with a backwards-looking min() over the following rows: exact, one sort).
// Findings: every failure in a burst (row-level, `brute-force:<entity column>`, score 25-35 by how far past the
// threshold the busiest window is), and one finding about the data per entity (row_id NULL) with the evidence.
import { quoteLiteral } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { isoFromMicros, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { failureCondition } from './failure-condition.js';
import { plainText, type PlainValue } from '../../../data/plain-value.js';

export async function detectBruteForce(context: DetectorContext, all: readonly DatasetColumn[]): Promise<DetectorOutcome> {
  const { time, source, user } = context.columns;
  const failure = failureCondition(all, context.columns);
  const entities = [source, user].filter((c, i, list): c is DatasetColumn => c !== undefined && list.indexOf(c) === i);
  if (time === undefined || failure === null || entities.length === 0) return { found: 0, listed: [] };
  const { sql, signal } = context;
  // The failures are read once, with every entity column; each entity's windows then run over this small table.
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __failures AS
     SELECT ${context.rowId} AS row_id, epoch_us(${q(time.name)}) AS t, ${failure.target} AS target, ${entities.map((e, i) => `CAST(${q(e.name)} AS VARCHAR) AS "e${i}"`).join(', ')}
     FROM ${context.table} WHERE (${failure.sql}) AND ${q(time.name)} IS NOT NULL`,
    [],
    signal,
  );
  let found = 0;
  const listed: Record<string, PlainValue>[] = [];
  for (const [i, entity] of entities.entries()) {
    const outcome = await bruteForceBy(context, entity, `"e${i}"`, failure.columns);
    found += outcome.found;
    listed.push(...outcome.listed);
  }
  await sql.run('DROP TABLE __failures', [], signal);
  return { found, listed: listed.slice(0, context.params.max_listed) };
}

async function bruteForceBy(context: DetectorContext, entity: DatasetColumn, e: string, failureColumns: readonly string[]): Promise<DetectorOutcome> {
  const { sql, signal, params } = context;
  // Microseconds, an integer literal: window frames take no bound parameters.
  const window = Math.round(params.brute_window_minutes * 60_000_000);
  await sql.run(
    `CREATE OR REPLACE TEMP TABLE __brute AS
     WITH f AS (SELECT row_id, ${e} AS entity, target, t FROM __failures WHERE ${e} IS NOT NULL AND trim(${e}) NOT IN ('', '-')),
     w AS (SELECT *, count(*) OVER (PARTITION BY entity, target ORDER BY t RANGE BETWEEN ${window} PRECEDING AND CURRENT ROW) AS in_window FROM f),
     x AS (SELECT *, min(CASE WHEN in_window >= $1 THEN t END) OVER (PARTITION BY entity, target ORDER BY t ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS burst_end FROM w)
     SELECT row_id, entity, t, in_window, max(in_window) OVER (PARTITION BY entity) AS busiest FROM x WHERE burst_end - t <= ${window}`,
    [params.brute_min_failures],
    signal,
  );
  const label = quoteLiteral(`brute-force:${entity.name}`);
  const score = `25 + least(10, 10 * (busiest / $1 - 1))`;
  await sql.run(
    `INSERT INTO ${context.findings}
     SELECT row_id, 'anomaly', ${label}, ${score}, '${SOURCE}', entity,
            json_object('entity_column', ${quoteLiteral(entity.name)}, 'failures_in_window', in_window, 'busiest_window', busiest, 'window_minutes', $2)::VARCHAR
     FROM __brute`,
    [params.brute_min_failures, params.brute_window_minutes],
    signal,
  );
  const rows = await sql.all(
    `SELECT entity, count(*) AS failures, max(busiest) AS busiest, ${isoFromMicros('min(t)')} AS first, ${isoFromMicros('max(t)')} AS last, max(${score}) AS score
     FROM __brute GROUP BY entity ORDER BY busiest DESC, entity`,
    [params.brute_min_failures],
    signal,
  );
  await sql.run('DROP TABLE __brute', [], signal);
  const listed = rows.slice(0, params.max_listed).map((r) => ({
    entity_column: entity.name, entity: r['entity'] ?? null, failures: Number(r['failures']), busiest_window: Number(r['busiest']),
    window_minutes: params.brute_window_minutes, first: r['first'] ?? null, last: r['last'] ?? null, failure_columns: [...failureColumns],
  }));
  for (const [i, item] of listed.entries()) {
    await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, $1, '${SOURCE}', $2, $3)`, [Number(rows[i]?.['score']), plainText(item.entity), JSON.stringify(item)], signal);
  }
  return { found: rows.length, listed };
}
