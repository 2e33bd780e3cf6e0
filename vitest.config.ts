import { defineConfig } from 'vitest/config';

// `npm test`: domain and API suites. The API suites run on SQLite always and,
// when HWT_TEST_PG=1, on PostgreSQL as well (see test/helpers/databases.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/faults/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
