// processing.classify's choice of mode from the data: a label column (named by the user, or by a usual name such as
// label, class or attack_cat) with at least two classes makes it supervised, or text when the features are prose;
// without labels it scores anomalies. A saved model, when named and the data has no labels, decides by its kind.
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { DatasetColumn } from '../../model/dataset.js';
import { LABEL_NAMES } from '../../ml/feature-spec.js';
import { ModelError } from '../../ml/model-error.js';

export type ClassifyMode = 'supervised' | 'unsupervised' | 'text';

export interface LabelFacts {
  readonly column: string;
  readonly labelled: number;
  readonly classes: number;
}

/** Minimum labelled rows for a supervised or text model. */
export const MIN_LABELLED = 10;

/** The label column: the one named, else the first usual label name present (case-insensitive); null when none. */
export function findLabelColumn(columns: readonly DatasetColumn[], named: string | null): string | null {
  if (named !== null) {
    const found = columns.find((c) => c.name === named) ?? columns.find((c) => c.name.toLowerCase() === named.toLowerCase());
    if (found === undefined) throw new ModelError('no-label', `the label column ${named} is not in the data (columns: ${columns.map((c) => c.name).slice(0, 20).join(', ')})`);
    return found.name;
  }
  for (const name of LABEL_NAMES) {
    const found = columns.find((c) => c.name.toLowerCase() === name);
    if (found !== undefined) return found.name;
  }
  return null;
}

/** How many rows carry a label and how many distinct labels there are. */
export async function labelFacts(sql: SqlSession, table: string, column: string, signal?: AbortSignal): Promise<LabelFacts> {
  const c = quoteIdent(column);
  const rows = await sql.all(
    `SELECT count(*) FILTER (WHERE ${c} IS NOT NULL AND trim(CAST(${c} AS VARCHAR)) <> '') AS labelled,
            count(DISTINCT trim(CAST(${c} AS VARCHAR))) FILTER (WHERE ${c} IS NOT NULL AND trim(CAST(${c} AS VARCHAR)) <> '') AS classes
     FROM ${quoteIdent(table)}`,
    [],
    signal,
  );
  return { column, labelled: Number(rows[0]?.['labelled'] ?? 0), classes: Number(rows[0]?.['classes'] ?? 0) };
}

/** SQL condition: the row has a label (used for training and for the label-proxy check). */
export function labelledSql(column: string): string {
  const c = quoteIdent(column);
  return `${c} IS NOT NULL AND trim(CAST(${c} AS VARCHAR)) <> ''`;
}

/** The free-text column for text mode: the one named, else the text column with the longest values on average (over 25 characters). */
export async function findTextColumn(sql: SqlSession, table: string, columns: readonly DatasetColumn[], named: string | null, label: string | null, signal?: AbortSignal): Promise<string | null> {
  if (named !== null) {
    const found = columns.find((c) => c.name === named);
    if (found === undefined) throw new ModelError('no-text', `the text column ${named} is not in the data`);
    return found.name;
  }
  const texts = columns.filter((c) => /^VARCHAR/i.test(c.sqlType) && c.name !== label);
  if (texts.length === 0) return null;
  const rows = await sql.all(`SELECT ${texts.map((c) => `avg(length(${quoteIdent(c.name)}))`).join(', ')} FROM (SELECT * FROM ${quoteIdent(table)} LIMIT 5000)`, [], signal);
  const lengths = Object.values(rows[0] ?? {}).map((v) => Number(v ?? 0));
  let best: string | null = null;
  let bestLength = 25;
  texts.forEach((c, i) => {
    const length = lengths[i] ?? 0;
    if (length > bestLength) {
      best = c.name;
      bestLength = length;
    }
  });
  return best;
}
