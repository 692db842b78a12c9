// Rare categorical values: a value seen in fewer than `rare_share` of the rows of a column with few distinct values
// (an `action` that is `drop` twice in ten thousand rows). Row-level findings `rare:<column>`, score 10.
import { quoteLiteral } from '../../../data/sql-text.js';
import { q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';

export async function detectRareValues(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const categories = context.columns.categories;
  if (categories.length === 0) return { found: 0, listed: [] };
  // Which columns have few enough distinct values is a screen: HyperLogLog's ~2% error does not matter there.
  const distinct = await sql.all(`SELECT ${categories.map((c, i) => `approx_count_distinct(${q(c.name)}) AS "d${i}"`).join(', ')} FROM ${table}`, [], signal);
  const limit = Math.max(1, Math.floor(context.rowCount * params.rare_share));
  let found = 0;
  for (const [i, column] of categories.entries()) {
    const count = Number(distinct[0]?.[`d${i}`] ?? 0);
    if (count < 2 || count > params.max_categories) continue;
    const c = q(column.name);
    const rare = `(SELECT ${c} AS value, count(*) AS n FROM ${table} WHERE ${c} IS NOT NULL GROUP BY ALL HAVING count(*) <= $1)`;
    await sql.run(
      `INSERT INTO ${context.findings}
       SELECT t.${context.rowId}, 'anomaly', ${quoteLiteral(`rare:${column.name}`)}, 10, '${SOURCE}', CAST(freq.value AS VARCHAR),
              json_object('column', ${quoteLiteral(column.name)}, 'value', CAST(freq.value AS VARCHAR), 'count', freq.n)::VARCHAR
       FROM ${table} t JOIN ${rare} AS freq ON t.${c} = freq.value`,
      [limit],
      signal,
    );
    found += Number(await sql.scalar(`SELECT count(*) FROM ${context.findings} WHERE label = $1`, [`rare:${column.name}`], signal));
  }
  return { found, listed: [] };
}
