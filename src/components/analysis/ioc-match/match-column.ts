// Matches a dataset's columns against the indicator tables and appends the findings, one per row and indicator.
// - host columns (IP, domain, hostname) and the hosts of URL columns are matched together: the distinct values of every
//   such column (for a URL column, its distinct authority parts) go into one table, which is matched against the keys
//   once (exact IPs, ranges, domain suffixes cost per value, and a million rows hold far fewer distinct ones); only
//   the (value, indicator) pairs found are joined back to the rows of their column, on the raw value;
// - url: besides its host, one hash join of the lower-cased URLs on the URL keys;
// - hash: one hash join of the lower-cased values on the hash keys;
// - text: indicators are extracted first, then matched like the above.
// Every column's hits feed one INSERT that keeps, per row and indicator, the hit of the first column.
// Distinct URLs are not worth it: measured on 1M rows with 700k distinct URLs, DISTINCT alone cost 4x the row join.
import { plainText } from '../../../data/plain-value.js';
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import type { SqlSession } from '../../../data/sql-session.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { INDICATOR_INFO, type IndicatorKeyTables } from './indicator-keys.js';
import { extractedValuesSql } from './text-extraction-sql.js';
import { authorityHost, authorityPart, urlHost } from '../../../data/url-host-sql.js';
import { hostMatches, plainHost } from './value-matches.js';

/**
 * Matched authority parts of a URL column up to which the join back searches each URL for them before cutting its
 * authority part (a byte search per part per row; past a few, the one split per row costs less).
 */
const FEW_AUTHORITIES = 8;
/** Longest authority part written into the SQL as a literal: the parts come from the data, which may be hostile. */
const MAX_LITERAL_CHARS = 256;

/** How a column is matched; `text` columns have their indicators extracted first. */
export type ColumnMatch = 'host' | 'url' | 'hash' | 'text';

export interface MatchedColumn {
  readonly column: DatasetColumn;
  readonly match: ColumnMatch;
}

export interface MatchJob {
  readonly table: string;
  readonly rowId: string;
  /** The deduplicated indicator table (type, value, confidence, sources, threat, threat_type). */
  readonly indicators: string;
  readonly keys: IndicatorKeyTables;
  /** In order of precedence: a row's hit on an indicator found in several columns is reported from the first. */
  readonly columns: readonly MatchedColumn[];
  /** Prefix of the scratch tables, all dropped before returning. */
  readonly scratch: string;
  /** The findings table (FINDINGS_COLUMNS) the hits are appended to. */
  readonly findings: string;
}

/** A column with its place in the precedence order. */
interface Placed extends MatchedColumn {
  readonly position: number;
}

/** Creates a scratch table from a SELECT (and remembers it, to drop it after). */
type CreateScratch = (table: string, select: string) => Promise<void>;

/** Finds the hits of every column and appends them, one finding per row and indicator, to the findings table. */
export async function matchColumns(sql: SqlSession, job: MatchJob, signal?: AbortSignal): Promise<void> {
  const made: string[] = [];
  const create: CreateScratch = async (table, select) => {
    made.push(table);
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(table)} AS ${select}`, [], signal);
  };
  try {
    const placed = job.columns.map((c, position): Placed => ({ ...c, position }));
    const hosts = await hostHits(sql, job, placed, create, signal);
    const hits = [...hosts.hits, ...placed.flatMap((c) => (c.match === 'url' ? urlExactHits(job, c, hosts.urlKeys) : c.match === 'hash' ? hashHits(job, c) : []))];
    for (const c of placed) if (c.match === 'text') hits.push(...(await textHits(sql, job, c, create, signal)));
    if (hits.length === 0) return;
    // A window filter keeps the first column's hit: measured 40% cheaper than DISTINCT ON with its ORDER BY on 17k hits,
    // and partitioned on the type and value as they are, not on their joined label (7% of the statement, measured).
    await sql.run(
      `INSERT INTO ${quoteIdent(job.findings)}
       SELECT row_id, 'ioc', type || ':' || value, 50 + 40 * confidence, sources, value,
              json_object('column', column_name, 'match', how, 'value', left(v, 256), 'threat', threat, 'threat_type', threat_type, 'confidence', confidence)::VARCHAR
       FROM (${hits.join('\nUNION ALL\n')})
       QUALIFY row_number() OVER (PARTITION BY row_id, type, value ORDER BY position) = 1`,
      [],
      signal,
    );
  } finally {
    for (const table of made) await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`, [], signal);
  }
}

/** Expressions of a column in a FROM of the dataset table aliased `d`. */
function columnSql(job: MatchJob, c: Placed): { raw: string; notNull: string; from: string; rowId: string; head: string } {
  const quoted = `d.${quoteIdent(c.column.name)}`;
  const raw = c.column.sqlType === 'VARCHAR' ? quoted : `CAST(${quoted} AS VARCHAR)`;
  const rowId = `d.${quoteIdent(job.rowId)}`;
  // The leading columns every hit SELECT shares: (row_id, position, column_name, v).
  const head = `${rowId} AS row_id, ${c.position} AS position, ${quoteLiteral(c.column.name)} AS column_name, lower(${raw}) AS v`;
  return { raw, notNull: `${quoted} IS NOT NULL`, from: `${quoteIdent(job.table)} d`, rowId, head };
}

/** The indicator columns a finding reports (confidence, sources, threat, threat type), of the table `alias`. */
function indicatorColumns(alias: string): string {
  return INDICATOR_INFO.split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}

/**
 * SELECTs of hits (row_id, position, column_name, v, type, value, how, indicator columns) of the host columns and the
 * hosts of URL columns. Their distinct values, one table for all of them, are matched in one statement; a column's
 * pairs then go back to its rows. Also the URL keys the exact URL join needs, as a relation: only those whose host is
 * the host of some URL of the data (a URL equal to a key has the key's host), often none, and a join with an empty
 * side costs nothing (measured: 2 ms against 45 for the 1M URLs); all of them when the hosts were not read.
 */
async function hostHits(sql: SqlSession, job: MatchJob, placed: readonly Placed[], create: CreateScratch, signal?: AbortSignal): Promise<{ hits: string[]; urlKeys: string }> {
  const { sizes } = job.keys;
  const columns = placed.filter((c) => c.match === 'host' || c.match === 'url');
  if (columns.length === 0 || sizes.domains + sizes.ips + sizes.ranges4 + sizes.ranges6 === 0) return { hits: [], urlKeys: quoteIdent(job.keys.urls) };
  const values = `${job.scratch}_values`;
  const pairs = `${job.scratch}_pairs`;
  await create(
    values,
    columns
      .map((c) => {
        const { raw, notNull, from } = columnSql(job, c);
        // A URL's host is read from its distinct authority parts, far fewer than its distinct URLs.
        return c.match === 'url'
          ? `SELECT ${c.position} AS col, a AS v, ${authorityHost('a')} AS host FROM (SELECT DISTINCT ${authorityPart(raw)} AS a FROM ${from} WHERE ${notNull})`
          : `SELECT ${c.position} AS col, v, ${plainHost('v')} AS host FROM (SELECT DISTINCT ${raw} AS v FROM ${from} WHERE ${notNull})`;
      })
      .join('\nUNION ALL\n'),
  );
  const urlColumns = columns.filter((c) => c.match === 'url').map((c) => c.position);
  // A relation, not a table: written out, the 17k keys of the benchmark cost more than the smaller join saved. The
  // data's hosts are first looked up among the keys' distinct hosts (a hash table of those, not of the data's hosts:
  // the cut took 18 ms against 25 on the benchmark's 101k URL hosts and 8k key hosts), then the keys of those found.
  const urlKeys =
    urlColumns.length === 0
      ? quoteIdent(job.keys.urls)
      : `(SELECT k.* FROM ${quoteIdent(job.keys.urls)} k SEMI JOIN (
           SELECT x.host FROM ${quoteIdent(values)} x SEMI JOIN ${quoteIdent(job.keys.urlHosts)} u ON u.url_host = x.host WHERE x.col IN (${urlColumns.join(', ')})
         ) h ON h.host = k.url_host)`;
  const how = urlColumns.length === 0 ? 'how' : `CASE WHEN col IN (${urlColumns.join(', ')}) THEN 'url-host' ELSE how END`;
  await create(
    pairs,
    `SELECT p.*, ${indicatorColumns('k')}
     FROM (SELECT DISTINCT col, v, type, value, ${how} AS how FROM (${hostMatches(values, job.keys, null, 'col, v')})) p
     JOIN ${quoteIdent(job.indicators)} k ON k.type = p.type AND k.value = p.value`,
  );
  // Per column that found a pair: for a URL column, its matched authority parts when they are few (see below), else
  // null. A host column needs only to be named (counting and listing every column's matched values took twice as long).
  const found = new Map<number, string[] | null>();
  const hostColumnsFound = `SELECT DISTINCT col, NULL::VARCHAR[] AS few FROM ${quoteIdent(pairs)}`;
  const foundSql =
    urlColumns.length === 0
      ? hostColumnsFound
      : `SELECT col, CASE WHEN count(DISTINCT v) <= ${FEW_AUTHORITIES} AND max(strlen(v)) <= ${MAX_LITERAL_CHARS} THEN list(DISTINCT v ORDER BY v) END AS few
         FROM ${quoteIdent(pairs)} WHERE col IN (${urlColumns.join(', ')}) GROUP BY col
         UNION ALL ${hostColumnsFound} WHERE col NOT IN (${urlColumns.join(', ')})`;
  for (const row of await sql.all(foundSql, [], signal)) {
    found.set(Number(row['col']), Array.isArray(row['few']) ? row['few'].map((v) => plainText(v)) : null);
  }
  const hits = columns
    .filter((c) => found.has(c.position))
    .map((c) => {
      const { raw, notNull, from, head } = columnSql(job, c);
      const pairsOf = `(SELECT * FROM ${quoteIdent(pairs)} WHERE col = ${c.position})`;
      if (c.match !== 'url') return `SELECT ${head}, p.type, p.value, p.how, ${indicatorColumns('p')} FROM ${from} JOIN ${pairsOf} p ON p.v = ${raw}`;
      // The authority part is cut again on the way back: for the rows that contain one of the matched parts (a URL
      // holds its own authority part as it is written) when those are few, a byte search per part that costs far
      // less than the split of every URL (measured: 143 ms of a 1M-row join back).
      const few = found.get(c.position) ?? null;
      // The row id and the column only: the row id may be the engine's rowid, which `*` leaves out.
      const candidates = few === null ? from : `(SELECT d.${quoteIdent(job.rowId)}, d.${quoteIdent(c.column.name)} FROM ${from} WHERE ${notNull} AND (${few.map((a) => `contains(${raw}, ${quoteLiteral(a)})`).join(' OR ')})) d`;
      return `SELECT ${head}, p.type, p.value, p.how, ${indicatorColumns('p')} FROM ${candidates} JOIN ${pairsOf} p ON p.v = ${authorityPart(raw)}`;
    });
  return { hits, urlKeys };
}

/**
 * The hits of a URL column on the URL keys (`keys`: a relation, the key table or the part of it that can match): the
 * lower-cased URL equals one of the forms an indicator is written in.
 */
function urlExactHits(job: MatchJob, c: Placed, keys: string): string[] {
  if (job.keys.sizes.urls === 0) return [];
  const { raw, from, head } = columnSql(job, c);
  return [`SELECT ${head}, 'url' AS type, k.value, 'exact' AS how, ${indicatorColumns('k')} FROM ${from} JOIN ${keys} k ON k.key = lower(${raw})`];
}

/** The hits of a hash column: one hash join of the lower-cased values. */
function hashHits(job: MatchJob, c: Placed): string[] {
  if (job.keys.sizes.hashes === 0) return [];
  const { raw, from, head } = columnSql(job, c);
  return [`SELECT ${head}, k.type, k.value, 'exact' AS how, ${indicatorColumns('k')} FROM ${from} JOIN ${quoteIdent(job.keys.hashes)} k ON k.value = lower(${raw})`];
}

/**
 * The hits of a free-text column: its indicators are extracted (one row per row and value), then matched by kind. A
 * text can hold an indicator twice (a host, and the host of a URL; two URLs on one host): its finding reports the
 * shortest value found, so the same data always give the same finding (the INSERT's window would see them as one
 * column's tie, and kept either; breaking the tie there cost every match a sort, not just the text columns).
 */
async function textHits(sql: SqlSession, job: MatchJob, c: Placed, create: CreateScratch, signal?: AbortSignal): Promise<string[]> {
  const [extracted, values, pairs] = ['extracted', 'text_values', 'text_pairs'].map((name) => `${job.scratch}_${name}_${c.position}`) as [string, string, string];
  await create(extracted, extractedValuesSql(job.table, job.rowId, c.column.name));
  await create(values, `SELECT DISTINCT v, CASE WHEN kind = 'url' THEN ${urlHost('v')} ELSE v END AS host, kind FROM ${quoteIdent(extracted)}`);
  const x = quoteIdent(values);
  await create(
    pairs,
    `SELECT p.*, ${indicatorColumns('k')}
     FROM (SELECT DISTINCT * FROM (
       SELECT x.v, k.type, k.value, 'extracted' AS how FROM ${x} x JOIN ${quoteIdent(job.keys.hashes)} k ON k.value = x.v WHERE x.kind = 'hash'
       UNION ALL SELECT x.v, 'url', k.value, 'extracted' FROM ${x} x JOIN ${quoteIdent(job.keys.urls)} k ON k.key = x.v WHERE x.kind = 'url'
       UNION ALL SELECT v, type, value, 'extracted' FROM (${hostMatches(values, job.keys)}))) p
     JOIN ${quoteIdent(job.indicators)} k ON k.type = p.type AND k.value = p.value`,
  );
  if (Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(pairs)}`, [], signal)) === 0) return [];
  return [
    `SELECT x.row_id, ${c.position} AS position, ${quoteLiteral(c.column.name)} AS column_name, x.v, p.type, p.value, p.how, ${indicatorColumns('p')}
     FROM ${quoteIdent(extracted)} x JOIN ${quoteIdent(pairs)} p ON p.v = x.v
     QUALIFY row_number() OVER (PARTITION BY x.row_id, p.type, p.value ORDER BY strlen(x.v), x.v) = 1`,
  ];
}
