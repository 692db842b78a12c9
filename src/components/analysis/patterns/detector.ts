// What every pattern detector is given and returns: the dataset in SQL terms, the columns chosen by role, the
// parameters, and the findings table it inserts into (the shape of components/findings-table.ts).
import type { PlainValue } from '../../../data/plain-value.js';
import type { SqlSession } from '../../../data/sql-session.js';
import { quoteIdent } from '../../../data/sql-text.js';
import type { PatternColumns } from './pattern-columns.js';
import type { PatternsParams } from './patterns-params.js';

export interface DetectorContext {
  readonly sql: SqlSession;
  readonly signal: AbortSignal;
  /** The dataset's table, quoted. */
  readonly table: string;
  /** Its row-number column, quoted (findings point at rows through it). */
  readonly rowId: string;
  readonly rowCount: number;
  /** The findings table, quoted. */
  readonly findings: string;
  readonly columns: PatternColumns;
  readonly params: PatternsParams;
}

export interface DetectorOutcome {
  /** How many things were found: outlier values, beaconing pairs, brute-forcing sources... */
  readonly found: number;
  /** What the summary lists about them (at most `max_listed`), with their evidence. */
  readonly listed: readonly Record<string, PlainValue>[];
}

export const NOTHING_FOUND: DetectorOutcome = { found: 0, listed: [] };

/** The name every finding of this component carries in `source`. */
export const SOURCE = 'analysis.patterns';

/** A finite number as SQL text; statistics computed by the engine are fed back as literals. */
export function literal(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'NULL' : `CAST(${value.toString()} AS DOUBLE)`;
}

export function q(name: string): string {
  return quoteIdent(name);
}

/** ISO time in UTC, to the second, from microseconds since the epoch (as the detectors compute times). */
export function isoFromMicros(micros: string): string {
  return `strftime(make_timestamp(${micros}), '%Y-%m-%dT%H:%M:%SZ')`;
}

/** Tables larger than this estimate medians from a repeatable sample of about this many rows. */
export const SAMPLE_ABOVE_ROWS = 200_000;

/** The table, or a fixed, repeatable sample of whole vectors of it when it is large (medians need no more). */
export function sampleOf(table: string, rowCount: number): string {
  return rowCount > SAMPLE_ABOVE_ROWS ? `(SELECT * FROM ${table} USING SAMPLE ${Math.max(1, Math.round((100 * SAMPLE_ABOVE_ROWS) / rowCount))} PERCENT (system, 42))` : table;
}

export async function countRows(context: DetectorContext): Promise<number> {
  return Number(await context.sql.scalar(`SELECT count(*) FROM ${context.findings}`, [], context.signal));
}
