import { defineConfig } from 'vitest/config';

// One run covers unit tests beside the code and the cross-cutting tests under test/.
// Browser tests drive a real server (built by `npm test` before vitest starts) in Chromium.
export default defineConfig({
  test: {
    include: ['{engine,app,db,bin,content,test}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'build/**', 'test/bench/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep heavy files (tfjs, Chromium) from starving each other.
    maxWorkers: 2,
    setupFiles: ['test/support/fail-on-console-error.ts'],
  },
});
