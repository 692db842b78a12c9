// SQL the access-log line formats share (combined/common and S3): the pattern's groups per line, the request line
// split, the time read as a zoned instant, and the undoing of escaped quotes.
import { quoteIdent, quoteLiteral } from '../../data/sql-text.js';
import { ACCESS_LOG_TIME_FORMAT, REQUEST_PATTERN } from '../../data/logs/access-log-format.js';

/** `\"` and `\\` undone, as Apache and S3 escape them in quoted fields. */
export function unescapeQuoted(field: string): string {
  return `regexp_replace(${field}, '\\\\(["\\\\])', '\\1', 'g')`;
}

/** A field of the pattern's match `m`. */
export function matchField(name: string): string {
  return `m.${quoteIdent(name)}`;
}

/**
 * The CTEs both line formats share: `matched` (each line's groups as the struct `m`) and `fields` (`ok` when the line
 * fits, the request line split into `r`, the time `ts`), read from a `client_ip` group, a `request` and a `time`.
 * The time carries its offset (`+0300`), so `ts` is the instant, typed TIMESTAMP WITH TIME ZONE: it prints and exports
 * in UTC with its `Z`, never as a wall time without a zone.
 */
export function matchedLinesSql(staging: string, pattern: string, groups: readonly string[]): string {
  const names = `[${groups.map((g) => quoteLiteral(g)).join(', ')}]`;
  return `
    WITH matched AS (
      SELECT rowid AS pos, line, regexp_extract(line, ${quoteLiteral(pattern)}, ${names}) AS m
      FROM ${staging} WHERE line IS NOT NULL AND trim(line) <> ''
    ), fields AS (
      SELECT pos, line, m, ${matchField('client_ip')} <> '' AS ok,
        regexp_extract(${unescapeQuoted(matchField('request'))}, ${quoteLiteral(REQUEST_PATTERN)}, ['method', 'path', 'protocol']) AS r,
        try_strptime(${matchField('time')}, ${quoteLiteral(ACCESS_LOG_TIME_FORMAT)}) AS ts
      FROM matched
    )`;
}
