// Indicators in free text (command lines, descriptions, raw log lines) pulled out in the engine: the text is
// refanged (hxxp, [.], (dot), [:]) and scanned with RE2 patterns, one row per (row, value) found.
// The patterns are those of src/intel/extract/text-patterns.ts, which extractIndicators runs on single strings in JS;
// here a million rows never leave the engine.
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import { MAX_TEXT_CHARS, REFANGS, TEXT_PATTERNS, type TextPatternKind } from '../../../intel/extract/text-patterns.js';

export function refangSql(text: string): string {
  return REFANGS.reduce((expr, [from, to]) => `replace(${expr}, ${quoteLiteral(from)}, ${quoteLiteral(to)})`, `lower(left(${text}, ${MAX_TEXT_CHARS}))`);
}

/** What the matcher does with each kind: URLs by key and host, hosts and addresses by host matching, hashes exactly. */
const MATCHED: Partial<Record<TextPatternKind, 'url' | 'host' | 'hash'>> = { url: 'url', host: 'host', ipv4: 'host', ipv6: 'host', hash: 'hash' };

/** SELECT (row_id, v, kind) of every candidate in a text column; URLs lose trailing punctuation of the sentence around them. */
export function extractedValuesSql(table: string, rowId: string, column: string): string {
  const text = `CAST(${quoteIdent(column)} AS VARCHAR)`;
  const selects = TEXT_PATTERNS.flatMap(([patternKind, pattern]) => {
    const kind = MATCHED[patternKind];
    return kind === undefined
      ? []
      : [
          `SELECT row_id, ${kind === 'url' ? `rtrim(v, '.,;:!?')` : 'v'} AS v, '${kind}' AS kind FROM (SELECT row_id, unnest(regexp_extract_all(t, ${quoteLiteral(pattern)})) AS v FROM refanged)`,
        ];
  });
  return `WITH refanged AS (SELECT ${quoteIdent(rowId)} AS row_id, ${refangSql(text)} AS t FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IS NOT NULL)
    SELECT DISTINCT row_id, v, kind FROM (${selects.join(' UNION ALL ')})`;
}
