// DuckDB's Node API, loaded when the first workspace opens rather than when the CLI starts: its native library is the
// largest single cost of starting the program (~0.3-0.5 s), which commands that never touch data (help, version,
// sessions, attack, feeds list) should not pay.
import type * as DuckDbModule from '@duckdb/node-api';

export type DuckDbApi = typeof DuckDbModule;

let loaded: DuckDbApi | null = null;

export async function loadDuckDb(): Promise<DuckDbApi> {
  loaded ??= await import('@duckdb/node-api');
  return loaded;
}

/** The API once a workspace has loaded it: every SQL session comes from a workspace, so it is there when used. */
export function duckDb(): DuckDbApi {
  if (loaded === null) throw new Error('DuckDB was used before a workspace was opened (Workspace.open loads it)');
  return loaded;
}
