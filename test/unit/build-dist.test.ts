/**
 * The suite's globalSetup (test/setup/build-dist.ts) rebuilds exactly when the built output is
 * missing or older than a source, judged on a scratch tree with set modification times.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverStaleness, uiStaleness } from '../setup/build-dist.js';

describe('build-dist staleness', () => {
  let root = '';
  /** Writes `file` under the scratch root with modification time `at` (seconds). */
  const write = (file: string, at: number) => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, '');
    utimesSync(full, at, at);
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'mailsink-build-'));
    write('tsconfig.json', 100);
    write('tsconfig.build.json', 100);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('server: fresh when every .ts has a newer .js; stale when one is missing or older, or a tsconfig changed', () => {
    write('server/main.ts', 200);
    write('server/core/parse-worker.ts', 200);
    write('server/types.d.ts', 900); // declarations compile to nothing
    write('dist/server/main.js', 300);
    expect(serverStaleness(root)).toBe('dist/server/core/parse-worker.js is missing');
    write('dist/server/core/parse-worker.js', 300);
    expect(serverStaleness(root)).toBeNull();
    write('server/core/parse-worker.ts', 400);
    expect(serverStaleness(root)).toBe('server/core/parse-worker.ts is newer than its build');
    write('dist/server/core/parse-worker.js', 500);
    write('tsconfig.build.json', 600);
    expect(serverStaleness(root)).toBe('tsconfig.json or tsconfig.build.json is newer than dist/server');
  });

  it('ui: stale without ui/dist/index.html or with a newer file under ui/ (ui/dist and node_modules aside)', () => {
    write('ui/src/App.tsx', 200);
    expect(uiStaleness(root)).toBe('ui/dist/index.html is missing');
    write('ui/dist/index.html', 300);
    write('ui/dist/assets/index.js', 900);
    write('ui/node_modules/x/index.js', 900);
    expect(uiStaleness(root)).toBeNull();
    write('ui/src/App.tsx', 400);
    expect(uiStaleness(root)).toBe(`ui/${path.join('src', 'App.tsx')} is newer than ui/dist`);
  });
});
