// SQL text with its bound parameters, kept together so that fragments can be combined without renumbering: every
// placeholder is a positional `?`, and parameters are concatenated in the order their fragments appear in the text.
import type { DuckDBValue } from '@duckdb/node-api';

export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly DuckDBValue[];
}

/** A fragment with no parameters. */
export function sqlText(sql: string): SqlFragment {
  return { sql, params: [] };
}

/** A bound value: `?` with the value as its parameter. */
export function sqlValue(value: DuckDBValue): SqlFragment {
  return { sql: '?', params: [value] };
}

/**
 * A tagged template: interpolated fragments keep their parameters, interpolated strings are SQL text (already quoted
 * by the caller). `sql\`${a} AND NOT (${b})\`` joins a's and b's parameters in order.
 */
export function sql(strings: TemplateStringsArray, ...parts: readonly (SqlFragment | string)[]): SqlFragment {
  let text = strings[0] ?? '';
  const params: DuckDBValue[] = [];
  parts.forEach((part, i) => {
    if (typeof part === 'string') text += part;
    else {
      text += part.sql;
      params.push(...part.params);
    }
    text += strings[i + 1] ?? '';
  });
  return { sql: text, params };
}

/** Fragments joined by a separator, parameters in order. */
export function joinSql(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  return { sql: fragments.map((f) => f.sql).join(separator), params: fragments.flatMap((f) => f.params) };
}
