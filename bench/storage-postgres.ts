/**
 * The PostgreSQL part of the bench's storage section: two mailsink processes on one embedded
 * PostgreSQL (the test harness's, with the server's durable defaults: fsync on) take SMTP at once,
 * 4 KiB messages over reused connections; then one instance is restarted with everything stored.
 *
 * Run alone: `npm run build && tsc -p tsconfig.bench.json && node dist/bench/storage-postgres.js`
 * (BENCH_SCALE multiplies the message count, BENCH_PG_SESSIONS sets the sessions per instance,
 * BENCH_PG_FSYNC=off turns the server's fsync off for comparison).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../test/helpers/postgres.js';
import { runLoad } from './load.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What {@link benchPostgres} measured. */
export interface PostgresBenchResult {
  /** Messages sent, half to each instance. */
  messages: number;
  /** SMTP sessions per instance. */
  sessionsPerInstance: number;
  /** Messages acknowledged per second over both instances (first connection to last `250`). */
  msgPerSec: number;
  /** Messages sent minus those each instance lists afterwards (the larger shortfall of the two). */
  lost: number;
  /** The same load (all messages, both instances' sessions) on one memory-engine instance, msg/s: the baseline of this run. */
  memoryMsgPerSec: number;
  /**
   * CPU time per message, in ms (user + system, from /proc): both mailsink instances together, the
   * PostgreSQL server (postmaster and its backends), and the memory-engine instance. On a shared
   * machine this says more than msg/s, which follows the CPU share the run gets.
   */
  cpuMsPerMessage: { mailsink: number; postgres: number; memory: number };
  /** Messages stored per write transaction, on average (rows per distinct `xmin` of `mailsink.messages`): how well writes are grouped. */
  messagesPerTransaction: number;
  /** Time from spawning a restarted instance to its banner (listening, store open), in ms. */
  restartMs: number;
  /** Messages stored when it restarted. */
  restartStored: number;
}

interface Node {
  child: ChildProcess;
  smtpPort: number;
  httpPort: number;
  stop(): Promise<void>;
}

/** Starts `dist/server/main.js` with `--storage url`; resolves once its banner is out, with the ms that took. */
async function startNode(url: string, maxMessages: number): Promise<{ node: Node; startMs: number }> {
  const started = performance.now();
  const args = [path.join(ROOT, 'dist/server/main.js'), '--smtp-port', '0', '--http-port', '0', '--storage', url, '--max-messages', String(maxMessages), '--max-store-bytes', '8G'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const found = /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`mailsink exited ${code} before its banner: ${err.slice(-500)}`)));
  });
  const startMs = performance.now() - started;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { node: { child, smtpPort: Number(match[1]), httpPort: Number(match[2]), stop }, startMs };
}

/** CPU ms of a process: user + system, plus those of its reaped children when `children` (clock ticks of 10 ms). */
function cpuOf(pid: number, children = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks * 10;
  } catch {
    return 0; // gone
  }
}

/** CPU ms of a PostgreSQL server so far: the postmaster (with reaped backends) and its live children. */
function postgresCpu(dataDir: string): number {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuOf(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === postmaster) total += cpuOf(Number(entry));
    } catch { /* gone */ }
  }
  return total;
}

/** Rows of `mailsink.messages` per inserting transaction (the engine's table; every row's `xmin` names its transaction). */
async function messagesPerTransaction(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ratio: number }>('SELECT count(*)::float8 / greatest(count(DISTINCT xmin::text), 1) AS ratio FROM mailsink.messages');
    return rows[0]!.ratio;
  } finally {
    await client.end();
  }
}

/** How many of `expected` messages `node` holds: all once its wait for them answers, else its health count (after up to 120 s). */
async function listed(node: Node, expected: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}/api/messages/wait?after=0&count=${expected}&timeoutMs=120000`);
  const body = (await res.json()) as { count?: number };
  if (res.status === 200) return body.count ?? 0;
  const health = (await (await fetch(`http://127.0.0.1:${node.httpPort}/api/health`)).json()) as { messages: number };
  return health.messages;
}

/** msg/s and CPU ms per message of one memory-engine instance taking `messages` 4 KiB messages over `sessions` reused connections. */
async function memoryBaseline(messages: number, sessions: number): Promise<{ msgPerSec: number; cpuMsPerMessage: number }> {
  const { node } = await startNode('memory', messages * 2);
  try {
    const cpu = cpuOf(node.child.pid!);
    const ms = await runLoad({ port: node.smtpPort, sessions, messages, bodyBytes: 4096, reuse: true });
    await listed(node, messages);
    return { msgPerSec: (messages / ms) * 1000, cpuMsPerMessage: (cpuOf(node.child.pid!) - cpu) / messages };
  } finally {
    await node.stop();
  }
}

/**
 * Two instances on one database taking SMTP at once, then a restart with everything stored.
 * @param options.messages total messages (default 10,000), half to each instance.
 * @param options.sessions SMTP sessions per instance (default 10).
 */
export async function benchPostgres(options: { messages?: number; sessions?: number } = {}): Promise<PostgresBenchResult> {
  const messages = options.messages ?? 10_000;
  const sessions = options.sessions ?? 10;
  const postgres = await startPostgres({ settings: { fsync: process.env.BENCH_PG_FSYNC ?? 'on' } });
  const nodes: Node[] = [];
  try {
    const url = postgres.url();
    nodes.push((await startNode(url, messages * 2)).node);
    nodes.push((await startNode(url, messages * 2)).node);
    const half = Math.floor(messages / 2);
    const counts = [half, messages - half];
    const nodesCpu = () => nodes.reduce((sum, node) => sum + cpuOf(node.child.pid!), 0);
    const cpuBefore = { mailsink: nodesCpu(), postgres: postgresCpu(postgres.dataDir!) };
    const started = performance.now();
    await Promise.all(nodes.map((node, i) => runLoad({ port: node.smtpPort, sessions, messages: counts[i]!, bodyBytes: 4096, reuse: true })));
    const ms = performance.now() - started;
    const seen = await Promise.all(nodes.map((node) => listed(node, messages)));
    const lost = messages - Math.min(...seen);
    const cpu = { mailsink: (nodesCpu() - cpuBefore.mailsink) / messages, postgres: (postgresCpu(postgres.dataDir!) - cpuBefore.postgres) / messages };
    const perTransaction = await messagesPerTransaction(url);

    await nodes[0]!.stop();
    const restarted = await startNode(url, messages * 2);
    nodes[0] = restarted.node;
    const restartStored = await listed(restarted.node, messages);
    const memory = await memoryBaseline(messages, sessions * 2);
    return {
      messages, sessionsPerInstance: sessions, msgPerSec: (messages / ms) * 1000, lost, memoryMsgPerSec: memory.msgPerSec,
      cpuMsPerMessage: { ...cpu, memory: memory.cpuMsPerMessage }, messagesPerTransaction: perTransaction, restartMs: restarted.startMs, restartStored,
    };
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await postgres.close();
  }
}

/** Prints the figures when run directly. */
async function main(): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const r = await benchPostgres({ messages: Math.round(10_000 * scale), sessions: Number(process.env.BENCH_PG_SESSIONS ?? 10) });
  console.log(`PostgreSQL, 2 instances, 4 KiB reused, ${r.messages} messages (${r.sessionsPerInstance} sessions each): ${Math.round(r.msgPerSec)} msg/s total, lost ${r.lost}; memory engine, 1 instance, same load: ${Math.round(r.memoryMsgPerSec)} msg/s (× ${(r.msgPerSec / r.memoryMsgPerSec).toFixed(2)})`);
  const c = r.cpuMsPerMessage;
  console.log(`CPU per message: mailsink ${c.mailsink.toFixed(2)} ms (both instances) + PostgreSQL ${c.postgres.toFixed(2)} ms; memory engine ${c.memory.toFixed(2)} ms; ${r.messagesPerTransaction.toFixed(1)} messages per write transaction`);
  console.log(`restart with ${r.restartStored} stored: serving after ${Math.round(r.restartMs)} ms`);
  if (r.lost !== 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
