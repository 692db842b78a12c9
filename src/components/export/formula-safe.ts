// The spreadsheet formula rule of the CSV export, once in SQL (for cells, in the engine) and once in TypeScript (for
// header names, known before the COPY): text starting with = + - @ tab or CR runs as a formula in Excel, LibreOffice
// and Google Sheets (OWASP's CSV injection), so it gets a leading `'`; a plain number such as -5 runs nothing and stays.

/** The characters a spreadsheet reads as the start of a formula. */
const FORMULA_LEADS = ['=', '+', '-', '@', '\t', '\r'] as const;
/** A plain number written as text: shown as a number, never run. The same pattern as the SQL rule's. */
const PLAIN_NUMBER = /^[+-]?[0-9]+([.][0-9]+)?$/;

/** `text` as a spreadsheet should show it: with a leading `'` when it would run as a formula. */
export function formulaSafeText(text: string): string {
  const formula = FORMULA_LEADS.some((lead) => text.startsWith(lead)) && !PLAIN_NUMBER.test(text);
  return formula ? `'${text}` : text;
}

/** The same rule as formulaSafeText on a SQL text expression (a column, or a list joined into text). */
export function formulaSafeSql(text: string): string {
  // The range test is a plain string comparison, false for text starting with a digit or a letter: measured, the rule
  // then costs nothing next to writing the file, while testing every cell's first character costs ~0.4 s a million.
  // list_contains, not `IN (61, 43, ...)`: DuckDB's optimizer turns an IN list of five or more constants in a SELECT
  // list into a join, and that join let the COPY write a million rows out of their order.
  return `CASE WHEN (${text} < '0' OR (${text} >= '=' AND ${text} < 'A')) AND list_contains([61, 43, 45, 64, 9, 13], ascii(${text})) AND NOT regexp_full_match(${text}, '[+-]?[0-9]+([.][0-9]+)?') THEN '''' || ${text} ELSE ${text} END`;
}
