// Matches a table of distinct data values (v, host) against the indicator keys, all as joins: IPs exactly, IPv4/IPv6
// ranges by one ASOF join on the address number against disjoint intervals, domains exactly and by suffix (each
// host's parent domains, no longer than the longest domain indicator, joined to the domain set). The result has one
// row per (value, indicator) with how it matched.
import { quoteIdent } from '../../../data/sql-text.js';
import { hexNumber } from '../../../data/ipv6-number-sql.js';
import { ipv4NumberSelect, ipv6HexSelect } from './address-sql.js';
import type { IndicatorKeyTables } from './indicator-keys.js';

export type MatchHow = 'exact' | 'cidr' | 'suffix' | 'url-host';

/** The host's first character is a digit, told by comparing the text (no string is made). */
const DIGIT_FIRST = `(host >= '0' AND host < ':')`;

/**
 * The high 96 bits of the IPv6 prefixes that carry an IPv4 address in their low 32: IPv4-mapped ::ffff:0:0/96 and
 * NAT64's well-known 64:ff9b::/96 (RFC 6052), as `n >> 32`.
 */
const EMBEDDING_PREFIXES = `65535::UHUGEINT, ${String(0x64ff9bn << 64n)}::UHUGEINT`;

/** Longest domain indicator (in labels) for which a host's suffixes are cut with one list slice each. */
const MAX_SLICED_LABELS = 6;

/**
 * The host a host-like value (an IP, a domain, a host name) is matched by: lower-cased, without a trailing dot. The
 * dot is rare, so it is stripped only when there: rtrim on every value cost three times the lower (measured). An IPv4
 * address inside IPv6 written with its dotted tail is matched as that IPv4 address, as feeds store it: IPv4-mapped
 * (`::ffff:10.0.0.5`, as Windows logs IPv4 peers of a dual-stack socket) and NAT64's well-known prefix
 * (`64:ff9b::10.0.0.5`, as an IPv6-only network reaches IPv4 hosts); told first by a leading `::`, `0:` or `64:`, a
 * byte test that other values fail. Written in hex groups, they are read by number (hostMatches).
 */
export function plainHost(v: string): string {
  const quad = '[0-9]{1,3}(\\.[0-9]{1,3}){3}';
  const embedding = `((::|(0{1,4}:){5})[fF]{4}:|0{0,2}64:[fF]{2}9[bB]:((0{1,4}:){0,3}:|(0{1,4}:){4}))${quad}`;
  const mapped = `(starts_with(${v}, '::') OR starts_with(${v}, '0:') OR starts_with(${v}, '64:') OR starts_with(${v}, '0064:')) AND regexp_full_match(${v}, '${embedding}')`;
  return `CASE WHEN ${mapped} THEN string_split(${v}, ':')[-1] WHEN ends_with(${v}, '.') THEN rtrim(lower(${v}), '.') ELSE lower(${v}) END`;
}

/**
 * SELECT of (keep..., type, value, how): the host-like values in `values` (columns `keep`, which hold v, and host) that
 * are, or fall under, an indicator: IPs exactly and in ranges, domains exactly and by suffix. `how` names the match for
 * the report. Two cheap tests run first, so the costly work is done only for the few values that can match:
 * - a domain match needs the host's last two labels to be those of some domain indicator (every indicator has two or
 *   more labels): one hash join on the two labels, no string made, before any suffix is cut;
 * - an IPv4 range match needs the address's first octet to be one a range covers: read from the text before the
 *   first dot, before the address is split and converted, and only for text that starts with a digit (a comparison
 *   of the text, no string made; the octet test on every host cost about as much as the range join itself).
 * An IPv4 address starts with a digit, an IPv6 address may not but holds a colon, a dotted number starts with a dot or
 * a digit: such tests cost next to nothing and keep host names out of the IP join and the address regexes.
 */
export function hostMatches(values: string, keys: IndicatorKeyTables, how: MatchHow | null = null, keep = 'v'): string {
  const v = quoteIdent(values);
  const label = (own: MatchHow): string => `'${how ?? own}'`;
  const kept = (alias: string): string =>
    keep
      .split(',')
      .map((column) => `${alias}.${column.trim()}`)
      .join(', ');
  const parts: string[] = [];
  // The ranges an address number falls in: the interval at or below it (ASOF), if it reaches the number, with every
  // range over that interval.
  const rangeHits = (numbers: string, n: string, ranges: string): string => `
      SELECT ${keep}, 'cidr' AS type, unnest(indicator_values) AS value, ${label('cidr')} AS how FROM (
        SELECT ${kept('a')}, a.${n}, r.hi, r.indicator_values
        FROM ${numbers} a
        ASOF JOIN ${quoteIdent(ranges)} r ON a.${n} >= r.lo)
      WHERE ${n} <= hi`;
  if (keys.sizes.domains > 0) {
    // The host's suffixes of 2 to maxDomainLabels labels (a domain indicator is never a bare TLD). Up to a few labels,
    // list slices (a host with fewer labels yields itself more than once, which the caller's DISTINCT folds); past
    // that (a feed with a long domain) the lambda, which makes no more suffixes than the host has labels.
    const p = 'x.p';
    const suffixes =
      keys.maxDomainLabels <= MAX_SLICED_LABELS
        ? `[${Array.from({ length: Math.max(keys.maxDomainLabels - 1, 1) }, (_, n) => `array_to_string(${p}[-${n + 2}:], '.')`).join(', ')}]`
        : `list_transform(range(greatest(len(${p}) - ${keys.maxDomainLabels}, 0), len(${p}) - 1), i -> array_to_string(${p}[i + 1:], '.'))`;
    parts.push(`
      SELECT ${kept('s')}, 'domain' AS type, k.value, CASE WHEN s.suffix = s.host THEN ${label('exact')} ELSE ${label('suffix')} END AS how
      FROM (SELECT ${kept('x')}, x.host, unnest(${suffixes}) AS suffix
            FROM (SELECT ${keep}, host, string_split(host, '.') AS p FROM ${v} WHERE contains(host, '.') AND NOT (host >= '.' AND host < ':' AND regexp_full_match(host, '[0-9.]+'))) x
            SEMI JOIN ${quoteIdent(keys.domainTails)} t ON t.last_label = ${p}[-1] AND t.second_label = ${p}[-2]) s
      JOIN ${quoteIdent(keys.domains)} k ON k.value = s.suffix`);
  }
  if (keys.sizes.ips > 0) {
    parts.push(`SELECT ${kept('x')}, 'ip' AS type, k.value, ${label('exact')} AS how FROM (SELECT * FROM ${v} WHERE ${DIGIT_FIRST} OR contains(host, ':')) x JOIN ${quoteIdent(keys.ips)} k ON k.value = x.host`);
  }
  if (keys.sizes.ranges4 > 0) {
    const candidates = `(SELECT ${keep}, host FROM ${v} WHERE ${DIGIT_FIRST} AND try_cast(left(host, strpos(host, '.') - 1) AS UTINYINT) IN (SELECT octet FROM ${quoteIdent(keys.ranges4Octets)}))`;
    parts.push(rangeHits(`(${ipv4NumberSelect(candidates, keep, 'host')})`, 'n', keys.ranges4));
  }
  // The values that are IPv6 text, as numbers: read once, in a materialized CTE, for every part below that needs them
  // (parsed again in each of the three, the benchmark's pairs statement took 90 ms against 69).
  const v6 = quoteIdent(`${values}_v6`);
  const v6Parts: string[] = [];
  if (keys.sizes.ips > 0 || keys.sizes.ranges4 > 0) {
    // An IPv4 address inside IPv6 written in hex groups (::ffff:c009:8749, 64:ff9b::c009:8749, zeros written out):
    // the address as a number is in ::ffff:0:0/96 or 64:ff9b::/96, and its low 32 bits are the IPv4 address, matched
    // exactly and in ranges as the IPv4 address it carries. (The dotted forms are read by plainHost.)
    const embedded = `(SELECT ${keep}, (n & 4294967295)::UBIGINT AS m FROM ${v6} WHERE (n >> 32) IN (${EMBEDDING_PREFIXES}))`;
    if (keys.sizes.ips > 0) {
      const dotted = `((m >> 24) & 255)::VARCHAR || '.' || ((m >> 16) & 255)::VARCHAR || '.' || ((m >> 8) & 255)::VARCHAR || '.' || (m & 255)::VARCHAR`;
      v6Parts.push(`SELECT ${kept('x')}, 'ip' AS type, k.value, ${label('exact')} AS how FROM (SELECT ${keep}, ${dotted} AS v4 FROM ${embedded}) x JOIN ${quoteIdent(keys.ips)} k ON k.value = x.v4`);
    }
    if (keys.sizes.ranges4 > 0) {
      v6Parts.push(rangeHits(embedded, 'm', keys.ranges4));
    }
  }
  if (keys.sizes.ips6 > 0) {
    // IPv6 text as a number: the text join above finds the feed's canonical form, this one every other form of it
    // (the caller's DISTINCT folds an address found both ways).
    v6Parts.push(`
      SELECT ${kept('a')}, 'ip' AS type, k.value, ${label('exact')} AS how
      FROM ${v6} a
      JOIN ${quoteIdent(keys.ips6)} k ON k.n = a.n`);
  }
  if (keys.sizes.ranges6 > 0) {
    v6Parts.push(rangeHits(v6, 'n', keys.ranges6));
  }
  parts.push(...v6Parts);
  // No key of any kind: an empty result of the same shape.
  const empty = keep
    .split(',')
    .map((column) => `NULL AS ${column.trim()}`)
    .join(', ');
  if (parts.length === 0) return `SELECT ${empty}, NULL::VARCHAR AS type, NULL::VARCHAR AS value, NULL::VARCHAR AS how WHERE false`;
  const union = parts.join('\nUNION ALL\n');
  // A value that is not an address has a NULL number, which no part matches (ASOF and equality joins skip NULLs, the
  // embedding test is NULL): not filtered out, since the engine's filter pushdown would parse each value again.
  return v6Parts.length === 0 ? union : `WITH ${v6} AS MATERIALIZED (SELECT ${keep}, ${hexNumber('h')} AS n FROM (${ipv6HexSelect(v, keep, 'host', 'null')}))\n${union}`;
}
