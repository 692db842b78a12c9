// Quoting for identifiers and literals that go into SQL text: column names and paths come from users' files.

/** Quotes an identifier for DuckDB: wraps in double quotes and doubles any inside. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB, for the few places (COPY TO, table functions' options) that cannot take a bound parameter. */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('literal contains a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}
