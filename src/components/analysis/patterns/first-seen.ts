// First-seen entities: destinations (addresses, domains) that appear only in the last `first_seen_recent_share` of the
// time range and then recur (`first_seen_min_events`): a new domain a host keeps calling is worth a look, a one-off is
// everyday noise. Needs an hour of history at least, or "new" means nothing.
// Findings: every row of a new entity (row-level, `first-seen:<column>`, score 5: a weak sign that counts with others),
// for the `max_listed` busiest new entities, and one finding about the data per entity (row_id NULL, score 0).
import { quoteLiteral } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { isoFromMicros, notBlankSql, q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { plainText, type PlainValue } from '../../../data/plain-value.js';

const MIN_HISTORY_US = 3_600_000_000;

export async function detectFirstSeen(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, destination, domains } = context.columns;
  if (time === undefined) return { found: 0, listed: [] };
  const columns = [destination, ...domains].filter((c, i, list): c is DatasetColumn => c !== undefined && list.indexOf(c) === i);
  if (columns.length === 0) return { found: 0, listed: [] };
  const t = q(time.name);
  const range = await sql.all(`SELECT min(epoch_us(${t})) AS t0, max(epoch_us(${t})) AS t1 FROM ${table}`, [], signal);
  const [t0, t1] = [Number(range[0]?.['t0']), Number(range[0]?.['t1'])];
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 - t0 < MIN_HISTORY_US) return { found: 0, listed: [] };
  const cut = Math.round(t1 - (t1 - t0) * params.first_seen_recent_share);
  let found = 0;
  const listed: Record<string, PlainValue>[] = [];
  for (const column of columns) {
    const c = q(column.name);
    const label = quoteLiteral(`first-seen:${column.name}`);
    await sql.run(
      // Grouped on the column's own values, then cast and trimmed per distinct value: per row they cost more than the
      // grouping (the not-blank test is pushed down to the scan, so it trims only text that could be blank).
      `CREATE OR REPLACE TEMP TABLE __first_seen AS
       SELECT *, count(*) OVER () AS total FROM (
         SELECT raw, CAST(raw AS VARCHAR) AS value, events, first_us, last_us FROM (
           SELECT ${c} AS raw, count(*) AS events, min(epoch_us(${t})) AS first_us, max(epoch_us(${t})) AS last_us
           FROM ${table} WHERE ${c} IS NOT NULL AND ${t} IS NOT NULL
           GROUP BY ALL HAVING min(epoch_us(${t})) >= ${cut} AND count(*) >= $1)
         WHERE ${notBlankSql('CAST(raw AS VARCHAR)')})
       ORDER BY events DESC, value LIMIT $2`,
      [params.first_seen_min_events, params.max_listed],
      signal,
    );
    const rows = await sql.all(`SELECT value, events, total, ${isoFromMicros('first_us')} AS first, ${isoFromMicros('last_us')} AS last FROM __first_seen ORDER BY events DESC, value`, [], signal);
    found += Number(rows[0]?.['total'] ?? 0);
    const cutIso = new Date(cut / 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const items = rows.map((r) => ({ column: column.name, value: r['value'] ?? null, events: Number(r['events']), first: r['first'] ?? null, last: r['last'] ?? null, new_after: cutIso }));
    await sql.run(
      `INSERT INTO ${context.findings}
       SELECT t.${context.rowId}, 'anomaly', ${label}, 5, '${SOURCE}', CAST(t.${c} AS VARCHAR),
              json_object('column', ${quoteLiteral(column.name)}, 'value', CAST(t.${c} AS VARCHAR), 'new_after', ${quoteLiteral(cutIso)})::VARCHAR
       FROM ${table} t WHERE t.${c} IN (SELECT raw FROM __first_seen)`,
      [],
      signal,
    );
    await sql.run('DROP TABLE __first_seen', [], signal);
    for (const item of items) {
      await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, 0, '${SOURCE}', $1, $2)`, [plainText(item.value), JSON.stringify(item)], signal);
    }
    listed.push(...items);
  }
  return { found, listed: listed.slice(0, params.max_listed) };
}
