import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One worker more than the cores: many test files spend their time waiting on child processes (the built CLI, Redis,
    // Chromium), so a third worker on 2 cores keeps both busy. The whole suite on 2 cores with CI set: 376 s against
    // 579 s with the default of one worker per core (2026-11-28, the same 1,624 tests passing).
    maxWorkers: availableParallelism() + 1,
    // A temporary CS_HELPER_HOME per test file: tests never touch the user's state folder, nor each other's caches.
    setupFiles: ['test/helpers/state-home.ts'],
  },
});
