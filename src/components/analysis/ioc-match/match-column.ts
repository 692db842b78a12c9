// Matches one column against the indicator tables and appends its hits to the staging findings: the column's
// distinct values are matched first (exact keys, ranges, suffixes, URL hosts, or values extracted from text), then
// the (value, indicator) pairs are joined back to the rows.
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import type { SqlSession } from '../../../data/sql-session.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import type { IndicatorKeyTables } from './indicator-keys.js';
import { extractedValuesSql } from './text-extraction-sql.js';
import { hostMatches, urlHost } from './value-matches.js';

/** How a column is matched; `text` columns have their indicators extracted first. */
export type ColumnMatch = 'host' | 'url' | 'hash' | 'text';

/** Columns of the staging table: the findings columns plus the column's position, to keep one finding per row and indicator. */
export const STAGING_COLUMNS = 'row_id BIGINT, position INTEGER, label VARCHAR, score DOUBLE, source VARCHAR, entity VARCHAR, detail VARCHAR';

export interface ColumnJob {
  readonly table: string;
  readonly rowId: string;
  readonly staging: string;
  readonly indicators: string;
  readonly keys: IndicatorKeyTables;
  readonly column: DatasetColumn;
  readonly match: ColumnMatch;
  readonly position: number;
}

/** Finds the column's (value, indicator) pairs on distinct values, then joins them back to the rows. */
export async function matchColumn(sql: SqlSession, job: ColumnJob, signal: AbortSignal): Promise<void> {
  const c = `d.${quoteIdent(job.column.name)}`;
  const lowered = `lower(${job.column.sqlType === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`})`;
  const values = `${job.staging}_values`;
  const pairs = `${job.staging}_pairs`;
  const exactOf = (types: readonly string[], from: string, how: string): string =>
    `SELECT v, k.type, k.value, '${how}' AS how FROM ${from} x JOIN ${quoteIdent(job.keys.exact)} k ON k.key = x.v AND k.type IN (${types.map(quoteLiteral).join(', ')})`;

  let rows: string;
  if (job.match === 'hash') {
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(pairs)} AS ${exactOf(['md5', 'sha1', 'sha256'], `(SELECT DISTINCT ${lowered} AS v FROM ${quoteIdent(job.table)} d) `, 'exact')}`, [], signal);
    rows = `SELECT d.${quoteIdent(job.rowId)} AS row_id, ${lowered} AS v FROM ${quoteIdent(job.table)} d WHERE ${c} IS NOT NULL`;
  } else if (job.match === 'text') {
    const extracted = `${job.staging}_extracted`;
    await sql.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(extracted)} AS ${extractedValuesSql(job.table, job.rowId, job.column.name)}`, [], signal);
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(values)} AS SELECT DISTINCT v, CASE WHEN kind = 'url' THEN ${urlHost('v')} ELSE v END AS host, kind FROM ${quoteIdent(extracted)}`, [], signal);
    await sql.run(
      `CREATE TEMP TABLE ${quoteIdent(pairs)} AS
       ${exactOf(['md5', 'sha1', 'sha256'], `(SELECT v FROM ${quoteIdent(values)} WHERE kind = 'hash')`, 'extracted')}
       UNION ALL ${exactOf(['url'], `(SELECT v FROM ${quoteIdent(values)} WHERE kind = 'url')`, 'extracted')}
       UNION ALL SELECT v, type, value, 'extracted' FROM (${hostMatches(values, job.keys)})`,
      [],
      signal,
    );
    rows = `SELECT row_id, v FROM ${quoteIdent(extracted)}`;
  } else {
    const host = job.match === 'url' ? urlHost('v') : `rtrim(v, '.')`;
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(values)} AS SELECT v, ${host} AS host FROM (SELECT DISTINCT ${lowered} AS v FROM ${quoteIdent(job.table)} d WHERE ${c} IS NOT NULL)`, [], signal);
    const urlExact = job.match === 'url' ? `${exactOf(['url'], quoteIdent(values), 'exact')} UNION ALL ` : '';
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(pairs)} AS ${urlExact}${hostMatches(values, job.keys, job.match === 'url' ? 'url-host' : null)}`, [], signal);
    rows = `SELECT d.${quoteIdent(job.rowId)} AS row_id, ${lowered} AS v FROM ${quoteIdent(job.table)} d WHERE ${c} IS NOT NULL`;
  }
  await sql.run(
    `INSERT INTO ${quoteIdent(job.staging)}
     SELECT r.row_id, ${job.position}, p.type || ':' || p.value, 50 + 40 * i.confidence, i.sources, p.value,
            json_object('column', ${quoteLiteral(job.column.name)}, 'match', p.how, 'value', left(r.v, 256), 'threat', i.threat, 'threat_type', i.threat_type, 'confidence', i.confidence)::VARCHAR
     FROM (${rows}) r
     JOIN (SELECT DISTINCT * FROM ${quoteIdent(pairs)}) p ON p.v = r.v
     JOIN ${quoteIdent(job.indicators)} i ON i.type = p.type AND i.value = p.value`,
    [],
    signal,
  );
  await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(pairs)}`, [], signal);
  await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(values)}`, [], signal);
  await sql.run(`DROP TABLE IF EXISTS ${quoteIdent(`${job.staging}_extracted`)}`, [], signal);
}
