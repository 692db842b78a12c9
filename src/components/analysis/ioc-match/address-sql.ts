// SQL expressions that turn IP address text into numbers, so CIDR ranges are matched by an ASOF join on the address
// number against disjoint intervals (see range-intervals.ts). The engine's inet extension would need a download,
// which CS Helper never does.
import { ipv6Groups, ipv6GroupsHex, ipv6Side, ipv6TextTest } from '../../../data/ipv6-number-sql.js';

/**
 * IPv4 text to a UBIGINT: `SELECT keep..., n` over `relation`, only rows that are an address (four parts of one to
 * three digits, each at most 255). The text is split once, not once per octet.
 */
export function ipv4NumberSelect(relation: string, keep: string, text: string): string {
  const octet = (n: number): string => `try_cast(p[${n}] AS UTINYINT)::UBIGINT`;
  return `SELECT ${keep}, n FROM (
    SELECT ${keep}, (${octet(1)} << 24) + (${octet(2)} << 16) + (${octet(3)} << 8) + ${octet(4)} AS n
    FROM (SELECT ${keep}, string_split(${text}, '.') AS p FROM ${relation} WHERE regexp_full_match(${text}, '[0-9]{1,3}(\\.[0-9]{1,3}){3}')))
    WHERE n IS NOT NULL`;
}

/**
 * IPv6 text to its eight groups, each padded to four hex digits, `::` expanded: `SELECT keep..., h` over `relation`.
 * Each step is its own subquery, so the halves around `::` are split once per distinct value (the pieces are shared
 * with the one-expression form the Sigma cidr test uses, ipv6-number-sql.ts). Text that passes the cheap test but is
 * not eight groups gets a NULL `h`, dropped by default; `invalid: 'null'` keeps the row, for consumers that match
 * nothing on NULL anyway: the engine pushes the `h IS NOT NULL` filter down through the subqueries by copying the
 * expressions of `h` and of the groups into it, so each was computed two or three times (measured on 25k distinct
 * IPv6 values: the filter alone 64 ms of a 140 ms statement).
 */
export function ipv6HexSelect(relation: string, keep: string, text: string, invalid: 'drop' | 'null' = 'drop'): string {
  return `SELECT ${keep}, h FROM (
    SELECT ${keep}, ${ipv6GroupsHex('g')} AS h
    FROM (SELECT ${keep}, ${ipv6Groups('t', 'a', 'b')} AS g
          FROM (SELECT ${keep}, t, ${ipv6Side('t', 1)} AS a, ${ipv6Side('t', 2)} AS b
                FROM (SELECT ${keep}, ${text} AS t FROM ${relation} WHERE ${ipv6TextTest(text)}))))${invalid === 'drop' ? ' WHERE h IS NOT NULL' : ''}`;
}
