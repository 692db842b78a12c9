// The run's data workspace: one embedded DuckDB database, in memory and spilling to a temp folder, nothing downloaded.
import { plainText } from './plain-value.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { loadDuckDb } from './duckdb-api.js';
import { ROW_ID_COLUMN, type DatasetColumn, type DatasetHandle } from '../model/dataset.js';
import { inferColumnRoles } from './column-roles.js';
import { quoteIdent } from './sql-text.js';
import { SqlSession } from './sql-session.js';

const MIN_ENGINE_MEMORY_MB = 128;

/**
 * DuckDB's memory limit for one machine, from CS_HELPER_MEMORY_LIMIT_MB (whole MiB, at least 128), or null when unset:
 * the planner's limit when set (else its 1 GB default), and a ceiling on the limit of any plan run here, including
 * plans made on a bigger machine.
 */
export function memoryCeilingMb(env: NodeJS.ProcessEnv = process.env): number | null {
  const configured = Number(env['CS_HELPER_MEMORY_LIMIT_MB']);
  return Number.isInteger(configured) && configured >= MIN_ENGINE_MEMORY_MB ? configured : null;
}

/** The engine memory limit for a run: the plan's choice, capped by CS_HELPER_MEMORY_LIMIT_MB when that is set. */
export function engineMemoryLimitMb(plannedMb: number | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const ceiling = memoryCeilingMb(env);
  if (ceiling === null) return plannedMb;
  return plannedMb === undefined ? ceiling : Math.min(plannedMb, ceiling);
}

export interface WorkspaceOptions {
  /** Engine threads; defaults to the machine's cores. */
  readonly threads?: number;
  /** DuckDB memory limit in MiB; defaults to CS_HELPER_MEMORY_LIMIT_MB when set, else DuckDB's own (80% of RAM). */
  readonly memoryLimitMb?: number;
  /** The folder in which the run's spill folder is made; defaults to the system's temporary folder. */
  readonly spillParent?: string;
}

export class Workspace {
  readonly #instance: DuckDBInstance;
  readonly #spillDir: string;
  #tableCounter = 0;
  #closed = false;

  private constructor(instance: DuckDBInstance, spillDir: string) {
    this.#instance = instance;
    this.#spillDir = spillDir;
  }

  static async open(options: WorkspaceOptions = {}): Promise<Workspace> {
    const spillDir = await mkdtemp(join(options.spillParent ?? tmpdir(), 'cs-helper-'));
    const config: Record<string, string> = {
      // Offline by design: an extension that is not built in must fail, not be fetched.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      temp_directory: spillDir,
    };
    if (options.threads !== undefined) config['threads'] = String(options.threads);
    const memoryLimitMb = options.memoryLimitMb ?? memoryCeilingMb();
    // MiB, as the planner counts (1024 * 1024 bytes): DuckDB's 'MB' is 1000 * 1000.
    if (memoryLimitMb !== null) config['memory_limit'] = `${String(memoryLimitMb)}MiB`;
    const { DuckDBInstance } = await loadDuckDb();
    const instance = await DuckDBInstance.create(':memory:', config);
    // Timestamps print and bucket in UTC whatever the machine's zone (the option exists once ICU is loaded).
    const setup = await instance.connect();
    try {
      await setup.run("SET GLOBAL TimeZone = 'UTC'");
    } finally {
      setup.closeSync();
    }
    return new Workspace(instance, spillDir);
  }

  /** A new connection: each step has its own, so steps of a parallel stage really run at the same time. */
  async session(): Promise<SqlSession> {
    if (this.#closed) throw new Error('workspace is closed');
    return new SqlSession(await this.#instance.connect());
  }

  /** A fresh table name with a readable prefix; names never come from user input. */
  tableName(prefix: string): string {
    this.#tableCounter += 1;
    return `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${this.#tableCounter}`;
  }

  /** Reads a table's columns, infers their roles from names and sampled values, and counts its rows. */
  async handle(session: SqlSession, table: string, sources: readonly string[], signal?: AbortSignal): Promise<DatasetHandle> {
    const all = await session.describe(`SELECT * FROM ${quoteIdent(table)}`, signal);
    const described = all.filter((c) => c.name !== ROW_ID_COLUMN);
    const rowId = described.length < all.length ? ROW_ID_COLUMN : 'rowid';
    const rowCount = Number(await session.scalar(`SELECT count(*) FROM ${quoteIdent(table)}`, [], signal));
    const samples = await sampleColumns(session, table, described.map((c) => c.name), signal);
    const roles = inferColumnRoles(
      described.map((c) => ({ name: c.name, sqlType: c.sqlType, samples: samples.get(c.name) ?? [] })),
    );
    const columns: DatasetColumn[] = described.map((c, i) => ({ name: c.name, sqlType: c.sqlType, role: roles[i]?.role ?? null }));
    return { table, columns, rowCount, sources, rowId };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#instance.closeSync();
    await rm(this.#spillDir, { recursive: true, force: true });
  }
}

const SAMPLE_ROWS = 200;

/** Up to 200 non-null values per column, as text, from the first rows: enough to recognise IPs, hashes, URLs. */
async function sampleColumns(session: SqlSession, table: string, names: readonly string[], signal?: AbortSignal): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (names.length === 0) return result;
  const select = names.map((n) => `CAST(${quoteIdent(n)} AS VARCHAR)`).join(', ');
  const rows = await session.all(`SELECT ${select} FROM ${quoteIdent(table)} LIMIT ${SAMPLE_ROWS}`, [], signal);
  for (const row of rows) {
    Object.values(row).forEach((value, i) => {
      const name = names[i];
      if (name === undefined || value === null || value === '') return;
      const list = result.get(name) ?? [];
      list.push(plainText(value));
      result.set(name, list);
    });
  }
  return result;
}
