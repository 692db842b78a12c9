// The one indicator table every feed is normalised into, in the engine: loaders' rows are appended, then the
// Parquet store of imported feeds (if any) is read beside them.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import type { FeedIndicator } from './feed-indicator.js';

/** Column list of the indicator table; `tags` is a list, times are text as the feeds wrote them. */
export const INDICATOR_COLUMNS = 'type VARCHAR, value VARCHAR, source VARCHAR, confidence DOUBLE, first_seen VARCHAR, last_seen VARCHAR, tags VARCHAR[], malware_family VARCHAR, threat_type VARCHAR';
const TAG_SEPARATOR = '\u001f';

export async function createIndicatorTable(sql: SqlSession, table: string, signal?: AbortSignal): Promise<void> {
  await sql.run(`CREATE TABLE ${quoteIdent(table)} (${INDICATOR_COLUMNS})`, [], signal);
}

/** Appends loader rows: through a staging table because the appender takes text and numbers only (tags are a list). */
export async function appendIndicators(sql: SqlSession, table: string, indicators: readonly FeedIndicator[], signal?: AbortSignal): Promise<void> {
  const staging = `${table}_staging`;
  await sql.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(staging)} (type VARCHAR, value VARCHAR, source VARCHAR, confidence DOUBLE, first_seen VARCHAR, last_seen VARCHAR, tags VARCHAR, malware_family VARCHAR, threat_type VARCHAR)`, [], signal);
  await sql.append(
    staging,
    indicators.map((i) => [i.type, i.value, i.source, i.confidence, i.firstSeen, i.lastSeen, i.tags.map((t) => t.replaceAll(TAG_SEPARATOR, ' ')).join(TAG_SEPARATOR), i.malwareFamily, i.threatType]),
    signal,
  );
  await sql.run(
    `INSERT INTO ${quoteIdent(table)} SELECT type, value, source, confidence, first_seen, last_seen,
       CASE WHEN tags = '' THEN []::VARCHAR[] ELSE string_split(tags, ${quoteLiteral(TAG_SEPARATOR)}) END, malware_family, threat_type FROM ${quoteIdent(staging)}`,
    [],
    signal,
  );
  await sql.run(`DROP TABLE ${quoteIdent(staging)}`, [], signal);
}
