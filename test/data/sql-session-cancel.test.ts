import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSession } from '../../src/data/sql-session.js';
import { Workspace } from '../../src/data/workspace.js';
import { CancelledError } from '../../src/model/errors/cancelled-error.js';

// A query that would run for minutes: the count of a huge range, never folded away by the optimiser.
const ENDLESS = 'SELECT count(*) FROM range(100000000000) AS t(i) WHERE i % 7 = 3';

describe('SqlSession cancellation', () => {
  let workspace: Workspace;
  let sql: SqlSession;
  beforeAll(async () => {
    workspace = await Workspace.open({ threads: 1 });
    sql = await workspace.session();
  });
  afterAll(async () => {
    sql.close();
    await workspace.close();
  });

  it('stops a query cancelled before the engine has started it', async () => {
    const controller = new AbortController();
    const running = sql.run(ENDLESS, [], controller.signal);
    // Aborted in the same tick as the call, before the engine's thread has picked the query up.
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    // The connection is usable afterwards.
    expect(await sql.scalar('SELECT 41 + 1')).toBe(42);
  }, 30_000);

  it('stops a query cancelled while it runs', async () => {
    const controller = new AbortController();
    const running = sql.run(ENDLESS, [], controller.signal);
    setTimeout(() => {
      controller.abort();
    }, 200);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
  }, 30_000);
});
