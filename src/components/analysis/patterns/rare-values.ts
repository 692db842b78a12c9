// Rare categorical values: a value seen in fewer than `rare_share` of the rows of a column with few distinct values
// (an `action` that is `drop` twice in ten thousand rows), and at least once in tables too small for that share to
// hold one row. Not in tables under `rare_min_rows` rows (default 50). Row-level findings `rare:<column>`, score 10.
import { quoteLiteral } from '../../../data/sql-text.js';
import { q, SAMPLE_ABOVE_ROWS, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';

/**
 * A column whose sample already shows this many times `max_categories` distinct values has more in the whole table too
 * (a sample holds a subset of its values; the margin covers HyperLogLog's ~2% error): it is skipped unread.
 */
const SCREEN_MARGIN = 1.1;

export async function detectRareValues(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const categories = context.columns.categories;
  // A value cannot be rare in a tiny table: in a 3-row file every value is seen once, and each was called rare (threat
  // level medium for a 3-row proto.csv). Below 50 rows (the default) one row is 2% of the table or more, twenty times
  // the default `rare_share`, and the usual values have not been seen often enough to set anything apart; from 50, one
  // occurrence is a small share, and small exports (a 66-row firewall log with one `drop` among `allow`s) are judged.
  if (categories.length === 0 || context.rowCount < params.rare_min_rows) return { found: 0, listed: [] };
  // The screen reads whole vectors of a fifth of a large table, chosen at random: ~0.15 s of CPU less than a HyperLogLog
  // over every row of the 1M-row bench file. It only skips columns with clearly too many values; a column kept is judged
  // by its exact count below, so a different sample cannot change the findings (short of a HyperLogLog error of 10%).
  const screen = await sql.all(`SELECT ${categories.map((c, i) => `approx_count_distinct(${q(c.name)}) AS "d${i}"`).join(', ')} FROM ${screenSampleOf(context)}`, [], signal);
  const limit = Math.max(1, Math.floor(context.rowCount * params.rare_share));
  let found = 0;
  for (const [i, column] of categories.entries()) {
    if (Number(screen[0]?.[`d${i}`] ?? 0) > params.max_categories * SCREEN_MARGIN) continue;
    const c = q(column.name);
    // Counted per value over every row; the column qualifies by its exact number of distinct values.
    await sql.run(`CREATE OR REPLACE TEMP TABLE __rare_counts AS SELECT ${c} AS value, count(*) AS n FROM ${table} WHERE ${c} IS NOT NULL GROUP BY ALL`, [], signal);
    const distinct = Number(await sql.scalar('SELECT count(*) FROM __rare_counts', [], signal));
    if (distinct >= 2 && distinct <= params.max_categories) {
      await sql.run(
        `INSERT INTO ${context.findings}
         SELECT t.${context.rowId}, 'anomaly', ${quoteLiteral(`rare:${column.name}`)}, 10, '${SOURCE}', CAST(freq.value AS VARCHAR),
                json_object('column', ${quoteLiteral(column.name)}, 'value', CAST(freq.value AS VARCHAR), 'count', freq.n)::VARCHAR
         FROM ${table} t JOIN (SELECT value, n FROM __rare_counts WHERE n <= $1) AS freq ON t.${c} = freq.value`,
        [limit],
        signal,
      );
      found += Number(await sql.scalar(`SELECT count(*) FROM ${context.findings} WHERE label = $1`, [`rare:${column.name}`], signal));
    }
    await sql.run('DROP TABLE __rare_counts', [], signal);
  }
  return { found, listed: [] };
}

/** The table, or about SAMPLE_ABOVE_ROWS of its rows in whole vectors (DuckDB's system sample) when it is larger. */
function screenSampleOf(context: DetectorContext): string {
  if (context.rowCount <= SAMPLE_ABOVE_ROWS) return context.table;
  return `(SELECT * FROM ${context.table} USING SAMPLE ${Math.max(1, Math.round((100 * SAMPLE_ABOVE_ROWS) / context.rowCount))} PERCENT (system))`;
}
