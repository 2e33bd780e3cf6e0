import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the service under faults (kill -9 mid-import and
// under verify load, PostgreSQL stopped under load, several instances on one
// database). Server processes of their own, on SQLite and on PostgreSQL (the
// one at HWT_TEST_PG_URL, and a private PostgreSQL 15 started by the outage
// test): one file at a time, each on its own database.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.test.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
