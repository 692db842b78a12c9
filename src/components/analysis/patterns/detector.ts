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
  /** The dataset's table as named, unquoted, for helpers that quote it themselves. */
  readonly tableName: string;
  /** A prefix unique to this run for tables in the shared catalogue (a temp table is the connection's own; a lookup table is not). */
  readonly scratchPrefix: string;
  readonly columns: PatternColumns;
  readonly params: PatternsParams;
  /** Where medians are taken from: the table, or on a large table its fixed sample (sampleOf), held once in a temp table. */
  readonly sample: string;
}

export interface DetectorOutcome {
  /** How many things were found: outlier values, beaconing pairs, brute-forcing sources... */
  readonly found: number;
  /** What the summary lists about them (at most `max_listed`), with their evidence. */
  readonly listed: readonly Record<string, PlainValue>[];
  /** The outlier detectors: the measure columns they judged (not skipped for their modes), which a lower threshold could flag. */
  readonly judged?: readonly string[];
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

/**
 * SQL that is true unless the text is empty or a lone `-` once trimmed (how exports write a missing value). Text that
 * starts with a digit or a letter (byte '0' to 'z') is neither and skips the trim: the optimizer pushes a filter on a
 * grouped column down to the scan, where a trim of every row cost ~0.15 s per million rows (measured, first-seen).
 */
export function notBlankSql(text: string): string {
  return `CASE WHEN ${text} >= '0' AND ${text} < '{' THEN true ELSE trim(${text}) NOT IN ('', '-') END`;
}

/** Tables larger than this estimate medians from a repeatable sample of about this many rows. */
export const SAMPLE_ABOVE_ROWS = 200_000;

/**
 * The table, or a fixed sample of about SAMPLE_ABOVE_ROWS of its rows when it is large (medians need no more): the
 * rows whose row number hashes to 0 modulo the sampling step. The same rows every run, whatever the thread count:
 * DuckDB's seeded `USING SAMPLE ... (system, 42)` used before drew other vectors from run to run on 2 threads, so the
 * outliers found changed between runs of the same file. Hashing the row number, not taking every n-th row, keeps a
 * file whose rows cycle through n hosts from leaving some hosts out. Costs ~15 ms more per million rows and query.
 */
export function sampleOf(context: Pick<DetectorContext, 'table' | 'rowId' | 'rowCount'>): string {
  const step = Math.floor(context.rowCount / SAMPLE_ABOVE_ROWS);
  return step < 2 ? context.table : `(SELECT * FROM ${context.table} WHERE hash(${context.rowId}) % ${step} = 0)`;
}

/**
 * The columns the median-based detectors read, from the fixed sample, copied once into a temp table (named `name`) that
 * every median query then reads: one hashed pass over the table instead of one per query. Returns the relation to read,
 * the table itself when it is small enough to be read whole.
 */
export async function holdSample(context: Pick<DetectorContext, 'sql' | 'signal' | 'table' | 'rowId' | 'rowCount'>, columns: readonly string[], name: string): Promise<string> {
  const sample = sampleOf(context);
  if (sample === context.table || columns.length === 0) return context.table;
  await context.sql.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} AS SELECT ${columns.map(quoteIdent).join(', ')} FROM ${sample}`, [], context.signal);
  return quoteIdent(name);
}

export async function countRows(context: DetectorContext): Promise<number> {
  return Number(await context.sql.scalar(`SELECT count(*) FROM ${context.findings}`, [], context.signal));
}
