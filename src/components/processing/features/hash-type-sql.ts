// Hash type from the shape of the value: a hex digest's length names its algorithm (32 md5, 40 sha1, 64 sha256, 128 sha512).

export const HASH_TYPES = ['md5', 'sha1', 'sha256', 'sha512', 'unknown'] as const;
export type HashType = (typeof HASH_TYPES)[number];

/** md5 | sha1 | sha256 | sha512 for a hex digest of that length (either case), unknown for any other text, NULL when empty. */
export function hashTypeSql(column: string): string {
  const value = `trim(CAST(${column} AS VARCHAR))`;
  // The length test comes first so the regex only runs on values that could be a digest.
  return `CASE
    WHEN ${column} IS NULL OR ${value} = '' THEN NULL
    WHEN length(${value}) NOT IN (32, 40, 64, 128) OR NOT regexp_full_match(${value}, '[0-9A-Fa-f]+') THEN 'unknown'
    WHEN length(${value}) = 32 THEN 'md5'
    WHEN length(${value}) = 40 THEN 'sha1'
    WHEN length(${value}) = 64 THEN 'sha256'
    ELSE 'sha512' END`;
}
