// Indicators in free text (command lines, descriptions, raw log lines) pulled out in the engine: the text is
// refanged (hxxp, [.], (dot), [:]) and scanned with RE2 patterns, one row per (row, value) found.
// The patterns are those of src/intel/extract/text-patterns.ts, which extractIndicators runs on single strings in JS;
// here a million rows never leave the engine.
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import { MAX_TEXT_CHARS, PATTERN_NEEDS, REFANGS, TEXT_PATTERNS, type TextPatternKind } from '../../../intel/extract/text-patterns.js';

/**
 * The refanged form of the lower-cased text `lowered`. The chain of replaces runs only on text that holds one of the
 * defanging marks: each replace copies the whole text even when it finds nothing, and most text holds none, so the
 * chain on every row was 60% of the CPU of extracting a million command lines (4.7 s of 7.7, measured). Text without
 * a mark is what the chain would return unchanged: no replace finds anything, so none makes a new mark.
 */
export function refangSql(lowered: string): string {
  const chain = REFANGS.reduce((expr, [from, to]) => `replace(${expr}, ${quoteLiteral(from)}, ${quoteLiteral(to)})`, lowered);
  const marked = REFANGS.map(([from]) => `contains(${lowered}, ${quoteLiteral(from)})`).join(' OR ');
  return `CASE WHEN ${marked} THEN ${chain} ELSE ${lowered} END`;
}

/** What the matcher does with each kind: URLs by key and host, hosts and addresses by host matching, hashes exactly. */
const MATCHED: Partial<Record<TextPatternKind, 'url' | 'host' | 'hash'>> = { url: 'url', host: 'host', ipv4: 'host', ipv6: 'host', hash: 'hash' };

/**
 * SELECT (row_id, v, kind) of every candidate in a text column; URLs lose trailing punctuation of the sentence around
 * them. A pattern runs only on the texts that hold what each of its matches holds (`://` for a URL, a dot for a host
 * or an IPv4 address, a colon for IPv6), a byte search far cheaper than the RE2 scan it spares.
 */
export function extractedValuesSql(table: string, rowId: string, column: string): string {
  const text = `CAST(${quoteIdent(column)} AS VARCHAR)`;
  const selects = TEXT_PATTERNS.flatMap(([patternKind, pattern]) => {
    const kind = MATCHED[patternKind];
    if (kind === undefined) return [];
    const needs = PATTERN_NEEDS[patternKind];
    const where = needs === undefined ? '' : ` WHERE contains(t, ${quoteLiteral(needs)})`;
    return [`SELECT row_id, ${kind === 'url' ? `rtrim(v, '.,;:!?')` : 'v'} AS v, '${kind}' AS kind FROM (SELECT row_id, unnest(regexp_extract_all(t, ${quoteLiteral(pattern)})) AS v FROM refanged${where})`];
  });
  // The lower-cased text is made once in a subquery, which the refang test and chain read (written inline, the engine
  // would lower-case it for each of them). The DISTINCT also lets the write run on both cores: the UNION ALL written as
  // it is keeps its row order and took 1.6x as long (measured).
  return `WITH refanged AS (
      SELECT row_id, ${refangSql('l')} AS t
      FROM (SELECT ${quoteIdent(rowId)} AS row_id, lower(left(${text}, ${MAX_TEXT_CHARS})) AS l FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IS NOT NULL))
    SELECT DISTINCT row_id, v, kind FROM (${selects.join(' UNION ALL ')})`;
}
