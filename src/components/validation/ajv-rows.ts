// JSON Schema validation in JS with ajv, for what the engine cannot check: the user's schema is compiled in strict
// schema mode (unknown keywords and formats are errors), with no remote references, patterns through RE2 (re2-wasm,
// linear time), and rows read as column chunks (SqlSession.chunks), at most `maxRows`, errors listed per rule up to a cap.
import { Ajv, type AnySchemaObject, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { RE2 } from 're2-wasm';
import type { DatasetHandle } from '../../model/dataset.js';
import { ValidationSpecError } from '../../model/errors/validation-spec-error.js';
import { plainText, type PlainValue } from '../../data/plain-value.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { SqlSession } from '../../data/sql-session.js';
import { VIOLATION_KIND, VIOLATION_VALUE_CHARS } from '../violations.js';

/** ajv's regular-expression engine: RE2, so a user's `pattern` runs in linear time (DESIGN.md: `(a+)+$` on 50k chars in 8 ms). */
const re2Engine = Object.assign((pattern: string, flags: string) => new RE2(pattern, flags.includes('u') ? flags : `${flags}u`), { code: 're2-wasm' });

// ajv-formats is CommonJS with a default export; under NodeNext its default import is the module object or the function.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv, options: { mode: 'fast'; formats: string[] }) => Ajv;
const FORMATS = ['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex', 'json-pointer'];

const OPTIONS: Options = {
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: true,
  // CSV has no types: "443" is an integer, as in the engine's checks.
  coerceTypes: true,
  logger: false,
  code: { regExp: re2Engine },
};

/** Compiles a schema for the draft its `$schema` names (2020-12 when none); every problem is an error naming the file. */
export function compileJsonSchema(file: string, schema: AnySchemaObject): ValidateFunction {
  const draft = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  let ajv: Ajv | Ajv2019 | Ajv2020;
  if (draft === '' || draft.includes('2020-12')) ajv = new Ajv2020(OPTIONS);
  else if (draft.includes('2019-09')) ajv = new Ajv2019(OPTIONS);
  else if (draft.includes('draft-07')) ajv = new Ajv(OPTIONS);
  else throw new ValidationSpecError(file, 'invalid', `$schema ${draft} is not a draft CS Helper reads`, { hint: 'use draft 2020-12 (https://json-schema.org/draft/2020-12/schema), 2019-09 or 7' });
  // ajv-formats types its parameter as draft-07 Ajv; the 2019/2020 classes share its core and take the same formats.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  addFormats(ajv, { mode: 'fast', formats: FORMATS });
  try {
    return ajv.compile(schema);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RangeError) throw new ValidationSpecError(file, 'unsafe', 'refused: the schema nests too deeply to compile');
    const remote = /can't resolve reference|MissingRef/i.test(message);
    throw new ValidationSpecError(file, 'invalid', `not a usable JSON Schema: ${message.split('\n')[0] ?? message}`, {
      hint: remote ? 'references are resolved inside the file only ($defs); nothing is fetched' : 'check the keyword named; unknown keywords and formats are refused (strict mode)',
    });
  }
}

export interface AjvCount {
  readonly id: string;
  readonly column: string | null;
  readonly message: string;
  count: number;
}

export interface AjvRun {
  readonly counts: AjvCount[];
  readonly rowsChecked: number;
}

/** Validates rows against the compiled residual schema; violations go into `target`, at most `limit` per rule. */
export async function validateRowsWithAjv(sql: SqlSession, dataset: DatasetHandle, validate: ValidateFunction, columns: readonly string[], options: { target: string; stage: string; limit: number; maxRows: number }, signal: AbortSignal): Promise<AjvRun> {
  const counts = new Map<string, AjvCount>();
  const staged: (string | number | null)[][] = [];
  let rowsChecked = 0;
  const select = [`${quoteIdent(dataset.rowId)} AS __rid`, ...columns.map((c) => quoteIdent(c))].join(', ');
  for await (const chunk of sql.chunks(`SELECT ${select} FROM ${quoteIdent(dataset.table)} LIMIT ${Math.floor(options.maxRows)}`, [], signal)) {
    const ids = chunk.columns[0] ?? [];
    for (let r = 0; r < chunk.rows; r += 1) {
      // A prototype-less object: a column called `__proto__` is a property like any other.
      const row = Object.create(null) as Record<string, PlainValue>;
      columns.forEach((name, c) => {
        const value = chunk.columns[c + 1]?.[r] ?? null;
        if (value !== null) row[name] = value;
      });
      rowsChecked += 1;
      if (validate(row)) continue;
      for (const error of validate.errors ?? []) {
        // `if` only says that `then` or `else` failed; their own errors carry the detail.
        if (error.keyword === 'if') continue;
        const column = columnOf(error);
        const id = `${column ?? '(row)'}.${error.keyword}`;
        const entry = counts.get(id) ?? { id, column, message: error.message ?? error.keyword, count: 0 };
        entry.count += 1;
        counts.set(id, entry);
        if (entry.count <= options.limit) {
          const value = column === null ? null : plainText(row[column]).slice(0, VIOLATION_VALUE_CHARS) || null;
          staged.push([Number(ids[r] ?? 0), id, column, value, error.message ?? error.keyword]);
        }
      }
    }
  }
  if (staged.length > 0) {
    await sql.run(`CREATE TEMP TABLE ${quoteIdent(options.stage)} (row_id DOUBLE, rule VARCHAR, col VARCHAR, value VARCHAR, message VARCHAR)`, [], signal);
    await sql.append(options.stage, staged, signal);
    await sql.run(
      `INSERT INTO ${quoteIdent(options.target)} SELECT CAST(row_id AS BIGINT), '${VIOLATION_KIND}', rule, 0, 'validation.schema', value, json_object('column', col, 'severity', 'error', 'message', message) FROM ${quoteIdent(options.stage)} ORDER BY row_id, rule`,
      [],
      signal,
    );
    await sql.run(`DROP TABLE ${quoteIdent(options.stage)}`, [], signal);
  }
  return { counts: [...counts.values()], rowsChecked };
}

/** The column an error is about: the first step of its path, or the property it names as missing or extra. */
function columnOf(error: ErrorObject): string | null {
  if (error.instancePath !== '') {
    const first = error.instancePath.split('/')[1] ?? '';
    return first.replaceAll('~1', '/').replaceAll('~0', '~');
  }
  const params = error.params as Record<string, unknown>;
  for (const key of ['missingProperty', 'additionalProperty', 'unevaluatedProperty', 'propertyName']) {
    const value = params[key];
    if (typeof value === 'string') return value;
  }
  return null;
}
