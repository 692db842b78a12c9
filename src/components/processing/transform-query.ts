// Builds the one SELECT of processing.transform, as a chain of CTEs in a fixed order: timestamps to UTC, derived
// columns (each may use the ones before it), the filter, de-duplication (first row of each group kept), then the
// columns selected and renamed. Every name is resolved against the columns of its stage and quoted; every expression
// goes through the safe expression language (expression/compile.ts). Rows keep the order of the input.
import { quoteIdent } from '../../data/sql-text.js';
import type { DatasetHandle } from '../../model/dataset.js';
import { TransformError } from '../../model/errors/transform-error.js';
import { compileExpression, resolveColumn } from './expression/compile.js';
import { utcTimeSql } from './utc-time-sql.js';

/** The input's row position, carried through every stage to keep the order and pick the first of duplicates. */
export const SOURCE_ROW = '__cs_transform_row';
const MAX_NAME_LENGTH = 128;

export interface TransformSpec {
  readonly filter: string | null;
  readonly derive: readonly { readonly name: string; readonly expression: string }[];
  /** true: rows equal in every column (after derive); a list: rows equal in those columns. */
  readonly dedupe: boolean | readonly string[];
  /** Columns (input names, already resolved) read as instants and written in UTC. */
  readonly timeColumns: readonly string[];
  /** The zone of times written without an offset; checked by the caller. */
  readonly zone: string;
  readonly select: readonly string[] | null;
  readonly rename: ReadonlyMap<string, string>;
}

export interface TransformQuery {
  /** The whole SELECT, rows in input order. */
  readonly sql: string;
  /** The query up to and including the filter, for counting the rows the filter kept; null without a filter. */
  readonly filteredSql: string | null;
  /** For checking types before running: each derived column's and the filter's stage as `SELECT <expr> ...`. */
  readonly probes: readonly { readonly parameter: string; readonly sql: string; readonly condition: boolean }[];
  readonly columns: readonly string[];
  readonly dedupeKeys: readonly string[];
}

export function buildTransformQuery(dataset: DatasetHandle, spec: TransformSpec): TransformQuery {
  const stages: string[] = [];
  const with_ = (): string => `WITH ${stages.map((s, i) => `s${i} AS (${s})`).join(', ')}`;
  const last = (): string => `s${stages.length - 1}`;
  const times = new Set(spec.timeColumns);
  const base = dataset.columns.map((c) => (times.has(c.name) ? `${utcTimeSql(c, 'src', spec.zone, 'normalise_time')} AS ${quoteIdent(c.name)}` : `src.${quoteIdent(c.name)}`));
  stages.push(`SELECT ${[...base, `src.${quoteIdent(dataset.rowId)} AS ${SOURCE_ROW}`].join(', ')} FROM ${quoteIdent(dataset.table)} AS src`);

  const names = dataset.columns.map((c) => c.name);
  const probes: { parameter: string; sql: string; condition: boolean }[] = [];
  spec.derive.forEach((d, i) => {
    checkNewName(d.name, names, `derive[${i}].name`);
    const parameter = `derive[${i}].expression`;
    const compiled = compileExpression(d.expression, names, parameter);
    probes.push({ parameter, sql: `${with_()} SELECT ${compiled.sql} FROM ${last()}`, condition: false });
    stages.push(`SELECT *, ${compiled.sql} AS ${quoteIdent(d.name)} FROM ${last()}`);
    names.push(d.name);
  });

  let filteredSql: string | null = null;
  if (spec.filter !== null) {
    const compiled = compileExpression(spec.filter, names, 'filter');
    probes.push({ parameter: 'filter', sql: `${with_()} SELECT ${compiled.sql} FROM ${last()}`, condition: true });
    stages.push(`SELECT * FROM ${last()} WHERE ${compiled.sql}`);
    filteredSql = `${with_()} SELECT * FROM ${last()}`;
  }

  const dedupeKeys = spec.dedupe === true ? [...names] : spec.dedupe === false ? [] : uniqueResolved(spec.dedupe, names, 'dedupe');
  if (dedupeKeys.length > 0) {
    stages.push(`SELECT * FROM ${last()} QUALIFY row_number() OVER (PARTITION BY ${dedupeKeys.map(quoteIdent).join(', ')} ORDER BY ${SOURCE_ROW}) = 1`);
  }

  const selected = spec.select === null ? names : uniqueResolved(spec.select, names, 'select');
  const finalNames = new Map(selected.map((n) => [n, n]));
  for (const [from, to] of spec.rename) {
    const resolved = resolveColumn(from, selected, 'rename');
    if (to.length === 0 || to.length > MAX_NAME_LENGTH || to.startsWith('__cs_')) throw new TransformError('rename', 'bad-name', `'${from}' cannot be renamed to '${to}'`);
    finalNames.set(resolved, to);
  }
  const outputs = [...finalNames.values()];
  const clash = outputs.find((n, i) => outputs.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
  if (clash !== undefined) throw new TransformError('rename', 'bad-name', `two output columns would be named '${clash}'`);
  const projection = [...finalNames].map(([from, to]) => (from === to ? quoteIdent(from) : `${quoteIdent(from)} AS ${quoteIdent(to)}`));
  const sql = `${with_()} SELECT ${projection.join(', ')} FROM ${last()} ORDER BY ${SOURCE_ROW}`;
  return { sql, filteredSql, probes, columns: outputs, dedupeKeys };
}

/** A derived column's name: new (case-insensitively, as DuckDB compares names), of sane length, not an internal one. */
function checkNewName(name: string, existing: readonly string[], parameter: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) throw new TransformError(parameter, 'bad-name', `a column name has 1 to ${MAX_NAME_LENGTH} characters`);
  if (name.startsWith('__cs_')) throw new TransformError(parameter, 'bad-name', `names starting with __cs_ are the tool's own`);
  const taken = existing.find((c) => c.toLowerCase() === name.toLowerCase());
  if (taken !== undefined) throw new TransformError(parameter, 'bad-name', `the data already has a column '${taken}'`, { hint: 'choose a new name, or rename the existing column afterwards' });
}

function uniqueResolved(wanted: readonly string[], columns: readonly string[], parameter: string): string[] {
  const resolved: string[] = [];
  for (const name of wanted) {
    const column = resolveColumn(name, columns, parameter);
    if (resolved.includes(column)) throw new TransformError(parameter, 'bad-name', `column '${column}' is listed twice`);
    resolved.push(column);
  }
  return resolved;
}
