// Row checks compiled from a schema or a rules file, and the runner that counts and lists their violations in the
// engine: one scan counts every plain check; regular expressions are counted in queries of their own under a time
// limit; uniqueness is counted by DISTINCT and listed with a window; only checks that found something list rows.
import type { DatasetHandle } from '../../model/dataset.js';
import { CancelledError } from '../../model/errors/cancelled-error.js';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { datasetViolationSql, insertViolationsSql, type Severity } from '../violations.js';
import { joinSql, sql, type SqlFragment } from './sql-fragment.js';

interface CheckBase {
  /** The rule id or `column.keyword`: the `rule` of each violation and the key of the counts. */
  readonly id: string;
  readonly column: string | null;
  readonly severity: Severity;
  readonly message: string;
}

/** A condition over one row; true for an offending row. */
export interface ScanCheck extends CheckBase {
  readonly kind: 'scan';
  readonly where: SqlFragment;
  /** SQL of the offending value (no parameters), or null. */
  readonly value: string | null;
  /** Regular expressions: counted and listed in queries of their own, under the time limit. */
  readonly timed: boolean;
}

/** Rows whose values of `columns` were seen in an earlier row (rows with a missing key value take no part). */
export interface UniqueCheck extends CheckBase {
  readonly kind: 'unique';
  readonly columns: readonly string[];
  /** Which rows take part (a rule's `when`), or null for all. */
  readonly applies: SqlFragment | null;
}

/** A problem of the data as a whole (a required column is missing): one violation without a row, counted as `rows`. */
export interface DatasetCheck extends CheckBase {
  readonly kind: 'dataset';
  readonly rows: number;
}

export type RowCheck = ScanCheck | UniqueCheck | DatasetCheck;

export interface CheckRunOptions {
  readonly target: string;
  readonly source: string;
  /** Rows listed per check (counts are exact). */
  readonly limit: number;
  readonly timeLimitMs: number;
  /** The spec file, named by a timeout error. */
  readonly file: string;
}

export interface CheckCount {
  readonly check: RowCheck;
  readonly count: number;
}

/** Plain checks counted per scan; more would make one very wide statement. */
const CHECKS_PER_SCAN = 200;

export async function runChecks(session: SqlSession, dataset: DatasetHandle, checks: readonly RowCheck[], options: CheckRunOptions, signal: AbortSignal): Promise<CheckCount[]> {
  const table = quoteIdent(dataset.table);
  const counts = new Map<RowCheck, number>();
  const plain = checks.filter((c): c is ScanCheck => c.kind === 'scan' && !c.timed);
  for (let i = 0; i < plain.length; i += CHECKS_PER_SCAN) {
    const batch = plain.slice(i, i + CHECKS_PER_SCAN);
    const select = joinSql(batch.map((c, j) => sql`count(*) FILTER (WHERE ${c.where}) AS "k${String(j)}"`), ', ');
    const [row] = await session.all(`SELECT ${select.sql} FROM ${table}`, select.params, signal);
    batch.forEach((c, j) => counts.set(c, Number(row?.[`k${j}`] ?? 0)));
  }
  for (const check of checks) {
    if (check.kind === 'scan' && check.timed) {
      const count = await timed(check, options, signal, (s) => session.scalar(`SELECT count(*) FROM ${table} WHERE ${check.where.sql}`, check.where.params, s));
      counts.set(check, Number(count));
    } else if (check.kind === 'unique') {
      const key = uniqueKey(check);
      const where = uniqueWhere(check);
      counts.set(check, Number(await session.scalar(`SELECT count(*) - count(DISTINCT ${key.distinct}) FROM ${table} WHERE ${where.sql}`, where.params, signal)));
    } else if (check.kind === 'dataset') {
      counts.set(check, check.rows);
    }
  }

  const rowId = quoteIdent(dataset.rowId);
  for (const check of checks) {
    const count = counts.get(check) ?? 0;
    if (count === 0 || (options.limit === 0 && check.kind !== 'dataset')) continue;
    const base = { target: options.target, source: options.source, rule: check.id, column: check.column, severity: check.severity, limit: options.limit };
    if (check.kind === 'dataset') {
      const insert = datasetViolationSql(options.target, { ...base, message: check.message });
      await session.run(insert.sql, insert.params, signal);
    } else if (check.kind === 'scan') {
      const insert = insertViolationsSql({ ...base, message: '?', messageParams: [check.message], value: check.value, rowId, from: table, where: check.where.sql, whereParams: check.where.params });
      if (check.timed) await timed(check, options, signal, (s) => session.run(insert.sql, insert.params, s));
      else await session.run(insert.sql, insert.params, signal);
    } else {
      const key = uniqueKey(check);
      const where = uniqueWhere(check);
      const window = `PARTITION BY ${check.columns.map(quoteIdent).join(', ')} ORDER BY ${rowId}`;
      const insert = insertViolationsSql({
        ...base,
        message: `concat(?, __first + 1)`,
        messageParams: [`same ${check.columns.join(', ')} as row `],
        value: '__v',
        rowId: '__rid',
        from: `(SELECT ${rowId} AS __rid, ${key.text} AS __v, row_number() OVER (${window}) AS __n, first_value(${rowId}) OVER (${window}) AS __first FROM ${table} WHERE ${where.sql})`,
        where: '__n > 1',
      });
      // The inner relation's WHERE comes after every parameter of the outer SELECT in the text.
      await session.run(insert.sql, [...insert.params, ...where.params], signal);
    }
  }
  return checks.map((check) => ({ check, count: counts.get(check) ?? 0 }));
}

function uniqueKey(check: UniqueCheck): { distinct: string; text: string } {
  const columns = check.columns.map(quoteIdent);
  if (columns.length === 1) return { distinct: columns[0] ?? 'NULL', text: columns[0] ?? 'NULL' };
  return { distinct: `row(${columns.join(', ')})`, text: `concat_ws(', ', ${columns.join(', ')})` };
}

function uniqueWhere(check: UniqueCheck): SqlFragment {
  const present = check.columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  return check.applies === null ? { sql: present, params: [] } : sql`${present} AND coalesce(${check.applies}, false)`;
}

/** Runs a regular-expression query under the time limit; a timeout is the rule's fault, named, not a cancelled run. */
async function timed<T>(check: RowCheck, options: CheckRunOptions, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const limit = AbortSignal.timeout(options.timeLimitMs);
  try {
    return await work(AbortSignal.any([signal, limit]));
  } catch (error) {
    if (error instanceof CancelledError && limit.aborted && !signal.aborted) {
      throw new ValidationSpecError(options.file, 'timeout', `the pattern did not finish within ${options.timeLimitMs} ms on this data`, { rule: check.id, ...(check.column === null ? {} : { column: check.column }) });
    }
    throw error;
  }
}

/** Compiles each regular expression once in the engine (RE2), so a bad one is an error naming its rule, not a failed scan. */
export async function validatePatterns(session: SqlSession, file: string, patterns: readonly { readonly rule: string; readonly pattern: string }[], signal: AbortSignal): Promise<void> {
  for (const { rule, pattern } of patterns) {
    try {
      await session.run('SELECT regexp_full_match(\'\', ?)', [pattern], signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).replace(/^Invalid Input Error:\s*/i, '');
      throw new ValidationSpecError(file, 'bad-pattern', `the pattern ${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}...` : pattern)} is not one RE2 accepts: ${reason}`, { rule });
    }
  }
}
