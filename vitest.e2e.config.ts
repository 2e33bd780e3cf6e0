import { configDefaults, defineConfig } from 'vitest/config';
import { DIALECTS } from './test/helpers/databases.js';

/** Files that check the bundle and the static-file plugin, with no database: run once. */
const WITHOUT_DATABASE = ['test/e2e/bundle-size.e2e.test.ts', 'test/e2e/console-static.e2e.test.ts'];

// `npm run test:e2e`: the console in headless Chromium against the real
// server, once per database of DIALECTS (SQLite; PostgreSQL too with
// HWT_TEST_PG=1). One file at a time: they share the built console in
// dist/console.
export default defineConfig({
  test: {
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The browser waits on the network: give a polled expectation time to settle.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    projects: DIALECTS.map((dialect, index) => ({
      extends: true,
      test: {
        name: `e2e-${dialect}`,
        include: ['test/e2e/**/*.e2e.test.ts'],
        exclude: index === 0 ? configDefaults.exclude : [...configDefaults.exclude, ...WITHOUT_DATABASE],
        env: { HWT_E2E_DIALECT: dialect },
        // Builds the console, once: a global setup runs for each project that names it.
        globalSetup: index === 0 ? ['test/e2e/global-setup.ts'] : [],
      },
    })),
  },
});
