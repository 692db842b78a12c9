// What a row export reads: the dataset as it is, or the analyst's view of the findings table. Inside a run, findings
// point at rows by the internal `row_id` (from 0); the files an analyst opens say `row`, the data row counted from 1,
// as the report's top findings and the violations export count it, so a row number means one row wherever it is read.
import { quoteIdent } from '../../data/sql-text.js';
import type { DatasetColumn, DatasetHandle } from '../../model/dataset.js';

export type RowSource = 'dataset' | 'findings' | 'violations';

export interface ExportRelation {
  /** A FROM item: the table, or a plain projection of it (which keeps the table's row order). */
  readonly from: string;
  readonly columns: readonly DatasetColumn[];
  /** Text columns that hold JSON documents (a finding's evidence): a JSON export writes them as values, not as strings. */
  readonly jsonTextColumns: ReadonlySet<string>;
}

/** The internal column of a findings table, and what the exported files call it. */
const FINDINGS_ROW_ID = 'row_id';
const EXPORTED_ROW_COLUMN = 'row';
/** The findings column holding the evidence as JSON text (counts, feed, threat name, rule): see findings-table.ts. */
const FINDINGS_DETAIL = 'detail';

export function exportRelation(dataset: DatasetHandle, source: RowSource): ExportRelation {
  const table = quoteIdent(dataset.table);
  if (source !== 'findings') return { from: table, columns: dataset.columns, jsonTextColumns: new Set() };
  // NULL stays NULL: a finding about the whole dataset (a spike hour, beaconing between two hosts) has no row.
  const select = dataset.columns.map((c) => (c.name === FINDINGS_ROW_ID ? `${quoteIdent(c.name)} + 1 AS ${quoteIdent(EXPORTED_ROW_COLUMN)}` : quoteIdent(c.name)));
  const columns = dataset.columns.map((c) => (c.name === FINDINGS_ROW_ID ? { ...c, name: EXPORTED_ROW_COLUMN } : c));
  const detail = dataset.columns.some((c) => c.name === FINDINGS_DETAIL && c.sqlType === 'VARCHAR');
  return { from: `(SELECT ${select.join(', ')} FROM ${table}) AS findings`, columns, jsonTextColumns: new Set(detail ? [FINDINGS_DETAIL] : []) };
}
