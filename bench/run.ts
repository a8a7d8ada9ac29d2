/**
 * `npm run bench`: mailsink, MailDev 3 and a bare discarding smtp-server side by side, driven by the
 * same load generator (20 sessions), each scenario three times on a fresh process (median msg/s).
 * Checks nothing was lost (stored count == sent) and prints a table with ratios.
 *
 * Environment: BENCH_RUNS (default 3), BENCH_SCALE (default 1: multiplies message counts),
 * BENCH_SINKS (comma list of mailsink,maildev,bare), BENCH_ONLY=storage (only the storage section),
 * BENCH_SKIP_STORAGE=1 (everything but it).
 */
import os from 'node:os';
import { readLatency, webSocketCost } from './api.js';
import { generatorName, runLoad } from './load.js';
import type { LoadSpec } from './load.js';
import { SINKS } from './sinks.js';
import { storageSection } from './storage.js';
import type { RunningSink } from './sinks.js';

interface Scenario {
  name: string;
  bodyBytes: number;
  reuse: boolean;
  messages: number;
}

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SESSIONS = 20;
const SCENARIOS: Scenario[] = [
  { name: '4 KiB, reused connections', bodyBytes: 4096, reuse: true, messages: Math.round(4000 * SCALE) },
  { name: '4 KiB, new connection per message', bodyBytes: 4096, reuse: false, messages: Math.round(1000 * SCALE) },
  { name: '100 KiB, reused connections', bodyBytes: 100 * 1024, reuse: true, messages: Math.round(1000 * SCALE) },
  { name: '1 MiB, reused connections', bodyBytes: 1024 * 1024, reuse: true, messages: Math.round(200 * SCALE) },
];
const SINK_NAMES = (process.env.BENCH_SINKS ?? 'mailsink,maildev,bare').split(',') as (keyof typeof SINKS)[];

interface Result {
  msgPerSec: number;
  /** Messages per second until the last one was also parsed and listable (mailsink parses after the ack). */
  parsedPerSec: number;
  mbPerSec: number;
  peakRssBytes: number;
  lost: number;
}

async function measure(sinkName: keyof typeof SINKS, scenario: Scenario): Promise<Result> {
  const sink: RunningSink = await SINKS[sinkName](scenario.messages + 10);
  try {
    const spec: LoadSpec = { port: sink.smtpPort, sessions: SESSIONS, messages: scenario.messages, bodyBytes: scenario.bodyBytes, reuse: scenario.reuse };
    const started = performance.now();
    const ms = await runLoad(spec);
    await sink.settled();
    const settledMs = performance.now() - started;
    const stored = await sink.count();
    return {
      msgPerSec: (scenario.messages / ms) * 1000,
      parsedPerSec: (scenario.messages / Math.max(ms, settledMs)) * 1000,
      mbPerSec: (scenario.messages * scenario.bodyBytes) / (ms / 1000) / 1_000_000,
      peakRssBytes: sink.memory().peakRssBytes,
      lost: scenario.messages - stored,
    };
  } finally {
    await sink.stop();
  }
}

/** Messages stored for the RSS figure: enough that one-off growth (heaps, socket buffers) is spread thin. */
const RSS_MESSAGES = Math.round(20_000 * SCALE);

/** RSS growth per stored 4 KiB message, in bytes: {@link RSS_MESSAGES} messages into a fresh sink, after a settle. */
async function rssPerMessage(sinkName: keyof typeof SINKS): Promise<number> {
  const messages = RSS_MESSAGES;
  const sink = await SINKS[sinkName](messages + 10);
  try {
    await runLoad({ port: sink.smtpPort, sessions: 1, messages: 50, bodyBytes: 4096, reuse: true });
    const before = sink.memory().rssBytes;
    await runLoad({ port: sink.smtpPort, sessions: SESSIONS, messages, bodyBytes: 4096, reuse: true });
    await sink.settled();
    await new Promise((r) => setTimeout(r, 1000));
    return (sink.memory().rssBytes - before) / messages;
  } finally {
    await sink.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  console.log(`mailsink benchmark · ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · ${fmt(os.totalmem() / 2 ** 30)} GiB · Node ${process.version}`);
  console.log(`load: ${generatorName()}, ${SESSIONS} sessions, median of ${RUNS} runs, loopback\n`);
  if (process.env.BENCH_ONLY === 'storage') {
    if (!(await storageSection(SCALE, RUNS))) failLost();
    return;
  }
  const table: string[][] = [['scenario', 'sink', 'msg/s', 'parsed msg/s', 'MB/s', 'peak RSS MiB', 'lost', '× MailDev', '× bare']];
  let failed = false;
  for (const scenario of SCENARIOS) {
    const medians = new Map<string, Result>();
    for (const sinkName of SINK_NAMES) {
      const runs: Result[] = [];
      for (let run = 0; run < RUNS; run++) runs.push(await measure(sinkName, scenario));
      const result = { msgPerSec: median(runs.map((r) => r.msgPerSec)), parsedPerSec: median(runs.map((r) => r.parsedPerSec)), mbPerSec: median(runs.map((r) => r.mbPerSec)), peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)), lost: Math.max(...runs.map((r) => r.lost)) };
      if (result.lost !== 0) failed = true;
      medians.set(sinkName, result);
    }
    for (const [sinkName, r] of medians) {
      const vs = (other: string) => (medians.has(other) ? `${fmt(r.msgPerSec / medians.get(other)!.msgPerSec, 2)}` : '–');
      table.push([`${scenario.name} (${scenario.messages})`, sinkName, fmt(r.msgPerSec), fmt(r.parsedPerSec), fmt(r.mbPerSec, 1), fmt(r.peakRssBytes / 2 ** 20), String(r.lost), vs('maildev'), vs('bare')]);
    }
  }
  printTable(table);
  console.log('\nRSS growth per stored 4 KiB message:');
  for (const sinkName of SINK_NAMES.filter((s) => s !== 'bare')) console.log(`  ${sinkName}: ${fmt((await rssPerMessage(sinkName)) / 1024, 1)} KiB (${fmt(RSS_MESSAGES)} messages)`);
  if (SINK_NAMES.includes('mailsink')) {
    const stored = Math.round(100_000 * SCALE);
    console.log(`\nmailsink REST with ${fmt(stored)} stored 1 KiB messages (ms):`);
    const rows = [['read', 'p50', 'p95', 'max', 'runs']];
    for (const { name, latency } of await readLatency(stored)) rows.push([name, fmt(latency.p50, 1), fmt(latency.p95, 1), fmt(latency.max, 1), String(latency.runs)]);
    printTable(rows);
    const ws = await webSocketCost(Math.round(4000 * SCALE), 50, RUNS);
    console.log(`\nmailsink ingest with 50 WebSocket clients: ${fmt(ws.with)} msg/s vs ${fmt(ws.without)} without (× ${fmt(ws.with / ws.without, 2)}); each client got ${fmt(ws.eventsPerClient)} message.received events`);
  }
  if (process.env.BENCH_SKIP_STORAGE !== '1' && !(await storageSection(SCALE, RUNS))) failed = true;
  if (failed) failLost();
}

function failLost(): void {
  console.error('\nFAIL: a sink lost messages (stored count != sent)');
  process.exitCode = 1;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(`| ${row.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
