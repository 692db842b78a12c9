// The offending rows behind validation.quality's figures, as violations (row, column, problem, value, message), at most
// `limit` per check. Only checks that found something run: a clean dataset costs no extra scan.
import type { DatasetHandle } from '../../model/dataset.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { insertViolationsSql, type Severity } from '../violations.js';
import { numericTextSql, presentCondition, rowOrderWindow, textSql, type QualityMeasures } from './quality-measures.js';

const SOURCE = 'validation.quality';
const ISO = '%Y-%m-%dT%H:%M:%SZ';

interface IssueQuery {
  readonly rule: string;
  readonly column: string | null;
  readonly severity: Severity;
  readonly count: number;
  readonly message: string;
  readonly messageParams: readonly string[];
  readonly value: string | null;
  readonly rowId: string;
  readonly from: string;
  readonly where: string;
}

export interface IssueTally {
  /** Offending rows per problem, as measured (not capped). */
  readonly byProblem: Record<string, number>;
  readonly total: number;
  readonly written: number;
  readonly truncated: boolean;
}

export async function writeQualityIssues(sql: SqlSession, dataset: DatasetHandle, measures: QualityMeasures, target: string, limit: number, signal: AbortSignal): Promise<IssueTally> {
  const queries = issueQueries(dataset, measures);
  const byProblem: Record<string, number> = {};
  let total = 0;
  let written = 0;
  let truncated = false;
  for (const q of queries) {
    if (q.count === 0) continue;
    byProblem[q.rule] = (byProblem[q.rule] ?? 0) + q.count;
    total += q.count;
    truncated ||= q.count > limit;
    if (limit === 0) continue;
    const insert = insertViolationsSql({ target, source: SOURCE, rule: q.rule, column: q.column, severity: q.severity, message: q.message, messageParams: q.messageParams, value: q.value, rowId: q.rowId, from: q.from, where: q.where, limit });
    await sql.run(insert.sql, insert.params, signal);
    written += Math.min(limit, q.count);
  }
  return { byProblem, total, written, truncated };
}

function issueQueries(dataset: DatasetHandle, m: QualityMeasures): IssueQuery[] {
  const table = quoteIdent(dataset.table);
  const rowId = quoteIdent(dataset.rowId);
  const plain = { rowId, from: table };
  const queries: IssueQuery[] = [];
  for (const c of m.columns) {
    const name = c.column.name;
    const value = quoteIdent(name);
    const present = presentCondition(c.column);
    if (c.validity !== undefined && c.invalid !== null) {
      queries.push({ ...plain, rule: `invalid_${c.column.role ?? 'value'}`, column: name, severity: 'error', count: c.invalid, message: '?', messageParams: [`not a valid ${c.validity.noun}`], value, where: `${present} AND NOT (${c.validity.test(textSql(c.column))})` });
    }
    if (c.mixed?.minority != null) {
      const numericMinority = c.mixed.minority === 'numeric';
      const count = numericMinority ? c.mixed.numeric : c.mixed.text;
      const share = ((100 * Math.max(c.mixed.numeric, c.mixed.text)) / c.present).toFixed(1);
      const message = numericMinority ? `a number in a column of text (${share}% text)` : `text in a column of numbers (${share}% numbers)`;
      queries.push({ ...plain, rule: 'mixed_type', column: name, severity: 'warning', count, message: '?', messageParams: [message], value, where: `${present} AND ${numericMinority ? '' : 'NOT '}(${numericTextSql(value)})` });
    }
    if (c.time !== null) {
      // Typed times are shown in ISO 8601; text ones as written.
      const shown = c.column.sqlType === 'VARCHAR' ? value : `strftime(${c.time.expr}, '${ISO}')`;
      queries.push({ ...plain, rule: 'future_timestamp', column: name, severity: 'warning', count: c.time.future, message: '?', messageParams: [`in the future: after ${m.clock.futureAfter} (the check's time plus the clock-drift tolerance)`], value: shown, where: `${c.time.expr} > TIMESTAMPTZ '${m.clock.futureAfter}'` });
      queries.push({ ...plain, rule: 'past_timestamp', column: name, severity: 'warning', count: c.time.past, message: '?', messageParams: [`implausibly old: before ${m.clock.pastBefore}`], value: shown, where: `${c.time.expr} < TIMESTAMPTZ '${m.clock.pastBefore}'` });
    }
    if (c.key !== null && c.key.duplicates > 0) {
      queries.push({
        rule: 'duplicate_id',
        column: name,
        severity: 'error',
        count: c.key.duplicates,
        message: "concat('same ', ?, ' as row ', __first + 1)",
        messageParams: [name],
        value: '__v',
        rowId: '__rid',
        from: `(SELECT ${rowId} AS __rid, ${value} AS __v, row_number() OVER w AS __n, first_value(${rowId}) OVER w AS __first FROM ${table} WHERE ${present} WINDOW w AS (PARTITION BY ${value} ORDER BY ${rowId}))`,
        where: '__n > 1',
      });
    }
  }
  const duplicates = m.rows - m.distinctRows;
  if (duplicates > 0 && m.columns.length > 0) {
    const all = m.columns.map((c) => quoteIdent(c.column.name)).join(', ');
    queries.push({
      rule: 'duplicate_row',
      column: null,
      severity: 'warning',
      count: duplicates,
      message: "concat('same values as row ', __first + 1)",
      messageParams: [],
      value: null,
      rowId: '__rid',
      from: `(SELECT ${rowId} AS __rid, row_number() OVER w AS __n, first_value(${rowId}) OVER w AS __first FROM ${table} WINDOW w AS (PARTITION BY ${all} ORDER BY ${rowId}))`,
      where: '__n > 1',
    });
  }
  if (m.order?.expected === true && m.order.backwards > 0) {
    const orderColumn = m.columns.find((c) => c.column.name === m.order?.column);
    const orderValue = orderColumn?.column.sqlType === 'VARCHAR' ? quoteIdent(m.order.column) : `strftime(${m.order.expr}, '${ISO}')`;
    queries.push({
      rule: 'out_of_order',
      column: m.order.column,
      severity: 'warning',
      count: m.order.backwards,
      message: `concat('earlier than the row before it (', strftime(__prev, '${ISO}'), ')')`,
      messageParams: [],
      value: '__v',
      rowId: '__rid',
      from: `(SELECT ${rowId} AS __rid, ${orderValue} AS __v, ${m.order.expr} AS __t, lag(${m.order.expr} IGNORE NULLS) OVER (${rowOrderWindow(dataset)}) AS __prev FROM ${table})`,
      where: '__t < __prev',
    });
  }
  return queries;
}
