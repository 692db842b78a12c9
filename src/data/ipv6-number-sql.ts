// SQL pieces that read IPv6 address text as a 128-bit number (UHUGEINT), shared by indicator matching (ranges by an
// ASOF join, see ioc-match/address-sql.ts) and the Sigma `cidr` modifier (a range test on one field). As numbers,
// every way an address is written is the same address: Sysmon writes the loopback `0:0:0:0:0:0:0:1`, others `::1`.
// The engine's inet extension would need a download, which CS Helper never does.

/**
 * Lower-cased text that may be an IPv6 address: hex digits and colons, 2 to 39 characters, at most one `::`. Cheap
 * tests that keep everything else away from the splitting below. (Embedded IPv4 forms such as ::ffff:1.2.3.4 fail it.)
 */
export function ipv6TextTest(t: string): string {
  return `contains(${t}, ':') AND regexp_full_match(${t}, '[0-9a-f:]{2,39}') AND strlen(${t}) - strlen(replace(${t}, '::', ':')) <= 1`;
}

/** The groups written before (1) or after (2) the `::` of `t`, as a list (empty when none). */
export function ipv6Side(t: string, n: 1 | 2): string {
  return `CASE WHEN split_part(${t}, '::', ${n}) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${t}, '::', ${n}), ':') END`;
}

/**
 * The eight groups of `t`, `::` filled with zero groups, given its two sides `a` and `b`. A `::` stands for one zero
 * group or more (RFC 4291): eight groups written around one (`1:2:3:4::5:6:7:8`) give NULL.
 */
export function ipv6Groups(t: string, a: string, b: string): string {
  return `CASE WHEN NOT contains(${t}, '::') THEN string_split(${t}, ':') WHEN len(${a}) + len(${b}) <= 7 THEN ${a} || list_transform(range(8 - len(${a}) - len(${b})), x -> '0') || ${b} END`;
}

/** Eight groups as 32 hex digits (each padded to four), or NULL when they are not eight groups of one to four digits. */
export function ipv6GroupsHex(g: string): string {
  return `CASE WHEN len(${g}) = 8 AND list_bool_and(list_transform(${g}, x -> strlen(x) BETWEEN 1 AND 4)) THEN array_to_string(list_transform(${g}, x -> lpad(x, 4, '0')), '') END`;
}

/** High or low 64 bits of a 32-digit hex text. */
function hexHalf(hex: string, half: 'hi' | 'lo'): string {
  return `try_cast('0x' || ${half === 'hi' ? `left(${hex}, 16)` : `right(${hex}, 16)`} AS UBIGINT)`;
}

/** A 32-digit hex text as one UHUGEINT (the engine casts hex text to 64-bit integers, not to 128-bit ones). */
export function hexNumber(hex: string): string {
  return `((${hexHalf(hex, 'hi')}::UHUGEINT << 64) | ${hexHalf(hex, 'lo')}::UHUGEINT)`;
}

/**
 * One expression: the UHUGEINT of lower-cased IPv6 text `text`, NULL when it is none. Lambdas bind the text and its
 * groups once, so the expression does not repeat `text`; for a per-row test (a Sigma field), where the subquery form
 * of indicator matching, which splits a table's distinct values step by step, does not fit.
 */
export function ipv6Number(text: string): string {
  const groups = ipv6Groups('t', ipv6Side('t', 1), ipv6Side('t', 2));
  return `list_transform([${text}], t -> CASE WHEN ${ipv6TextTest('t')} THEN list_transform([${groups}], g -> ${hexNumber(ipv6GroupsHex('g'))})[1] END)[1]`;
}
