// One engine for the tests of a file or a describe block: a workspace and a session on it, opened (and given its
// tables by `setup`) before the tests, closed after them.
import { afterAll, beforeAll } from 'vitest';
import type { SqlSession } from '../../src/data/sql-session.js';
import { Workspace, type WorkspaceOptions } from '../../src/data/workspace.js';

export interface EngineSession {
  /** The session; only inside the tests (and hooks) of the block that made it. */
  readonly sql: SqlSession;
}

export function engineSession(options: WorkspaceOptions = { threads: 1 }, setup?: (sql: SqlSession) => Promise<void>): EngineSession {
  let workspace: Workspace | undefined;
  let session: SqlSession | undefined;
  beforeAll(async () => {
    workspace = await Workspace.open(options);
    session = await workspace.session();
    await setup?.(session);
  });
  afterAll(async () => {
    session?.close();
    await workspace?.close();
  });
  return {
    get sql(): SqlSession {
      if (session === undefined) throw new Error('the engine session is opened before the tests of its block and closed after them');
      return session;
    },
  };
}
