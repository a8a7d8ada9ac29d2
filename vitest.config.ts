import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.js';

/** The README's vitest recipe runs for real in its own project, with its globalSetup. */
const VITEST_RECIPE = 'test/integration/testing-api-recipe-vitest.test.ts';
/** The real-mail corpus round trip runs only with `npm run test:corpus` (vitest.corpus.config.ts). */
const CORPUS = 'test/corpus/**';
/** Builds `dist/` and `ui/dist` first when missing or older than their sources (see the file). */
const BUILD = 'test/setup/build-dist.ts';

export default defineConfig({
  // Tests and recipes import the package by name (`mailsink`, `mailsink/client`), as users do.
  resolve: {
    alias: [
      { find: /^mailsink\/client$/, replacement: fileURLToPath(new URL('./server/client.ts', import.meta.url)) },
      { find: /^mailsink$/, replacement: fileURLToPath(new URL('./server/index.ts', import.meta.url)) },
    ],
  },
  test: {
    // Safety nets, not budgets: a test that hangs still fails, and a 2-core machine shared with other
    // jobs (load 20+) took 30 s for the corpus round trip's parses that take 3 s idle.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for a state (a DOM row, a socket gone); 1 s (the default) is too short on a busy machine.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'mailsink', include: ['test/**/*.test.ts'], exclude: [VITEST_RECIPE, CORPUS], globalSetup: [BUILD] } },
      { extends: true, test: { name: 'vitest-recipe', include: [VITEST_RECIPE], globalSetup: [BUILD, 'test/recipes/vitest-global-setup.ts'] } },
    ],
  },
});
