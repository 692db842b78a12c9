// The values a JSON export writes, as SQL, so that the file is strict JSON (RFC 8259). DuckDB's COPY ... FORMAT JSON is
// not on its own: it writes a non-finite double as NaN, Infinity or -Infinity (a CSV `inf` or `NaN` cell reads as one,
// and so does a JSON input's NaN token, which the engine's reader accepts), in a column, a list, a struct or JSON text.
// JSON.parse, jq and SIEM ingestion then reject the whole file. JSON has no number for these: a non-finite number is
// written as null ("no value") wherever it sits. (The CSV export keeps the engine's `inf` / `nan` text: a spreadsheet
// shows it as text, and nothing is lost.)
import type { DatasetColumn } from '../../model/dataset.js';
import { isoTimestampSql } from './timestamp-text.js';

const FLOATING_SCALAR = /^(FLOAT|DOUBLE|REAL)$/;
/** A type with other values inside: lists (`X[]`, `X[3]`), structs, maps, unions. */
const NESTED = /\[\d*\]$|^(STRUCT|MAP|UNION)\(/;
/** A nested type that may hold a non-finite number or JSON text somewhere inside. */
const MAY_HOLD_NON_FINITE = /FLOAT|DOUBLE|REAL|JSON/;

/** The value written for one column: timestamps as ISO 8601, every number finite or null, JSON as strict JSON. */
export function jsonValueSql(column: DatasetColumn, expression: string): string {
  const timestamp = isoTimestampSql(column, expression);
  if (timestamp !== null) return timestamp;
  const type = column.sqlType;
  if (FLOATING_SCALAR.test(type)) return `CASE WHEN isfinite(${expression}) THEN ${expression} END`;
  // json() parses the stored text and writes it compactly, so the strict pass reads one well-formed document.
  if (type === 'JSON') return `${strictJsonSql(`json(${expression})`)}::JSON`;
  if (NESTED.test(type) && MAY_HOLD_NON_FINITE.test(type)) return `${strictJsonSql(`to_json(${expression})`)}::JSON`;
  return expression;
}

/**
 * Text that holds a JSON document (a finding's evidence) as a JSON value, so readers get an object rather than a string
 * of JSON to parse again. Text that is not JSON stays a JSON string: nothing is dropped.
 */
export function jsonTextValueSql(expression: string): string {
  return `CASE WHEN json_valid(${expression}) THEN ${strictJsonSql(`json(${expression})`)} ELSE to_json(${expression}) END::JSON`;
}

/**
 * Compact JSON text (DuckDB's own serialisation) with every NaN / Infinity / inf / nan token outside strings replaced by
 * null. The text is cut into strings and what lies between them; outside strings JSON has no letters but true, false
 * and null, so a token there is a number the engine wrote. The cut runs only on text that has such letters at all.
 */
function strictJsonSql(json: string): string {
  const pieces = `regexp_extract_all(${json}, '${String.raw`"(?:[^"\\]|\\.)*"|[^"]+`}')`;
  const fixed = `list_transform(${pieces}, piece -> CASE WHEN starts_with(piece, '"') THEN piece ELSE regexp_replace(piece, '[-+]?(?:infinity|inf|nan)', 'null', 'gi') END)`;
  return `CASE WHEN regexp_matches(${json}, '(?i)inf|nan') THEN array_to_string(${fixed}, '') ELSE ${json} END`;
}
