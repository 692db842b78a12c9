// One connection to the run's engine, owned by one step: queries obey the step's AbortSignal by interrupting DuckDB.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { duckDb } from './duckdb-api.js';
import { appendValueFor, type AppendValue } from './append-value.js';
import { CancelledError } from '../model/errors/cancelled-error.js';
import { toPlainValue, type PlainValue } from './plain-value.js';

/** CS_HELPER_TRACE_SQL=1 prints every statement with its time on stderr: how the engine's share of a run is found. */
const TRACE_SQL = process.env['CS_HELPER_TRACE_SQL'] === '1';
/** How often a cancelled query is interrupted again until it ends (see #guard). */
const INTERRUPT_REPEAT_MS = 20;

export type SqlParams = readonly DuckDBValue[];
export type PlainRow = Record<string, PlainValue>;

export class SqlSession {
  readonly #connection: DuckDBConnection;

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  /** Runs a statement; the signal interrupts it in the engine, not just the promise. */
  async run(sql: string, params: SqlParams = [], signal?: AbortSignal): Promise<void> {
    await this.#guard(sql, signal, () => this.#connection.run(sql, params.length > 0 ? [...params] : undefined));
  }

  /** Runs a query whose result is small (summaries, top-N): rows as plain objects with numbers, not bigints. */
  async all(sql: string, params: SqlParams = [], signal?: AbortSignal): Promise<PlainRow[]> {
    const reader = await this.#guard(sql, signal, () => this.#connection.runAndReadAll(sql, params.length > 0 ? [...params] : undefined));
    const names = reader.deduplicatedColumnNames();
    const columns = reader.getColumnsJS();
    const rows: PlainRow[] = [];
    for (let r = 0; r < reader.currentRowCount; r += 1) {
      const row: PlainRow = Object.create(null) as PlainRow;
      names.forEach((name, c) => {
        row[name] = toPlainValue(columns[c]?.[r]);
      });
      rows.push(row);
    }
    return rows;
  }

  /** A single value: the first column of the first row. */
  async scalar(sql: string, params: SqlParams = [], signal?: AbortSignal): Promise<PlainValue> {
    const rows = await this.all(sql, params, signal);
    const first = rows[0];
    if (first === undefined) return null;
    const key = Object.keys(first)[0];
    return key === undefined ? null : (first[key] ?? null);
  }

  /** Column names and engine types of a query, without running it over the data. */
  async describe(sql: string, signal?: AbortSignal): Promise<{ name: string; sqlType: string; structEntries: string[] | null; json: boolean }[]> {
    const reader = await this.#guard(sql, signal, () => this.#connection.runAndReadUntil(`SELECT * FROM (${sql}) LIMIT 0`, 0));
    return reader.columnNames().map((name, index) => {
      const type = reader.columnType(index);
      const entries = type instanceof duckDb().DuckDBStructType ? [...type.entryNames] : null;
      // The engine's JSON type is VARCHAR with an alias: its text keeps the quotes of a JSON string.
      return { name, sqlType: type.toString(), structEntries: entries, json: type.alias === 'JSON' };
    });
  }

  /** Streams a query in chunks of columns, so JS logic never holds millions of row objects. */
  async *chunks(sql: string, params: SqlParams = [], signal?: AbortSignal): AsyncGenerator<{ names: string[]; columns: PlainValue[][]; rows: number }> {
    const result = await this.#guard(sql, signal, () => this.#connection.stream(sql, params.length > 0 ? [...params] : undefined));
    const names = result.deduplicatedColumnNames();
    for (;;) {
      if (signal?.aborted === true) throw new CancelledError();
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) return;
      const columns = chunk.convertColumns(duckDb().JSDuckDBValueConverter).map((column) => column.map(toPlainValue));
      yield { names, columns, rows: chunk.rowCount };
    }
  }

  /**
   * Appends rows of text and numbers to an existing table through the engine's appender (no SQL text per row): in data
   * chunks when every column is text or a number, else value by value with the engine casting each one.
   */
  async append(table: string, rows: Iterable<readonly (string | number | null)[]>, signal?: AbortSignal): Promise<number> {
    const appender = await this.#connection.createAppender(table);
    const converters = Array.from({ length: appender.columnCount }, (_, i) => appendValueFor(appender.columnType(i)));
    let count = 0;
    try {
      if (converters.every((c) => c !== null)) {
        const writer = duckDb().DuckDBDataChunkWriter.forAppender(appender);
        const values: DuckDBValue[] = new Array<DuckDBValue>(converters.length).fill(null);
        for (const row of rows) {
          for (let i = 0; i < converters.length; i += 1) {
            const value = row[i] ?? null;
            values[i] = value === null ? null : (converters[i] as AppendValue)(value);
          }
          writer.appendRow(values);
          count += 1;
          if (count % 65_536 === 0 && signal !== undefined && signal.aborted) throw new CancelledError();
        }
        writer.flush();
      } else {
        for (const row of rows) {
          for (const value of row) {
            if (value === null) appender.appendNull();
            else if (typeof value === 'number') appender.appendDouble(value);
            else appender.appendVarchar(value);
          }
          appender.endRow();
          count += 1;
          if (count % 65_536 === 0 && signal !== undefined && signal.aborted) throw new CancelledError();
        }
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return count;
  }

  close(): void {
    this.#connection.closeSync();
  }

  async #guard<T>(sql: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (isAborted(signal)) throw new CancelledError();
    const traced = TRACE_SQL ? performance.now() : 0;
    // An interrupt that reaches DuckDB before its thread has begun the query is lost (the query clears the flag when
    // it starts: under load a cancel in the same tick as the call was lost 39 times out of 40), so it is repeated
    // until the query has ended.
    let repeat: NodeJS.Timeout | undefined;
    const interrupt = (): void => {
      this.#connection.interrupt();
      repeat = setInterval(() => {
        this.#connection.interrupt();
      }, INTERRUPT_REPEAT_MS);
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      return await work();
    } catch (error) {
      // Checked again after the await: the signal may have fired while the engine worked.
      if (isAborted(signal)) throw new CancelledError();
      throw error;
    } finally {
      clearInterval(repeat);
      signal?.removeEventListener('abort', interrupt);
      if (TRACE_SQL) process.stderr.write(`[sql ${(performance.now() - traced).toFixed(1)} ms] ${sql.replace(/\s+/g, ' ').slice(0, Number(process.env['CS_HELPER_TRACE_SQL_CHARS'] ?? 160))}\n`);
    }
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
