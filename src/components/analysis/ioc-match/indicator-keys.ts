// Builds, from the deduplicated indicator table, the lookup tables the joins use, one per kind of match, so each join
// builds its hash table from only the keys it can hit: IPs, domains, hashes, URL forms, and IPv4 / IPv6 ranges
// flattened into disjoint intervals.
import { quoteIdent } from '../../../data/sql-text.js';
import type { SqlSession } from '../../../data/sql-session.js';
import { hexNumber } from '../../../data/ipv6-number-sql.js';
import { ipv4NumberSelect, ipv6HexSelect } from './address-sql.js';
import { createRangeIntervals } from './range-intervals.js';
import { urlHost } from '../../../data/url-host-sql.js';

export interface IndicatorKeyTables {
  /** (value): IP indicators, matched exactly as text (IPv4, and IPv6 as the feed's canonical text). */
  readonly ips: string;
  /**
   * (n UHUGEINT, value): the IPv6 IP indicators as numbers, so an address matches however the data writes it (Sysmon
   * writes 2a00:1450:4001:81c:0:0:0:200e where the feed's canonical text is 2a00:1450:4001:81c::200e).
   */
  readonly ips6: string;
  /** (value): domain indicators, matched exactly and as a suffix. */
  readonly domains: string;
  /** (type, value, confidence, sources, threat, threat_type): MD5, SHA-1 and SHA-256 indicators, joined to rows directly. */
  readonly hashes: string;
  /**
   * (key, value, confidence, sources, threat, threat_type, url_host): the forms a URL indicator is written in, each a
   * key a lower-cased data URL must equal, with the key's host (urlHost): a data URL equal to a key has that host.
   */
  readonly urls: string;
  /**
   * (url_host): the distinct hosts of the URL keys, far fewer than the keys (a URL indicator has a dozen forms): the
   * data's URL hosts are looked up in it to find the keys an exact URL join needs.
   */
  readonly urlHosts: string;
  /** (lo, hi, indicator_values): IPv4 ranges as disjoint UBIGINT intervals, see range-intervals.ts. */
  readonly ranges4: string;
  /** (lo, hi, indicator_values): IPv6 ranges as disjoint UHUGEINT intervals. */
  readonly ranges6: string;
  /** (last_label, second_label): the last two labels of every domain indicator, which a host must end in to match one. */
  readonly domainTails: string;
  /** (octet UTINYINT): the first octets the IPv4 ranges cover, which an address must start with to fall in one. */
  readonly ranges4Octets: string;
  /** Rows of each table: a join against an empty table is left out of the SQL. */
  readonly sizes: Readonly<Record<'ips' | 'ips6' | 'domains' | 'hashes' | 'urls' | 'ranges4' | 'ranges6', number>>;
  /** The most labels of a domain indicator: a data host's suffixes longer than that cannot match, so none is made. */
  readonly maxDomainLabels: number;
}

/** Ranges broader than these are refused as indicators: a /4 flags a sixteenth of the Internet. */
export const MIN_IPV4_PREFIX = 8;
export const MIN_IPV6_PREFIX = 16;

/** The indicator columns a finding reports, carried by the tables that are joined to rows without the indicator table. */
export const INDICATOR_INFO = 'confidence, sources, threat, threat_type';

const MAX_IPV4 = '4294967295::UBIGINT';
const MAX_IPV6 = '340282366920938463463374607431768211455::UHUGEINT';

/**
 * URL keys: the data side is only lower-cased (trimming and regexes on every value cost more than the join), so the
 * feed side carries the forms a URL is written in: with or without scheme, default port and trailing slash.
 */
const URL_KEY = `rtrim(regexp_replace(regexp_replace(value, '^[a-z][a-z0-9+.-]{0,15}://', ''), '^([^/?#:]*):(80|443)([/?#]|$)', '\\1\\3'), '/')`;

export async function buildIndicatorKeys(sql: SqlSession, indicators: string, signal?: AbortSignal): Promise<IndicatorKeyTables> {
  const name = (suffix: string): string => `${indicators}_${suffix}`;
  const i = quoteIdent(indicators);
  const tables = {
    ips: name('ips'),
    ips6: name('ips6'),
    domains: name('domains'),
    hashes: name('hashes'),
    urls: name('urls'),
    urlHosts: name('url_hosts'),
    ranges4: name('ranges4'),
    ranges6: name('ranges6'),
    domainTails: name('domain_tails'),
    ranges4Octets: name('ranges4_octets'),
  };
  await sql.run(`CREATE TABLE ${quoteIdent(tables.ips)} AS SELECT value FROM ${i} WHERE type = 'ip'`, [], signal);
  await sql.run(
    `CREATE TABLE ${quoteIdent(tables.ips6)} AS SELECT ${hexNumber('h')} AS n, value FROM (${ipv6HexSelect(`(SELECT value FROM ${i} WHERE type = 'ip' AND contains(value, ':'))`, 'value', 'value')})`,
    [],
    signal,
  );
  await sql.run(`CREATE TABLE ${quoteIdent(tables.domains)} AS SELECT value FROM ${i} WHERE type = 'domain'`, [], signal);
  await sql.run(`CREATE TABLE ${quoteIdent(tables.hashes)} AS SELECT type, value, ${INDICATOR_INFO} FROM ${i} WHERE type IN ('md5', 'sha1', 'sha256')`, [], signal);
  await sql.run(
    // The host is read once per URL, not per form: a scheme, a default port or a trailing slash does not change it.
    `CREATE TABLE ${quoteIdent(tables.urls)} AS
     SELECT key, value, ${INDICATOR_INFO}, url_host FROM (
       SELECT DISTINCT prefix || host || port || rest || slash AS key, value, ${INDICATOR_INFO}, url_host
       FROM (SELECT *, split_part(k, '/', 1) AS host, CASE WHEN contains(k, '/') THEN substr(k, length(split_part(k, '/', 1)) + 1) ELSE '' END AS rest, ${urlHost('k')} AS url_host
             FROM (SELECT value, ${INDICATOR_INFO}, ${URL_KEY} AS k FROM ${i} WHERE type = 'url'))
       CROSS JOIN (VALUES ('', ''), ('http://', ''), ('https://', ''), ('http://', ':80'), ('https://', ':443'), ('ftp://', '')) AS forms(prefix, port)
       CROSS JOIN (VALUES (''), ('/')) AS slashes(slash)
       WHERE port = '' OR NOT contains(host, ':'))`,
    [],
    signal,
  );
  await sql.run(`CREATE TABLE ${quoteIdent(tables.urlHosts)} AS SELECT DISTINCT url_host FROM ${quoteIdent(tables.urls)} WHERE url_host IS NOT NULL`, [], signal);
  const ranges4 = await createRangeIntervals(
    sql,
    tables.ranges4,
    {
      numberType: 'UBIGINT',
      addressBits: 32,
      maxAddress: MAX_IPV4,
      ranges: `SELECT value, bits, lo, lo + ((1::UBIGINT << shift) - 1::UBIGINT) AS hi FROM (
                 SELECT value, bits, shift, (n >> shift) << shift AS lo FROM (
                   SELECT value, bits, (32 - bits)::UBIGINT AS shift, n FROM (
                     ${ipv4NumberSelect(`(SELECT value, split_part(value, '/', 1) AS address, try_cast(split_part(value, '/', 2) AS UTINYINT) AS bits FROM ${i} WHERE type = 'cidr' AND NOT contains(value, ':'))`, 'value, bits', 'address')})
                   WHERE bits BETWEEN ${MIN_IPV4_PREFIX} AND 32))`,
    },
    signal,
  );
  const ranges6 = await createRangeIntervals(
    sql,
    tables.ranges6,
    {
      numberType: 'UHUGEINT',
      addressBits: 128,
      maxAddress: MAX_IPV6,
      ranges: `SELECT value, bits, lo, lo + ((1::UHUGEINT << shift) - 1::UHUGEINT) AS hi FROM (
                 SELECT value, bits, shift, (${hexNumber('h')} >> shift) << shift AS lo FROM (
                   SELECT value, bits, (128 - bits)::UHUGEINT AS shift, h FROM (
                     ${ipv6HexSelect(`(SELECT value, split_part(value, '/', 1) AS address, try_cast(split_part(value, '/', 2) AS UTINYINT) AS bits FROM ${i} WHERE type = 'cidr' AND contains(value, ':'))`, 'value, bits', 'address')})
                   WHERE bits BETWEEN ${MIN_IPV6_PREFIX} AND 128))`,
    },
    signal,
  );
  await sql.run(`CREATE TABLE ${quoteIdent(tables.domainTails)} AS SELECT DISTINCT p[-1] AS last_label, p[-2] AS second_label FROM (SELECT string_split(value, '.') AS p FROM ${quoteIdent(tables.domains)})`, [], signal);
  // At most 256 rows: a /8 covers one octet, and no broader range is kept.
  await sql.run(
    `CREATE TABLE ${quoteIdent(tables.ranges4Octets)} AS SELECT DISTINCT octet::UTINYINT AS octet FROM (SELECT unnest(range((lo >> 24)::BIGINT, (hi >> 24)::BIGINT + 1)) AS octet FROM ${quoteIdent(tables.ranges4)})`,
    [],
    signal,
  );
  const count = async (table: string): Promise<number> => Number(await sql.scalar(`SELECT count(*) FROM ${quoteIdent(table)}`, [], signal));
  const sizes = { ips: await count(tables.ips), ips6: await count(tables.ips6), domains: await count(tables.domains), hashes: await count(tables.hashes), urls: await count(tables.urls), ranges4, ranges6 };
  const maxDomainLabels = Number(await sql.scalar(`SELECT coalesce(max(len(string_split(value, '.'))), 0) FROM ${quoteIdent(tables.domains)}`, [], signal));
  return { ...tables, sizes, maxDomainLabels };
}
