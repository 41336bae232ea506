import { defineConfig } from 'vitest/config';

// Three projects, one run: `unit` is the tests beside the code (engine/, app/, bin/, content/, db/);
// `integration` is test/ (real SQLite files, the built server, Chromium); `db-postgres` is test/db/
// once more on PostgreSQL. `npm test` runs all three, `npm run test:unit` the first alone. Browser tests drive a server built by `npm test` first.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep heavy files (tfjs, Chromium) from starving each other.
    maxWorkers: 2,
    setupFiles: ['test/support/fail-on-console-error.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['{engine,app,db,bin,content}/**/*.test.{ts,tsx}'], exclude: ['node_modules/**', 'build/**'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.{ts,tsx}'], exclude: ['node_modules/**', 'build/**', 'test/bench/**'] } },
      // The database tests again, on a real PostgreSQL server (TEST_DATABASE_URL; test/support/postgres.ts).
      { extends: true, test: { name: 'db-postgres', include: ['test/db/**/*.test.ts'], env: { STRIDE_TEST_ENGINE: 'postgres' } } },
    ],
  },
});
