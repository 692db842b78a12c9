// SQL expressions that turn IP address text into numbers, so CIDR ranges are matched as equality joins on the
// network part (one per prefix length present) rather than range scans. The engine's inet extension would need a
// download, which CS Helper never does.

/** IPv4 text to a UBIGINT, NULL for anything else (an octet over 255 included). */
export function ipv4Number(v: string): string {
  const octet = (n: number): string => `try_cast(split_part(${v}, '.', ${n}) AS UTINYINT)::UBIGINT`;
  return `CASE WHEN regexp_full_match(${v}, '[0-9]{1,3}(\\.[0-9]{1,3}){3}') THEN (${octet(1)} << 24) + (${octet(2)} << 16) + (${octet(3)} << 8) + ${octet(4)} END`;
}

/**
 * IPv6 text to its eight groups, each padded to four hex digits, `::` expanded; NULL unless it is eight groups.
 * (Embedded IPv4 forms such as ::ffff:1.2.3.4 are left out: the feed side stores them as IPv4.)
 */
export function ipv6Hex(v: string): string {
  const side = (n: 1 | 2): string => `CASE WHEN split_part(${v}, '::', ${n}) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${v}, '::', ${n}), ':') END`;
  const groups = `CASE WHEN contains(${v}, '::') THEN ${side(1)} || list_transform(range(8 - len(${side(1)}) - len(${side(2)})), x -> '0') || ${side(2)} ELSE string_split(${v}, ':') END`;
  return `CASE WHEN regexp_full_match(${v}, '[0-9a-f:]{2,39}') AND length(${v}) - length(replace(${v}, '::', ':')) <= 1
    AND len(${groups}) = 8 AND list_bool_and(list_transform(${groups}, x -> length(x) BETWEEN 1 AND 4))
    THEN array_to_string(list_transform(${groups}, x -> lpad(x, 4, '0')), '') END`;
}

/** High or low 64 bits of a 32-digit hex text. */
export function hexHalf(hex: string, half: 'hi' | 'lo'): string {
  return `try_cast('0x' || ${half === 'hi' ? `left(${hex}, 16)` : `right(${hex}, 16)`} AS UBIGINT)`;
}
