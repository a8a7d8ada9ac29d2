/**
 * The README's test recipes are copies of files that run in this suite: every code block marked
 * `<!-- copied from: FILE -->` must appear in FILE line for line, in order (the block's first line,
 * a `// file-name` comment, and blank lines aside).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/<!-- copied from: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map(([, file, code]) => ({ file: file!, code: code! }));

describe('README recipes', () => {
  it('has the vitest, jest and Playwright recipes', () => {
    expect(BLOCKS.map((b) => b.file)).toEqual([
      'test/recipes/vitest-global-setup.ts',
      'test/integration/testing-api-recipe-vitest.test.ts',
      'test/recipes/jest-global-setup.ts',
      'test/recipes/jest-global-teardown.ts',
      'test/integration/testing-api-recipe-jest.test.ts',
      'test/recipes/playwright-fixtures.ts',
    ]);
  });

  it.each(BLOCKS.map((b) => [b.file, b.code] as const))('the block copied from %s matches it', (file, code) => {
    const source = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    const lines = code.split('\n').slice(1).filter((line) => line.trim() !== '');
    let at = 0;
    for (const line of lines) {
      const found = source.indexOf(line, at);
      expect(found, `README line not in ${file} (in order): ${line}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});
