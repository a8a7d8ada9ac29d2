import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.js';

/**
 * `npm run test:corpus`: the real-mail corpus round trip (test/corpus), kept out of `npm test`
 * because its data is third-party and lives outside the repository (`MAILSINK_CORPUS`).
 */
export default defineConfig({
  test: {
    name: 'corpus',
    include: ['test/corpus/**/*.test.ts'],
    // Safety nets, not budgets (a loaded 2-core machine took 30 s for parses that take 3 s idle).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
  },
});
