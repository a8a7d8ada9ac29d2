/**
 * The read side under load, for mailsink only: REST latency with many stored messages (list,
 * header search, wait, a bare word that has to read every body), and what WebSocket clients cost
 * ingest. Called by `run.ts` after the ingest table.
 */
import WebSocket from 'ws';
import { runLoad } from './load.js';
import { SINKS } from './sinks.js';

/** Latency figures in ms. */
export interface Latency {
  p50: number;
  p95: number;
  max: number;
  runs: number;
}

async function timed(url: string, runs: number): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} → ${res.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: times.at(-1)!, runs };
}

/**
 * Stores `count` 1 KiB messages (smtp-source, 20 sessions), waits until all are parsed, then times
 * the REST reads. Returns one row per read.
 */
export async function readLatency(count: number): Promise<{ name: string; latency: Latency }[]> {
  const sink = await SINKS.mailsink(count + 10);
  try {
    await runLoad({ port: sink.smtpPort, sessions: 20, messages: count, bodyBytes: 1024, reuse: true });
    await sink.settled();
    const base = sink.httpUrl!;
    const { cursor } = (await (await fetch(`${base}/api/messages/cursor`)).json()) as { cursor: number };
    const rows: { name: string; latency: Latency }[] = [];
    rows.push({ name: 'GET /api/messages?limit=50', latency: await timed(`${base}/api/messages?limit=50`, 200) });
    rows.push({ name: `GET /api/messages?limit=50&offset=${Math.floor(count / 2)}`, latency: await timed(`${base}/api/messages?limit=50&offset=${Math.floor(count / 2)}`, 50) });
    rows.push({ name: 'GET /api/messages/latest', latency: await timed(`${base}/api/messages/latest`, 50) });
    rows.push({ name: 'search rcpt:sink@example.org (all match)', latency: await timed(`${base}/api/messages?limit=50&query=rcpt:sink@example.org`, 20) });
    rows.push({ name: 'search subject:nothing-like-this (none match)', latency: await timed(`${base}/api/messages?limit=50&query=subject:nothing-like-this`, 20) });
    rows.push({ name: 'wait for the newest (after = cursor - 1)', latency: await timed(`${base}/api/messages/wait?after=${cursor - 1}`, 50) });
    rows.push({ name: 'GET /api/mailboxes', latency: await timed(`${base}/api/mailboxes`, 20) });
    rows.push({ name: 'bare word in no message (reads every body)', latency: await timed(`${base}/api/messages?limit=50&query=nothing-like-this`, 1) });
    return rows;
  } finally {
    await sink.stop();
  }
}

/**
 * Ingest (4 KiB, reused connections) with `clients` WebSocket clients reading `/api/events`,
 * against none; medians of `runs` fresh sinks each. Returns msg/s for both and the events seen.
 */
export async function webSocketCost(messages: number, clients: number, runs: number): Promise<{ without: number; with: number; eventsPerClient: number }> {
  const rate = async (attach: number) => {
    const results: { rate: number; events: number }[] = [];
    for (let run = 0; run < runs; run++) {
      const sink = await SINKS.mailsink(messages + 10);
      const sockets: WebSocket[] = [];
      const counts: number[] = [];
      try {
        for (let i = 0; i < attach; i++) {
          const ws = new WebSocket(`${sink.httpUrl!.replace(/^http/, 'ws')}/api/events`, 'mailsink.v1');
          const index = counts.push(0) - 1;
          ws.on('message', (data) => {
            if (String(data).includes('"message.received"')) counts[index]! += 1;
          });
          await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
          sockets.push(ws);
        }
        const ms = await runLoad({ port: sink.smtpPort, sessions: 20, messages, bodyBytes: 4096, reuse: true });
        await sink.settled();
        await new Promise((resolve) => setTimeout(resolve, 200));
        results.push({ rate: (messages / ms) * 1000, events: attach === 0 ? 0 : Math.min(...counts) });
      } finally {
        for (const ws of sockets) ws.terminate();
        await sink.stop();
      }
    }
    results.sort((a, b) => a.rate - b.rate);
    return results[Math.floor(results.length / 2)]!;
  };
  const without = await rate(0);
  const withClients = await rate(clients);
  return { without: without.rate, with: withClients.rate, eventsPerClient: withClients.events };
}
