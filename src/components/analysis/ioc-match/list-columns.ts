// List columns (Zeek's `set[...]` and `vector[...]` fields: a DNS log's `answers`, a files log's `tx_hosts`, an x509
// log's `san.dns`) hold several values per row. They get no role of their own (the components that act on a role
// expect one value per row), so the matching reads their elements here: a list whose elements are IPs, domains, host
// names, URLs or hashes is matched as free text (its text form, `[a, b]`, holds each element whole), which finds
// every element of every kind. The kinds may mix (a DNS answer list holds addresses and the names of CNAME records),
// so a list qualifies when most elements are an indicator of any kind, not of one.
import { quoteIdent } from '../../../data/sql-text.js';
import { plainText } from '../../../data/plain-value.js';
import type { SqlSession } from '../../../data/sql-session.js';
import { classifyIndicator } from '../../../intel/indicator-type.js';
import type { DatasetColumn } from '../../../model/dataset.js';

/** Elements read to tell a list's role, as many as the roles of other columns are told from. */
const SAMPLE_ELEMENTS = 200;

/** Share of the sampled elements that must be indicators: a list of counts or durations (Zeek's `TTLs`) has none. */
const INDICATOR_SHARE = 0.5;


/** Whether the engine type is a list (`VARCHAR[]`, `BIGINT[]`, ...). */
export function isListType(sqlType: string): boolean {
  return sqlType.endsWith('[]');
}

/** The list columns of `table` whose sampled elements are mostly indicators, in the order given. */
export async function indicatorListColumns(sql: SqlSession, table: string, columns: readonly DatasetColumn[], signal?: AbortSignal): Promise<DatasetColumn[]> {
  const found: DatasetColumn[] = [];
  for (const column of columns) {
    if (!isListType(column.sqlType)) continue;
    const name = quoteIdent(column.name);
    // The first non-empty lists, then their elements: a scan that stops early, as the other columns' sampling does.
    const rows = await sql.all(
      `SELECT CAST(e AS VARCHAR) AS e FROM (SELECT unnest(${name}) AS e FROM (SELECT ${name} FROM ${quoteIdent(table)} WHERE len(${name}) > 0 LIMIT ${SAMPLE_ELEMENTS})) WHERE e IS NOT NULL LIMIT ${SAMPLE_ELEMENTS}`,
      [],
      signal,
    );
    const samples = rows.map((r) => plainText(r['e']).trim()).filter((e) => e !== '');
    if (samples.length > 0 && samples.filter((e) => classifyIndicator(e) !== null).length / samples.length >= INDICATOR_SHARE) found.push(column);
  }
  return found;
}
