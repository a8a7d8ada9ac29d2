/**
 * The SQLite part of the storage benchmark (issue 13): the built CLI with `--storage sqlite:FILE`
 * against the memory engine, on a fresh file in a temporary directory each time.
 *
 * - ingest: 4 KiB messages over reused connections (20 sessions), median msg/s of `runs` fresh
 *   sinks per engine, and the ratio (target ≥ 50 %); `lost` counts messages acknowledged but not
 *   stored;
 * - RSS growth per stored 4 KiB message, both engines (as `run.ts` measures it);
 * - with 100,000 stored 1 KiB messages: the time from `spawn` to the first answered
 *   `GET /api/messages?limit=50` (restart), that request's p50/p95 over 200 runs, and the RSS then,
 *   next to the same on an empty file (the RSS that the stored count costs a restarted sink).
 *   The file is filled through the engine itself (`openSqliteStore`, 1,000 adds per group commit,
 *   the facts of one real parse of the message), which stores exactly what SMTP ingest would.
 *
 * `run.ts` calls {@link sqliteStorageBench} and prints {@link formatSqliteStorage}; run alone with
 * `node dist/bench/storage-sqlite.js` after `tsc -p tsconfig.bench.json`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EventBus } from '../server/core/events.js';
import { factsOf, parseMessage } from '../server/core/parse.js';
import { openSqliteStore } from '../server/storage/sqlite.js';
import { runLoad } from './load.js';
import { procMemory } from './sinks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Figures of one benchmark run (msg/s, ms, bytes). */
export interface SqliteStorageFigures {
  messages: number;
  ingest: { memory: number; sqlite: number; ratio: number; lost: number };
  rssPerMessage: { memory: number; sqlite: number; messages: number };
  stored: number;
  fillMs: number;
  restartMs: number;
  list: { p50: number; p95: number; runs: number };
  rssWithStoredBytes: number;
  /** The same measure on an empty file: the RSS a restarted sink owes to what is stored is the difference. */
  rssEmptyBytes: number;
}

interface CliSink {
  smtpPort: number;
  httpUrl: string;
  pid: number;
  stop(): Promise<void>;
}

async function startSink(storage: string, maxMessages: number): Promise<CliSink> {
  const args = [path.join(ROOT, 'dist/server/main.js'), '--smtp-port', '0', '--http-port', '0', '--max-messages', String(maxMessages), '--max-store-bytes', '8G', '--storage', storage];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`mailsink exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { smtpPort: Number(match[1]), httpUrl: match[2]!, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return (await res.json()) as T;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One ingest run on a fresh sink: msg/s and how many acknowledged messages are missing. */
async function ingestOnce(storage: string, messages: number): Promise<{ rate: number; lost: number }> {
  const sink = await startSink(storage, messages + 10);
  try {
    const ms = await runLoad({ port: sink.smtpPort, sessions: 20, messages, bodyBytes: 4096, reuse: true });
    await getJson(`${sink.httpUrl}/api/messages?limit=1`);
    const { messages: stored } = await getJson<{ messages: number }>(`${sink.httpUrl}/api/health`);
    return { rate: (messages / ms) * 1000, lost: messages - stored };
  } finally {
    await sink.stop();
  }
}

async function rssGrowth(storage: string, messages: number): Promise<number> {
  const sink = await startSink(storage, messages + 100);
  try {
    await runLoad({ port: sink.smtpPort, sessions: 1, messages: 50, bodyBytes: 4096, reuse: true });
    const before = procMemory(sink.pid).rssBytes;
    await runLoad({ port: sink.smtpPort, sessions: 20, messages, bodyBytes: 4096, reuse: true });
    await getJson(`${sink.httpUrl}/api/messages?limit=1`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return (procMemory(sink.pid).rssBytes - before) / messages;
  } finally {
    await sink.stop();
  }
}

/** Fills `file` with `count` 1 KiB messages through the engine; resolves with the ms it took. */
async function fill(file: string, count: number): Promise<number> {
  const raw = Buffer.from(`From: <bench@example.com>\r\nTo: <sink@example.org>\r\nSubject: bench\r\n\r\n${'X'.repeat(1022)}\r\n`);
  const facts = factsOf(await parseMessage(raw));
  const envelope = { mailFrom: 'bench@example.com', rcptTo: ['sink@example.org'], mailParams: {}, heloName: 'bench.example', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };
  const started = performance.now();
  const store = await openSqliteStore(file, { limits: { maxMessages: count + 10, maxStoreBytes: 2 ** 40 }, events: new EventBus() });
  for (let done = 0; done < count; done += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, count - done) }, () => store.add({ envelope, raw, facts })));
  }
  await store.close();
  return performance.now() - started;
}

/** Restart with `stored` messages, then list latency and RSS. */
async function withStored(file: string, stored: number): Promise<Pick<SqliteStorageFigures, 'restartMs' | 'list' | 'rssWithStoredBytes'>> {
  const started = performance.now();
  const sink = await startSink(`sqlite:${file}`, stored + 10);
  try {
    const url = `${sink.httpUrl}/api/messages?limit=50`;
    const first = await getJson<{ total: number }>(url);
    const restartMs = performance.now() - started;
    if (first.total !== stored) throw new Error(`expected ${stored} stored, the sink lists ${first.total}`);
    await getJson(`${sink.httpUrl}/api/messages?limit=50&offset=${Math.floor(stored / 2)}`);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await (await fetch(url)).arrayBuffer();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { restartMs, list: { p50: times[100]!, p95: times[190]!, runs: 200 }, rssWithStoredBytes: procMemory(sink.pid).rssBytes };
  } finally {
    await sink.stop();
  }
}

/**
 * Runs the SQLite storage benchmark. `scale` multiplies the message counts (4,000 ingested,
 * 20,000 for RSS, 100,000 stored), `runs` is the number of fresh sinks per engine for ingest.
 */
export async function sqliteStorageBench({ scale = 1, runs = 3 } = {}): Promise<SqliteStorageFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-bench-sqlite-'));
  let n = 0;
  const freshFile = () => `sqlite:${path.join(dir, `ingest-${++n}.db`)}`;
  try {
    const messages = Math.round(4000 * scale);
    const memory: number[] = [];
    const sqlite: number[] = [];
    let lost = 0;
    for (let run = 0; run < runs; run++) {
      memory.push((await ingestOnce('memory', messages)).rate);
      const result = await ingestOnce(freshFile(), messages);
      sqlite.push(result.rate);
      lost = Math.max(lost, result.lost);
    }
    const rssMessages = Math.round(20_000 * scale);
    const rssPerMessage = { memory: await rssGrowth('memory', rssMessages), sqlite: await rssGrowth(freshFile(), rssMessages), messages: rssMessages };
    const stored = Math.round(100_000 * scale);
    const file = path.join(dir, 'stored.db');
    const fillMs = await fill(file, stored);
    const ingest = { memory: median(memory), sqlite: median(sqlite), ratio: median(sqlite) / median(memory), lost };
    const empty = path.join(dir, 'empty.db');
    await fill(empty, 0);
    const rssEmptyBytes = (await withStored(empty, 0)).rssWithStoredBytes;
    return { messages, ingest, rssPerMessage, stored, fillMs, ...(await withStored(file, stored)), rssEmptyBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The figures as report lines. */
export function formatSqliteStorage(f: SqliteStorageFigures): string[] {
  return [
    `SQLite (--storage sqlite:FILE) vs memory, 4 KiB reused connections, ${fmt(f.messages)} messages, 20 sessions:`,
    `  ingest: sqlite ${fmt(f.ingest.sqlite)} msg/s vs memory ${fmt(f.ingest.memory)} msg/s (× ${fmt(f.ingest.ratio, 2)}, target ≥ 0.50), lost ${f.ingest.lost}`,
    `  RSS growth per stored 4 KiB message (${fmt(f.rssPerMessage.messages)}): sqlite ${fmt(f.rssPerMessage.sqlite / 1024, 2)} KiB, memory ${fmt(f.rssPerMessage.memory / 1024, 2)} KiB`,
    `  ${fmt(f.stored)} stored 1 KiB messages (filled through the engine in ${fmt(f.fillMs / 1000, 1)} s):`,
    `    restart to serving (spawn → first GET /api/messages?limit=50 answered): ${fmt(f.restartMs)} ms`,
    `    GET /api/messages?limit=50: p50 ${fmt(f.list.p50, 1)} ms, p95 ${fmt(f.list.p95, 1)} ms (${f.list.runs} runs, target p50 < 20 ms)`,
    `    RSS after those reads: ${fmt(f.rssWithStoredBytes / 2 ** 20)} MiB; the same on an empty file: ${fmt(f.rssEmptyBytes / 2 ** 20)} MiB`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await sqliteStorageBench({ scale: Number(process.env.BENCH_SCALE ?? 1), runs: Number(process.env.BENCH_RUNS ?? 3) });
  for (const line of formatSqliteStorage(figures)) console.log(line);
  if (figures.ingest.lost !== 0) process.exitCode = 1;
}
