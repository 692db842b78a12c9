// The result cache: a finished step's tables as Parquet files under <state>/results/, its summary and message in the
// state database, found again by the step's key (step-key.ts). A hit puts a view over a cached dataset into the run's
// workspace, so a run whose steps are all cached reads only what its exports need. Exports are never served from it.
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AnyComponent, ComponentInputs, ComponentOutput } from '../components/component.js';
import type { SqlSession } from '../data/sql-session.js';
import { quoteIdent, quoteLiteral } from '../data/sql-text.js';
import { ROW_ID_COLUMN, type DatasetHandle } from '../model/dataset.js';
import { semanticRoleSchema } from '../model/semantic-role.js';
import type { PlanNode } from '../model/workflow-plan.js';
import { Counter, nextTick, type Counters } from '../state/counters.js';
import type { StateDatabase } from '../state/state-database.js';
import { FileDigests } from './file-digest.js';
import { RESULT_CACHE_FORMAT, stepKey, type StepKeyInputs } from './step-key.js';

export const DEFAULT_RESULT_CACHE_MB = 1024;
export const RESULT_CACHE_MB_ENV = 'CS_HELPER_RESULT_CACHE_MB';

export interface ResultCacheOptions {
  /** Most bytes of Parquet kept; the least recently used entries are removed beyond it. */
  readonly maxBytes?: number;
}

const TABLE_PORTS = ['dataset', 'findings'] as const;
type TablePort = (typeof TABLE_PORTS)[number];

const storedTableSchema = z.union([
  z.object({
    file: z.string().regex(/^(dataset|findings)\.parquet$/),
    columns: z.array(z.object({ name: z.string(), sqlType: z.string(), role: semanticRoleSchema.nullable() })),
    rowCount: z.number().int().nonnegative(),
    sources: z.array(z.string()),
  }),
  // A step that hands on one of its inputs unchanged: nothing is copied, the input is handed on again.
  z.object({ input: z.object({ port: z.enum(TABLE_PORTS), index: z.number().int().nonnegative() }) }),
]);
type StoredTable = z.infer<typeof storedTableSchema>;

const storedStepSchema = z.object({
  format: z.literal(RESULT_CACHE_FORMAT),
  component: z.string(),
  message: z.string(),
  rowsIn: z.number(),
  rowsOut: z.number(),
  summary: z.record(z.string(), z.json()).nullable(),
  dataset: storedTableSchema.nullable(),
  findings: storedTableSchema.nullable(),
});

/** A cache entry: what the step returned, with its tables as Parquet files. */
export interface CachedStep extends z.infer<typeof storedStepSchema> {
  readonly key: string;
  readonly bytes: number;
}

/** Where a hit is restored: the run's workspace, through a connection of the step. */
export interface RestoreTarget {
  readonly sql: SqlSession;
  tableName(prefix: string): string;
  readonly runId: string;
  /** The step's inputs in this run, for results that hand an input on unchanged. */
  readonly inputs: ComponentInputs;
}

export class ResultCache {
  readonly dir: string;
  readonly digests: FileDigests;
  readonly maxBytes: number;
  readonly #state: StateDatabase;
  readonly #counters: Counters;

  constructor(state: StateDatabase, counters: Counters, options: ResultCacheOptions = {}) {
    this.#state = state;
    this.#counters = counters;
    this.dir = join(state.home, 'results');
    this.digests = new FileDigests(state);
    this.maxBytes = Math.max(0, options.maxBytes ?? DEFAULT_RESULT_CACHE_MB * 1024 * 1024);
  }

  /** The step's key: its component and version, parameters, the content of the files it reads, the keys upstream. */
  key(node: PlanNode, inputs: StepKeyInputs): string {
    return stepKey(node, inputs);
  }

  /** Whether a step's result may be stored: exports write files the user asked for, and always run. */
  cacheable(node: PlanNode, component: AnyComponent): boolean {
    return node.type !== 'EXPORT' && !component.produces.includes('artefact');
  }

  /** The entry for a key, or null; counts nothing (the caller counts hits once they are restored). */
  get(key: string): CachedStep | null {
    const row = this.#state.db.prepare('SELECT entry_json, bytes FROM results WHERE key = ?').get(key) as { entry_json: string; bytes: number } | undefined;
    if (row === undefined) return null;
    let json: unknown;
    try {
      json = JSON.parse(row.entry_json);
    } catch {
      return null;
    }
    const parsed = storedStepSchema.safeParse(json);
    return parsed.success ? { ...parsed.data, key, bytes: row.bytes } : null;
  }

  /** The component whose result is stored for a key, or null: the index row only, for an estimate (get() parses it all). */
  storedComponent(key: string): string | null {
    const row = this.#state.db.prepare('SELECT component FROM results WHERE key = ?').get(key) as { component: string } | undefined;
    return row?.component ?? null;
  }

  count(hit: boolean): void {
    this.#counters.add(hit ? Counter.resultHit : Counter.resultMiss);
  }

  /**
   * Puts the entry's tables into the workspace as views over its Parquet files, linked first into a folder of the run
   * so that another process evicting the entry meanwhile cannot pull the files from under the run.
   */
  async restore(entry: CachedStep, target: RestoreTarget, signal?: AbortSignal): Promise<ComponentOutput> {
    const handles: Partial<Record<TablePort, DatasetHandle>> = {};
    for (const port of TABLE_PORTS) {
      const stored = entry[port];
      if (stored === null) continue;
      if ('input' in stored) {
        const list = stored.input.port === 'dataset' ? target.inputs.datasets : target.inputs.findings;
        const handed = list[stored.input.index];
        if (handed === undefined) throw new Error(`cached step hands on input ${stored.input.port}[${stored.input.index}], which this run does not have`);
        handles[port] = handed;
        continue;
      }
      // A dataset (possibly millions of rows) becomes a view, read only as far as later steps read it; findings (few
      // rows, and combined with other findings tables column for column) are copied into a table of the same shape.
      const asView = port === 'dataset';
      const file = asView ? await this.#pin(entry.key, stored.file, target.runId) : join(this.#entryDir(entry.key), stored.file);
      const name = target.tableName(`cached_${port}`);
      const source = `read_parquet(${quoteLiteral(file)})`;
      const actual = new Map((await target.sql.describe(`SELECT * FROM ${source}`, signal)).map((c) => [c.name, c.sqlType]));
      // Parquet has no type for a few engine types: cast back to what the step produced where they differ.
      const columns = stored.columns.map((c) => (actual.get(c.name) === c.sqlType ? quoteIdent(c.name) : `CAST(${quoteIdent(c.name)} AS ${c.sqlType}) AS ${quoteIdent(c.name)}`));
      if (asView) columns.push(quoteIdent(ROW_ID_COLUMN));
      await target.sql.run(`CREATE ${asView ? 'VIEW' : 'TABLE'} ${quoteIdent(name)} AS SELECT ${columns.join(', ')} FROM ${source}`, [], signal);
      handles[port] = { table: name, columns: stored.columns, rowCount: stored.rowCount, sources: stored.sources, rowId: asView ? ROW_ID_COLUMN : 'rowid' };
    }
    this.#touch(entry.key);
    return {
      ...(handles.dataset === undefined ? {} : { dataset: handles.dataset }),
      ...(handles.findings === undefined ? {} : { findings: handles.findings }),
      ...(entry.summary === null ? {} : { summary: entry.summary }),
      rowsIn: entry.rowsIn,
      rowsOut: entry.rowsOut,
      message: entry.message,
    };
  }

  /**
   * Stores a finished step: each table it created is written to Parquet in row order (with its row ids, which
   * findings point at), into a private folder renamed into place when complete; then the index row; then eviction.
   */
  async put(key: string, node: PlanNode, component: AnyComponent, output: ComponentOutput, context: { readonly sql: SqlSession; readonly inputs: ComponentInputs }, signal?: AbortSignal): Promise<void> {
    if ((output.files ?? []).length > 0) return;
    const tmp = join(this.dir, '.tmp', `${key}-${randomUUID()}`);
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    try {
      const tables: Partial<Record<TablePort, StoredTable>> = {};
      let bytes = 0;
      for (const port of TABLE_PORTS) {
        const handle = output[port];
        if (handle === undefined) continue;
        const handedOn = handedOnInput(handle, context.inputs);
        if (handedOn !== null) {
          tables[port] = { input: handedOn };
          continue;
        }
        const file = `${port}.parquet`;
        // Tables number their rows by `rowid`; views carry the number as a column already.
        const select = handle.rowId === 'rowid' ? `SELECT *, rowid AS ${quoteIdent(ROW_ID_COLUMN)} FROM ${quoteIdent(handle.table)}` : `SELECT * FROM ${quoteIdent(handle.table)}`;
        await context.sql.run(`COPY (${select}) TO ${quoteLiteral(join(tmp, file))} (FORMAT parquet, COMPRESSION uncompressed)`, [], signal);
        bytes += (await stat(join(tmp, file))).size;
        tables[port] = { file, columns: handle.columns.map((c) => ({ name: c.name, sqlType: c.sqlType, role: c.role })), rowCount: handle.rowCount, sources: [...handle.sources] };
      }
      if (bytes > this.maxBytes) return;
      const entry = { format: RESULT_CACHE_FORMAT, component: component.id, message: output.message, rowsIn: output.rowsIn, rowsOut: output.rowsOut, summary: output.summary ?? null, dataset: tables.dataset ?? null, findings: tables.findings ?? null };
      const target = this.#entryDir(key);
      await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
      try {
        await rename(tmp, target);
      } catch (error) {
        // Another process stored the same key first: its files are as good as ours.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      const now = new Date().toISOString();
      const evicted = this.#state.write(() => {
        this.#state.db
          .prepare(
            `INSERT INTO results (key, node, component, component_version, entry_json, bytes, created_at, used_at, use_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET entry_json = excluded.entry_json, bytes = excluded.bytes, used_at = excluded.used_at, use_seq = excluded.use_seq`,
          )
          .run(key, node.id, component.id, component.version, JSON.stringify(entry), bytes, now, now, nextTick(this.#state));
        return this.#evict();
      });
      await Promise.all(evicted.map((k) => rm(this.#entryDir(k), { recursive: true, force: true })));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Removes the links a run made to the entries it restored. */
  async release(runId: string): Promise<void> {
    await rm(join(this.dir, '.in-use', runId), { recursive: true, force: true });
  }

  /** Entries and bytes in the cache. */
  stats(): { entries: number; bytes: number } {
    const row = this.#state.db.prepare('SELECT count(*) AS entries, coalesce(sum(bytes), 0) AS bytes FROM results').get() as { entries: number; bytes: number };
    return { entries: row.entries, bytes: row.bytes };
  }

  /** Removes leftovers of runs that crashed (links, half-written entries) older than a day. */
  async sweep(now: number = Date.now()): Promise<void> {
    for (const folder of [join(this.dir, '.in-use'), join(this.dir, '.tmp')]) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        const info = await stat(join(folder, name)).catch(() => null);
        if (info !== null && now - info.mtimeMs > 24 * 3_600_000) await rm(join(folder, name), { recursive: true, force: true });
      }
    }
  }

  /** Inside the write transaction: the least recently used entries beyond the size cap, removed from the index. */
  #evict(): string[] {
    const rows = this.#state.db.prepare('SELECT key, bytes FROM results ORDER BY use_seq DESC').all() as { key: string; bytes: number }[];
    let total = 0;
    const evicted: string[] = [];
    for (const row of rows) {
      total += row.bytes;
      if (total > this.maxBytes) evicted.push(row.key);
    }
    const remove = this.#state.db.prepare('DELETE FROM results WHERE key = ?');
    for (const key of evicted) remove.run(key);
    return evicted;
  }

  #touch(key: string): void {
    const now = new Date().toISOString();
    this.#state.write(() => {
      this.#state.db.prepare('UPDATE results SET used_at = ?, use_seq = ?, hits = hits + 1 WHERE key = ?').run(now, nextTick(this.#state), key);
    });
  }

  async #pin(key: string, file: string, runId: string): Promise<string> {
    const folder = join(this.dir, '.in-use', runId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const pinned = join(folder, `${key}-${file}`);
    try {
      await link(join(this.#entryDir(key), file), pinned);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return pinned;
  }

  #entryDir(key: string): string {
    return join(this.dir, key.slice(0, 2), key);
  }
}

function handedOnInput(handle: DatasetHandle, inputs: ComponentInputs): { port: TablePort; index: number } | null {
  const dataset = inputs.datasets.findIndex((d) => d.table === handle.table);
  if (dataset >= 0) return { port: 'dataset', index: dataset };
  const findings = inputs.findings.findIndex((f) => f.table === handle.table);
  return findings >= 0 ? { port: 'findings', index: findings } : null;
}

/** The size cap from $CS_HELPER_RESULT_CACHE_MB, when it is a non-negative number (0 stores nothing). */
export function resultCacheBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[RESULT_CACHE_MB_ENV];
  const value = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(value) && value >= 0 ? value * 1024 * 1024 : undefined;
}
