import { defineConfig } from 'vitest/config';

// Two projects: API and rule tests on a real database (PGlite, or PostgreSQL when DATABASE_URL
// is set), and browser tests against a running server (skipped loudly without Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'api',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/e2e-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
