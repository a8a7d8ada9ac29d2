/**
 * Vitest globalSetup: makes the built output the tests use match the sources, so no test depends on
 * a build having run before it (or on the order tests run in). Several tests use what a user runs:
 * the CLI (`dist/server/main.js` in a child process), the package's export map (`dist/server/*.js`),
 * the parse pool's worker thread (`dist/server/core/parse-worker.js`, also loaded by in-process
 * sinks started from the `.ts` sources) and the inbox page (`ui/dist`).
 *
 * Before any test file runs it compiles the server (`tsc -p tsconfig.build.json`) when a file under
 * `server/` has no compiled `.js` or is newer than it, and builds the inbox page (`vite build`) when
 * `ui/dist/index.html` is missing or older than a file under `ui/`. After `npm run build` (which
 * `npm test` runs first) both are fresh and it does nothing. A failed build fails the run with the
 * build's own output.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Modification time in ms, or `null` when the file does not exist. */
function mtime(file: string): number | null {
  return existsSync(file) ? statSync(file).mtimeMs : null;
}

/** Files under `dir` (relative to it), skipping `skip` directory names. */
function filesUnder(dir: string, skip: readonly string[] = []): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).some((part) => skip.includes(part)));
}

/** Why the compiled server is stale (first reason found), or `null` when every source has a newer `.js`. */
export function serverStaleness(root = ROOT): string | null {
  const config = Math.max(mtime(path.join(root, 'tsconfig.json')) ?? 0, mtime(path.join(root, 'tsconfig.build.json')) ?? 0);
  for (const file of filesUnder(path.join(root, 'server')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const source = mtime(path.join(root, 'server', file))!;
    const built = mtime(path.join(root, 'dist/server', file.replace(/\.ts$/, '.js')));
    if (built === null) return `dist/server/${file.replace(/\.ts$/, '.js')} is missing`;
    if (built < source) return `server/${file} is newer than its build`;
    if (built < config) return `tsconfig.json or tsconfig.build.json is newer than dist/server`;
  }
  return null;
}

/** Why the built inbox page is stale, or `null` when `ui/dist/index.html` is newer than every file under `ui/`. */
export function uiStaleness(root = ROOT): string | null {
  const built = mtime(path.join(root, 'ui/dist/index.html'));
  if (built === null) return 'ui/dist/index.html is missing';
  const newer = filesUnder(path.join(root, 'ui'), ['dist', 'node_modules']).find((file) => mtime(path.join(root, 'ui', file))! > built);
  return newer ? `ui/${newer} is newer than ui/dist` : null;
}

async function build(what: string, reason: string, script: string): Promise<void> {
  console.log(`[build-dist] ${reason}: npm run ${script}`);
  try {
    await run('npm', ['run', script, '--silent'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`building ${what} for the tests failed (npm run ${script}):\n${stdout}${stderr}`);
  }
}

export default async function setup(): Promise<void> {
  const server = serverStaleness();
  if (server) await build('the server', server, 'build:server');
  const ui = uiStaleness();
  if (ui) await build('the inbox page', ui, 'build:ui');
}
