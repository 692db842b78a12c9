import { pbkdf2 } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/model/errors/cancelled-error.js';
import { engineSession } from '../helpers/engine-session.js';

// A query that would run for minutes: the count of a huge range, never folded away by the optimiser.
const ENDLESS = 'SELECT count(*) FROM range(100000000000) AS t(i) WHERE i % 7 = 3';

describe('SqlSession cancellation', () => {
  const engine = engineSession();

  it('stops a query cancelled before the engine has started it', async () => {
    const controller = new AbortController();
    const running = engine.sql.run(ENDLESS, [], controller.signal);
    // Aborted in the same tick as the call, before the engine's thread has picked the query up.
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    // The connection is usable afterwards.
    expect(await engine.sql.scalar('SELECT 41 + 1')).toBe(42);
  }, 30_000);

  it('stops a query cancelled while it runs', async () => {
    const controller = new AbortController();
    const running = engine.sql.run(ENDLESS, [], controller.signal);
    setTimeout(() => {
      controller.abort();
    }, 200);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
  }, 30_000);

  it('stops a query cancelled while it still waits for a thread of the pool, before the engine has begun it', async () => {
    // Node's thread pool (4 threads) is kept busy for about a second, so the query waits in its queue: an interrupt
    // sent then reaches DuckDB before the query begins, and DuckDB forgets it when the query starts. Ran for minutes
    // before interrupts were repeated until the query ends.
    const busy = Array.from({ length: 4 }, () => new Promise((resolve) => {
        pbkdf2('x', 'salt', 400_000, 32, 'sha512', resolve);
      }),
    );
    const controller = new AbortController();
    const running = engine.sql.run(ENDLESS, [], controller.signal);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await Promise.all(busy);
    expect(await engine.sql.scalar('SELECT 41 + 1')).toBe(42);
  }, 30_000);
});
