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
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
  },
});
