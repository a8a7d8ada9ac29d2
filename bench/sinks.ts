/**
 * Starts each benchmarked sink as its own process on loopback, with ways to count stored messages
 * and read its memory. Only mailsink and the bare sink take port 0; MailDev gets free ports found by
 * binding port 0 first (fine for a benchmark, not for tests).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A running sink under test. */
export interface RunningSink {
  name: string;
  smtpPort: number;
  /** Messages the sink reports as stored/received. */
  count(): Promise<number>;
  /**
   * Resolves once every stored message is fully processed and listable with its summary. MailDev
   * and the bare sink finish that before their `250`; mailsink parses after it, and its list
   * endpoint waits for the parse of the messages it returns (the newest last).
   */
  settled(): Promise<void>;
  /** mailsink's HTTP root (`http://127.0.0.1:<port>`); `null` for the others. */
  httpUrl: string | null;
  /** Current and peak resident set size of the sink process, in bytes (from /proc). */
  memory(): { rssBytes: number; peakRssBytes: number };
  stop(): Promise<void>;
}

/** The sinks compared, by name. */
export const SINKS = {
  mailsink: startMailsink,
  maildev: startMaildev,
  bare: startBare,
} as const;

async function startMailsink(maxMessages: number): Promise<RunningSink> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server/main.js'), '--smtp-port', '0', '--http-port', '0', '--max-messages', String(maxMessages), '--max-store-bytes', '8G'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await firstLine(child, /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox http:\/\/127\.0\.0\.1:(\d+)/);
  const httpPort = Number(line[2]);
  const sink = wrap('mailsink', child, Number(line[1]), async () => ((await getJson(httpPort, '/api/health')) as { messages: number }).messages);
  return { ...sink, httpUrl: `http://127.0.0.1:${httpPort}`, settled: async () => void (await getJson(httpPort, '/api/messages?limit=1')) };
}

async function startMaildev(maxMessages: number): Promise<RunningSink> {
  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const bin = path.join(ROOT, 'node_modules/maildev/dist/bin/maildev.js');
  const args = [bin, '--smtp', String(smtpPort), '--web', String(webPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--max-emails', String(maxMessages), '--silent'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForHttp(webPort, '/api/healthz');
  return wrap('maildev', child, smtpPort, async () => ((await getJson(webPort, '/api/email/summary?limit=1')) as { storeTotal: number }).storeTotal);
}

async function startBare(): Promise<RunningSink> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/bench/bare-sink.js')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await firstLine(child, /bare-sink smtp=(\d+) http=(\d+)/);
  const httpPort = Number(line[2]);
  return wrap('bare smtp-server', child, Number(line[1]), async () => ((await getJson(httpPort, '/')) as { count: number }).count);
}

function wrap(name: string, child: ChildProcess, smtpPort: number, count: () => Promise<number>): RunningSink {
  return {
    name,
    smtpPort,
    count,
    settled: async () => undefined,
    httpUrl: null,
    memory: () => procMemory(child.pid!),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** VmRSS and VmHWM of a process, in bytes. */
export function procMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`sink exited ${code} before it was ready: ${out}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function getJson(port: number, urlPath: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  if (!res.ok) throw new Error(`GET ${urlPath} → ${res.status}`);
  return res.json();
}

async function waitForHttp(port: number, urlPath: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await getJson(port, urlPath);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answered on port ${port} within 10 s`);
}
