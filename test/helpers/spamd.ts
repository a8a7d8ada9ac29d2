/**
 * A real SpamAssassin spamd (Debian's `spamd` package) for a test file, offline: local tests only
 * (`-L`), no user preferences (`-x`), no Bayes, the rules shipped with the package. spamd cannot
 * listen on port 0, so a free port is found by binding port 0 and closing it, and a start that
 * fails with "Address already in use" is retried on another one. As root it runs as `nobody`.
 * Ready when it has logged its child process and answers `PING` with `PONG` (no timers decide).
 * `close()` in `afterAll`; a `process.on('exit')` guard and a detached watchdog stop it if the
 * test process dies first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { startTestSink } from './sink.js';

export const SPAMD_PATH = '/usr/sbin/spamd';
const ATTEMPTS = 5;
const WATCHDOG = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill "$2" 2>/dev/null';

/** A running spamd. */
export interface TestSpamd {
  readonly host: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, as `--spamassassin` takes it. */
  readonly address: string;
  /** Stops spamd (SIGTERM; it stops its children) and waits for it. Idempotent. */
  close(): Promise<void>;
}

export { freePort } from './free-port.js';
import { freePort } from './free-port.js';

/**
 * Starts spamd on a free loopback port.
 * @throws Error naming `node scripts/check-test-deps.js` when spamd is not installed, or with spamd's log when it cannot start.
 */
export async function startSpamd(): Promise<TestSpamd> {
  if (!existsSync(SPAMD_PATH)) throw new Error(`spamd is not installed (${SPAMD_PATH}): run \`node scripts/check-test-deps.js\` (Debian: apt-get install spamd)`);
  let log = '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await freePort();
    const started = await launch(port);
    if ('spamd' in started) return started.spamd;
    log = started.log;
    if (!/Address already in use/i.test(log)) break;
  }
  throw new Error(`spamd did not start:\n${log.split('\n').slice(-15).join('\n')}`);
}

async function launch(port: number): Promise<{ spamd: TestSpamd } | { log: string }> {
  const home = mkdtempSync(path.join(tmpdir(), 'mailsink-spamd-'));
  const args = [`--listen=127.0.0.1:${port}`, '-L', '-x', '--min-children=1', '--max-children=2', '--syslog=stderr', `--helper-home-dir=${home}`, '--cf=use_bayes 0', '--cf=bayes_auto_learn 0'];
  if (userInfo().uid === 0) args.push('--username=nobody');
  const child = spawn(SPAMD_PATH, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'mailsink-spamd-watchdog', String(process.pid), String(child.pid)], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  const guard = () => child.kill('SIGTERM');
  process.on('exit', guard);
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<boolean>((resolve) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (/successfully spawned child process/.test(log)) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  const stop = async () => {
    process.off('exit', guard);
    child.kill('SIGTERM');
    await exited;
    watchdog.kill();
    rmSync(home, { recursive: true, force: true });
  };
  if (!ready || !(await pong(port))) {
    await stop();
    return { log };
  }
  let closing: Promise<void> | null = null;
  return { spamd: { host: '127.0.0.1', port, address: `127.0.0.1:${port}`, close: () => (closing ??= stop()) } };
}

/** Sends `PING SPAMC/1.5` and reads the answer: `true` for `SPAMD/1.5 0 PONG`. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('PING SPAMC/1.5\r\n\r\n'));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(/^SPAMD\/[\d.]+ 0 PONG\r\n/.test(answer)));
  });
}


/**
 * For a `describe` block: starts a spamd and a sink using it (`--spamassassin`) in `beforeAll`, stops
 * both in `afterAll`. Each test awaits the returned function's promise, so without spamd every test
 * fails with the reason (none is skipped).
 */
export function useSpamdSink(): () => Promise<{ spamd: TestSpamd; sink: Sink }> {
  let started: Promise<{ spamd: TestSpamd; sink: Sink }>;
  beforeAll(() => {
    started = startSpamd().then(async (spamd) => ({ spamd, sink: await startTestSink({ spamassassin: spamd.address }) }));
    started.catch(() => undefined);
  });
  afterAll(async () => {
    const running = await started.catch(() => null);
    await running?.sink.stop();
    await running?.spamd.close();
  });
  return () => started;
}
