import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A temporary CS_HELPER_HOME per test file: tests never touch the user's state folder, nor each other's caches.
    setupFiles: ['test/helpers/state-home.ts'],
  },
});
