// Builds, from the deduplicated indicator table, the lookup tables the joins use: exact keys (IPs, hashes, domains,
// URL variants), IPv4 and IPv6 ranges as (prefix length, network number).
import { quoteIdent } from '../../../data/sql-text.js';
import type { SqlSession } from '../../../data/sql-session.js';
import { hexHalf, ipv4Number, ipv6Hex } from './address-sql.js';

export interface IndicatorKeyTables {
  /** (key, type, value): the text a data value must equal. */
  readonly exact: string;
  /** (bits, net, value): IPv4 ranges, `net` the address shifted right by 32 - bits. */
  readonly cidr4: string;
  /** (bits, hi, lo, value): IPv6 ranges, the kept prefix bits of each 64-bit half. */
  readonly cidr6: string;
}

/** Ranges broader than these are refused as indicators: a /4 flags a sixteenth of the Internet. */
export const MIN_IPV4_PREFIX = 8;
export const MIN_IPV6_PREFIX = 16;

/**
 * URL keys: the data side is only lower-cased (trimming and regexes on every row cost more than the join), so the
 * feed side carries the forms a URL is written in: with or without scheme, default port and trailing slash.
 */
const URL_KEY = `rtrim(regexp_replace(regexp_replace(value, '^[a-z][a-z0-9+.-]{0,15}://', ''), '^([^/?#:]*):(80|443)([/?#]|$)', '\\1\\3'), '/')`;

export async function buildIndicatorKeys(sql: SqlSession, indicators: string, signal?: AbortSignal): Promise<IndicatorKeyTables> {
  const tables: IndicatorKeyTables = { exact: `${indicators}_exact`, cidr4: `${indicators}_cidr4`, cidr6: `${indicators}_cidr6` };
  const i = quoteIdent(indicators);
  await sql.run(
    `CREATE TABLE ${quoteIdent(tables.exact)} AS
     SELECT value AS key, type, value FROM ${i} WHERE type <> 'url' AND type <> 'cidr'
     UNION
     SELECT prefix || host || port || rest || slash, type, value
     FROM (SELECT type, value, split_part(k, '/', 1) AS host, CASE WHEN contains(k, '/') THEN substr(k, length(split_part(k, '/', 1)) + 1) ELSE '' END AS rest
           FROM (SELECT type, value, ${URL_KEY} AS k FROM ${i} WHERE type = 'url'))
     CROSS JOIN (VALUES ('', ''), ('http://', ''), ('https://', ''), ('http://', ':80'), ('https://', ':443'), ('ftp://', '')) AS forms(prefix, port)
     CROSS JOIN (VALUES (''), ('/')) AS slashes(slash)
     WHERE port = '' OR NOT contains(host, ':')`,
    [],
    signal,
  );
  await sql.run(
    `CREATE TABLE ${quoteIdent(tables.cidr4)} AS
     SELECT bits, n >> (32 - bits)::UBIGINT AS net, value FROM (
       SELECT value, try_cast(split_part(value, '/', 2) AS UTINYINT) AS bits, ${ipv4Number("split_part(value, '/', 1)")} AS n
       FROM ${i} WHERE type = 'cidr' AND NOT contains(value, ':'))
     WHERE n IS NOT NULL AND bits BETWEEN ${MIN_IPV4_PREFIX} AND 32`,
    [],
    signal,
  );
  await sql.run(
    `CREATE TABLE ${quoteIdent(tables.cidr6)} AS
     SELECT bits, CASE WHEN bits <= 64 THEN ${hexHalf('h', 'hi')} >> (64 - bits)::UBIGINT ELSE ${hexHalf('h', 'hi')} END AS hi,
            CASE WHEN bits <= 64 THEN 0::UBIGINT ELSE ${hexHalf('h', 'lo')} >> (128 - bits)::UBIGINT END AS lo, value
     FROM (SELECT value, try_cast(split_part(value, '/', 2) AS UTINYINT) AS bits, ${ipv6Hex("split_part(value, '/', 1)")} AS h
           FROM ${i} WHERE type = 'cidr' AND contains(value, ':'))
     WHERE h IS NOT NULL AND bits BETWEEN ${MIN_IPV6_PREFIX} AND 128`,
    [],
    signal,
  );
  return tables;
}
