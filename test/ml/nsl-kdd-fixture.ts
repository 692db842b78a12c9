// Loads the NSL-KDD fixture into a workspace table, as the classify component would see it after a CSV import.
import { fileURLToPath } from 'node:url';
import type { SqlSession } from '../../src/data/sql-session.js';
import { quoteLiteral } from '../../src/data/sql-text.js';

export const ML_FIXTURES = fileURLToPath(new URL('../fixtures/ml/', import.meta.url));

export async function loadNslKdd(sql: SqlSession, table: string): Promise<void> {
  await sql.run(`CREATE TABLE "${table}" AS SELECT * FROM read_csv(${quoteLiteral(`${ML_FIXTURES}nsl-kdd-2500.csv`)}, header = true)`);
}
