// Reading a text log's lines whole with the engine's CSV reader: no quote, no escape, and a delimiter no text log
// holds, so each line is one VARCHAR; over-long and non-UTF-8 lines go to a rejects table to be reported.
import { quoteLiteral } from '../../data/sql-text.js';

/** Four control bytes in a row: access logs escape control characters and auditd writes none, so no line holds them. */
const LINE_DELIMITER = '\u0001\u0002\u0003\u0004';

/** read_csv options for `line VARCHAR` rows, with the rejects in `rejects` (and `${rejects}_scan`). */
export function wholeLineReaderOptions(rejects: string, maxLineBytes: number): string {
  return [
    "columns = {'line': 'VARCHAR'}",
    `delim = ${quoteLiteral(LINE_DELIMITER)}`,
    "quote = ''",
    "escape = ''",
    'header = false',
    'auto_detect = false',
    // Not strict: a stray carriage return inside a line must not stop the read.
    'strict_mode = false',
    `max_line_size = ${maxLineBytes}`,
    'store_rejects = true',
    `rejects_table = ${quoteLiteral(rejects)}`,
    `rejects_scan = ${quoteLiteral(`${rejects}_scan`)}`,
  ].join(', ');
}
