/**
 * The `mailsink` command as a user runs it: the built `dist/server/main.js` in a child process
 * (`npm test` builds first; locally `npx tsc -p tsconfig.build.json`). Ports are always 0, the
 * banner tells which ones the OS picked. Every started process is stopped by the caller.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './cases.js';

/** The built entry point. */
export const MAIN = path.join(repoRoot, 'dist/server/main.js');

function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
}

/** How a finished `mailsink` run ended. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs mailsink to completion (for runs expected to exit, e.g. on a bad option); kills it after `timeoutMs`. */
export function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 10_000): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mailsink ${args.join(' ')} still running after ${timeoutMs} ms; stdout: ${stdout}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A running `mailsink` child process. */
export interface CliSink {
  /** Process id of the sink (for `/proc/<pid>/status`). */
  pid: number;
  smtpPort: number;
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  httpUrl: string;
  /** Everything written to stderr so far (the log). */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. Idempotent. */
  stop(): Promise<number | null>;
}

/**
 * Starts mailsink on ports 0 with `args` and resolves once its banner is printed.
 * @throws Error with its stderr when it exits before the banner, or prints none within `timeoutMs` (it is then killed).
 */
export function startCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<CliSink> {
  assertBuilt();
  const child = spawn(process.execPath, [MAIN, '--smtp-port', '0', '--http-port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stopping: Promise<number | null> | null = null;
  const stop = () => {
    stopping ??= child.exitCode !== null || child.signalCode !== null ? exited : (child.kill('SIGTERM'), exited);
    return stopping;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no banner from mailsink within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({ pid: child.pid!, smtpPort: Number(match[1]), httpUrl: match[2]!, stderr: () => stderr, stop });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mailsink exited ${code} before its banner: ${stderr}`));
    });
  });
}
