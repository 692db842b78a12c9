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
}
