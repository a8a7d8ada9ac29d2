/**
 * What a fresh clone and a packed install rely on (issue 11): the scripts `npm test` and
 * `npm run test:corpus` run first, and the file list `npm pack` produces. `npm run test:pack`
 * (.ci/run) goes further: it installs the tarball into an empty folder and uses it there.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Runs `node scripts/<name>` in the repository; resolves with its exit code and output either way. */
async function script(name: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join('scripts', name)], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('test inputs live in the repository', () => {
  it('test/fixtures/cases holds every case .eml (01–27, three with a B variant)', () => {
    const emls = readdirSync(path.join(ROOT, 'test', 'fixtures', 'cases')).filter((name) => name.endsWith('.eml'));
    expect(emls.length).toBe(20);
    expect(emls.map((name) => name.slice(0, 2))).toEqual(['01', '03', '04', '06', '09', '09', '10', '12', '13', '15', '19', '21', '22', '23', '24', '24', '25', '26', '27', '27']);
  });
});

describe('scripts/check-corpus.js (npm run test:corpus runs it first)', () => {
  it('a missing MAILSINK_CORPUS directory stops with exit 1 and one line naming it', async () => {
    const missing = path.join(ROOT, 'no-such-corpus');
    const result = await script('check-corpus.js', { MAILSINK_CORPUS: 'no-such-corpus' });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `test:corpus: no real-mail corpus at ${missing} (no index.tsv); set MAILSINK_CORPUS to its directory (default ../shared/corpus beside the repository)\n`,
    });
  });
});

describe('scripts/check-test-deps.js (npm test runs it first)', () => {
  it('passes silently when Chromium, swaks, Net::SSLeay, python3 and curl are all here', async () => {
    expect(await script('check-test-deps.js', { CHROMIUM_PATH: '/usr/bin/chromium' })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a CHROMIUM_PATH that does not exist stops with exit 1 and one line (nothing is installed for it)', async () => {
    const result = await script('check-test-deps.js', { CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'test: missing Chromium at CHROMIUM_PATH=/nonexistent/chromium; install them first (Debian/Ubuntu: apt-get install chromium)\n',
    });
  });
});

describe('npm pack', () => {
  it('packs the built server with its types, the built inbox, LICENSE and README; no sources, tests or maps', async () => {
    // --ignore-scripts: `npm test` built dist/ and ui/dist/ already (prepare would build again).
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, timeout: 60_000 });
    const [info] = JSON.parse(stdout) as [{ name: string; version: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    expect([info.name, info.version]).toEqual(['mailsink', '0.1.0']);
    for (const file of ['LICENSE', 'README.md', 'package.json', 'ui/dist/index.html', 'dist/server/main.js', 'dist/server/index.js', 'dist/server/index.d.ts', 'dist/server/client.js', 'dist/server/client.d.ts', 'dist/server/core/parse-worker.js']) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => /^(test|server|bench|scripts|docs|ui\/src)\/|\.map$|(?<!\.d)\.tsx?$/.test(f))).toEqual([]);
    expect(files.filter((f) => !/^(dist\/server|ui\/dist)\//.test(f)).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
  });
});
