// Volume spikes: hours in which one source sends far more events than it usually does in an hour. A finding about the
// data as a whole (row_id NULL, score 0: listed in the report, not added to any row's threat score), one per
// entity-hour, `spike:<column>`, for the `max_listed` biggest; every spike found is counted.
import { plainText } from '../../../data/plain-value.js';
import { q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';

export async function detectSpikes(context: DetectorContext): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const { time, source: entity } = context.columns;
  if (time === undefined || entity === undefined) return { found: 0, listed: [] };
  const t = q(time.name);
  const e = q(entity.name);
  const rows = await sql.all(
    // Hours as integers (microseconds since the epoch, divided): grouping on them is six times cheaper than date_trunc.
    `WITH hourly AS (SELECT ${e} AS entity, epoch_us(${t}) // 3600000000 AS hour, count(*) AS n FROM ${table} WHERE ${t} IS NOT NULL AND ${e} IS NOT NULL GROUP BY ALL),
     usual AS (SELECT entity, median(n) AS med, count(*) AS hours FROM hourly GROUP BY entity)
     SELECT CAST(h.entity AS VARCHAR) AS entity, strftime(make_timestamp(h.hour * 3600000000), '%Y-%m-%dT%H:00:00Z') AS hour, h.n AS events, u.med AS usual,
            count(*) OVER () AS found
     FROM hourly h JOIN usual u USING (entity)
     WHERE u.hours >= 6 AND h.n >= $1 AND h.n >= $2 * u.med
     ORDER BY h.n DESC, entity, hour LIMIT $3`,
    [params.spike_min_events, params.spike_factor, params.max_listed],
    signal,
  );
  const spikes = rows.map((r) => ({ entity: plainText(r['entity']), hour: plainText(r['hour']), events: Number(r['events']), usual: Number(r['usual']) }));
  for (const spike of spikes) {
    await sql.run(
      `INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', $1, 0, '${SOURCE}', $2, $3)`,
      [`spike:${entity.name}`, spike.entity, JSON.stringify({ column: entity.name, hour: spike.hour, events: spike.events, usual_per_hour: spike.usual })],
      signal,
    );
  }
  // The count is taken before the LIMIT (a window over every spike): 60 spikes found, 50 listed.
  return { found: Number(rows[0]?.['found'] ?? 0), listed: spikes };
}
