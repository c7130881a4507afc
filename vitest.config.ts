// Test configuration: pure unit tests, and integration tests against the real local Postgres and Temporal.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    coverage: {
      provider: 'v8',
      reporter: ['json-summary'],
      include: ['domain/**/*.ts'],
      exclude: ['**/*.test.ts', 'domain/fixtures/**'],
      thresholds: { lines: 90 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          // Unit tests live beside the code they test (x.test.ts next to x.ts); eslint.config.test.ts beside eslint.config.mjs.
          include: [
            '*.test.ts',
            'domain/**/*.test.ts',
            'schema/**/*.test.ts',
            'infra/**/*.test.ts',
            'assets/**/*.test.ts',
            'activities/**/*.test.ts',
            'cli/**/*.test.ts',
            'generator/**/*.test.ts',
            'bench/**/*.test.ts',
            'web/**/*.test.ts',
          ],
          pool: 'forks',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          pool: 'forks',
          globalSetup: ['test/support/global-setup.ts'],
          // Workers started by tests serve metrics on a free port, never the developer's 9464 (and no Temporal SDK metrics).
          env: { DW_LOG_LEVEL: 'warn', DW_METRICS_PORT: '0' },
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
