// Feeds imported with `cs-helper feeds import`, kept in the state folder as one Parquet file beside state.db
// (indicators with the feed name and import time), so every later run matches them without reading the files again.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import type { PlainRow, SqlSession } from '../../data/sql-session.js';
import { INDICATOR_COLUMNS, appendIndicators, createIndicatorTable } from './indicator-table.js';
import type { CollectedFeed } from './feed-indicator.js';

export const IMPORTED_FEEDS_FILE = join('intel', 'indicators.parquet');

export function importedFeedsPath(home: string): string {
  return join(home, IMPORTED_FEEDS_FILE);
}

export interface ImportedFeed {
  /** The name the feed is listed and replaced under (`--name`, or the file name). */
  readonly name: string;
  readonly feed: CollectedFeed;
}

/**
 * Adds feeds to the store; a feed imported again under the same name replaces its earlier indicators. Written to a
 * temporary file and renamed, so a reader never sees half a file.
 */
export async function storeImportedFeeds(sql: SqlSession, home: string, feeds: readonly ImportedFeed[], importedAt: Date, signal?: AbortSignal): Promise<number> {
  const path = importedFeedsPath(home);
  mkdirSync(join(home, 'intel'), { recursive: true });
  const table = `imported_${process.pid}_${Date.now()}`;
  await sql.run(`CREATE TEMP TABLE ${quoteIdent(table)} (feed VARCHAR, imported_at TIMESTAMPTZ, ${INDICATOR_COLUMNS})`, [], signal);
  try {
    if (existsSync(path)) {
      const names = feeds.map((f) => quoteLiteral(f.name)).join(', ');
      await sql.run(`INSERT INTO ${quoteIdent(table)} SELECT * FROM read_parquet(${quoteLiteral(path)}) WHERE feed NOT IN (${names})`, [], signal);
    }
    for (const { name, feed } of feeds) {
      const part = `${table}_part`;
      await createIndicatorTable(sql, part, signal);
      await appendIndicators(sql, part, feed.indicators, signal);
      await sql.run(`INSERT INTO ${quoteIdent(table)} SELECT ${quoteLiteral(name)}, ${quoteLiteral(importedAt.toISOString())}::TIMESTAMPTZ, * FROM ${quoteIdent(part)}`, [], signal);
      await sql.run(`DROP TABLE ${quoteIdent(part)}`, [], signal);
    }
    const temporary = `${path}.${process.pid}.tmp`;
    await sql.run(`COPY (SELECT * FROM ${quoteIdent(table)} ORDER BY feed, type, value) TO ${quoteLiteral(temporary)} (FORMAT parquet)`, [], signal);
    renameSync(temporary, path);
    return Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(table)}`, [], signal));
  } finally {
    await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`, [], signal);
  }
}

/** One row per imported feed: name, import time, sources, indicators by type. */
export async function listImportedFeeds(sql: SqlSession, home: string, signal?: AbortSignal): Promise<PlainRow[]> {
  const path = importedFeedsPath(home);
  if (!existsSync(path)) return [];
  return sql.all(
    `WITH by_type AS (SELECT feed, type, count(*) AS n, max(imported_at) AS last_import, list(DISTINCT source) AS sources FROM read_parquet(${quoteLiteral(path)}) GROUP BY feed, type)
     SELECT feed, strftime(timezone('UTC', max(last_import)), '%Y-%m-%dT%H:%M:%SZ') AS imported_at, sum(n)::BIGINT AS indicators,
            array_to_string(list_sort(list_distinct(flatten(list(sources)))), ';') AS sources, string_agg(type || '=' || n, ' ' ORDER BY type) AS by_type
     FROM by_type
     GROUP BY feed ORDER BY feed`,
    [],
    signal,
  );
}

/** Copies the stored indicators into an indicator table (without the feed and time columns); the number of feeds they came from, 0 when none are stored. */
export async function appendImportedFeeds(sql: SqlSession, home: string, table: string, signal?: AbortSignal): Promise<number> {
  const path = importedFeedsPath(home);
  if (!existsSync(path)) return 0;
  await sql.run(`INSERT INTO ${quoteIdent(table)} SELECT * EXCLUDE (feed, imported_at) FROM read_parquet(${quoteLiteral(path)})`, [], signal);
  return Number(await sql.scalar(`SELECT count(DISTINCT feed) FROM read_parquet(${quoteLiteral(path)})`, [], signal));
}

/** Removes the store (tests, `feeds` housekeeping). */
export function clearImportedFeeds(home: string): void {
  rmSync(importedFeedsPath(home), { force: true });
}
