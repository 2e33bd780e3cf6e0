import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the console in headless Chromium against the real
// server. One file at a time: they share the built console in dist/console.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    globalSetup: ['test/e2e/global-setup.ts'],
    // The browser waits on the network: give a polled expectation time to settle.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
