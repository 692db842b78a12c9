// A handle on a table in the run's workspace: components pass handles, never rows.
import type { SemanticRole } from './semantic-role.js';

export interface DatasetColumn {
  readonly name: string;
  /** The engine's type name, e.g. VARCHAR, BIGINT, TIMESTAMP WITH TIME ZONE, VARCHAR[]. */
  readonly sqlType: string;
  readonly role: SemanticRole | null;
}

export interface DatasetHandle {
  /** Table name in the workspace. */
  readonly table: string;
  readonly columns: readonly DatasetColumn[];
  readonly rowCount: number;
  /** The files the rows came from. */
  readonly sources: readonly string[];
  /**
   * The column that identifies a row (its position in the input, from 0): `rowid` for tables, `__cs_row` for views
   * such as the enriched data. Findings point at rows through it.
   */
  readonly rowId: string;
}

/** The hidden row-number column of views; never listed among a dataset's columns, never exported. */
export const ROW_ID_COLUMN = '__cs_row';
