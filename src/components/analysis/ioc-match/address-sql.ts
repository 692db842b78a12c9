// SQL expressions that turn IP address text into numbers, so CIDR ranges are matched by an ASOF join on the address
// number against disjoint intervals (see range-intervals.ts). The engine's inet extension would need a download,
// which CS Helper never does.

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
 * IPv6 text to its eight groups, each padded to four hex digits, `::` expanded: `SELECT keep..., h` over `relation`,
 * only rows that are eight groups. Each step is its own subquery, so the halves around `::` are split once. A `::`
 * stands for one zero group or more (RFC 4291): eight groups written around one (`1:2:3:4::5:6:7:8`) are no address.
 * (Embedded IPv4 forms such as ::ffff:1.2.3.4 are left out: the feed side stores them as IPv4.)
 */
export function ipv6HexSelect(relation: string, keep: string, text: string): string {
  const side = (n: 1 | 2): string => `CASE WHEN split_part(t, '::', ${n}) = '' THEN []::VARCHAR[] ELSE string_split(split_part(t, '::', ${n}), ':') END`;
  return `SELECT ${keep}, h FROM (
    SELECT ${keep}, CASE WHEN len(g) = 8 AND list_bool_and(list_transform(g, x -> strlen(x) BETWEEN 1 AND 4)) THEN array_to_string(list_transform(g, x -> lpad(x, 4, '0')), '') END AS h
    FROM (SELECT ${keep}, CASE WHEN NOT contains(t, '::') THEN string_split(t, ':') WHEN len(a) + len(b) <= 7 THEN a || list_transform(range(8 - len(a) - len(b)), x -> '0') || b END AS g
          FROM (SELECT ${keep}, t, ${side(1)} AS a, ${side(2)} AS b
                FROM (SELECT ${keep}, ${text} AS t FROM ${relation}
                      WHERE contains(${text}, ':') AND regexp_full_match(${text}, '[0-9a-f:]{2,39}') AND strlen(${text}) - strlen(replace(${text}, '::', ':')) <= 1))))
    WHERE h IS NOT NULL`;
}

/** High or low 64 bits of a 32-digit hex text. */
export function hexHalf(hex: string, half: 'hi' | 'lo'): string {
  return `try_cast('0x' || ${half === 'hi' ? `left(${hex}, 16)` : `right(${hex}, 16)`} AS UBIGINT)`;
}

/** A 32-digit hex text as one UHUGEINT (the engine casts hex text to 64-bit integers, not to 128-bit ones). */
export function hexNumber(hex: string): string {
  return `((${hexHalf(hex, 'hi')}::UHUGEINT << 64) | ${hexHalf(hex, 'lo')}::UHUGEINT)`;
}
