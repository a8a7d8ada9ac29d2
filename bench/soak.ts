/**
 * `npm run soak` (not part of CI): runs the built mailsink for an hour at a steady rate with eviction
 * on (`--max-messages 5000`), prints its RSS every minute, and exits 1 if RSS trends up or a message
 * was lost.
 *
 * Load, all over loopback: `SOAK_RATE` messages per second (default 100) over `SOAK_SESSIONS`
 * (default 4) reused SMTP connections, every 25th message on a new connection instead; messages of
 * 4–7 KiB, in turn plain, HTML with an inline image, and with a 2 KiB attachment. Meanwhile one
 * WebSocket client reads `/api/events` and the REST API is read once a second (list of 50, the
 * newest message's detail, a search). Nothing is lost when every message got its `250`, the newest
 * stored `seq` equals the number sent, and the WebSocket client saw every `message.received`.
 *
 * The trend rule: RSS (`VmRSS` from /proc) is sampled every 5 s. Over the second half of the run
 * (the store is full by then: 5,000 messages take 50 s at the default rate, so eviction runs the
 * whole half) a least-squares line is fitted to RSS against time. The run fails if its slope is
 * above `SOAK_MAX_SLOPE_MIB_PER_MIN` (default 1 MiB/min, i.e. 30 MiB over the half of an hour:
 * a leak of ~175 bytes per message at 100 msg/s) AND the rise the line predicts over the half is
 * above 16 MiB, the usual swing of RSS between garbage collections. The second condition keeps
 * short runs (`SOAK_MINUTES=3`) from failing on noise; they still catch a gross leak. Runs under
 * 2 minutes end their first half before the store is full, so their trend includes the filling.
 *
 * Environment: SOAK_MINUTES (default 60), SOAK_RATE, SOAK_SESSIONS, SOAK_MAX_SLOPE_MIB_PER_MIN, and
 * SOAK_MAX_MESSAGES (default 5000) to check the rule itself: with a bound the run never reaches,
 * every message stays stored, RSS grows like a leak, and the run must FAIL.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { procMemory } from './sinks.js';
import { PacedSender } from './soak-load.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 60);
const RATE = Number(process.env.SOAK_RATE ?? 100);
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 4);
const MAX_SLOPE = Number(process.env.SOAK_MAX_SLOPE_MIB_PER_MIN ?? 1);
const NOISE_FLOOR_MIB = 16;
const MAX_MESSAGES = Number(process.env.SOAK_MAX_MESSAGES ?? 5000);
const SAMPLE_MS = 5_000;
const MiB = 2 ** 20;

interface Sample {
  minutes: number;
  rssMiB: number;
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server/main.js'), '--smtp-port', '0', '--http-port', '0', '--max-messages', String(MAX_MESSAGES)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const problems = logProblems(child);
  const stopChild = () => child.exitCode === null && child.kill('SIGTERM');
  process.once('SIGINT', () => (stopChild(), process.exit(130)));
  try {
    const [smtpPort, httpUrl] = await banner(child, problems);
    console.log(`soak: ${MINUTES} min at ${RATE} msg/s over ${SESSIONS} sessions, --max-messages ${MAX_MESSAGES}, sink pid ${child.pid}; RSS every minute, trend over the second half`);
    const events = countEvents(httpUrl);
    const sender = new PacedSender(smtpPort, RATE, SESSIONS);
    const samples: Sample[] = [];
    const started = performance.now();
    const elapsedMin = () => (performance.now() - started) / 60_000;
    const sampler = setInterval(() => samples.push({ minutes: elapsedMin(), rssMiB: procMemory(child.pid!).rssBytes / MiB }), SAMPLE_MS);
    const reader = setInterval(() => void readApi(httpUrl).catch((err: unknown) => sender.fail(`REST: ${String(err)}`)), 1_000);
    let minute = 0;
    const report = (label: string) => {
      const memory = procMemory(child.pid!);
      console.log(`${label}: ${sender.acknowledged.toLocaleString('en-US')} sent (${(sender.acknowledged / (elapsedMin() * 60)).toFixed(1)} msg/s), ${events.received.toLocaleString('en-US')} events, RSS ${(memory.rssBytes / MiB).toFixed(1)} MiB (peak ${(memory.peakRssBytes / MiB).toFixed(1)})`);
    };
    const reporter = setInterval(() => report(`minute ${String(++minute).padStart(3)}`), 60_000);
    await sender.run(MINUTES * 60_000);
    clearInterval(sampler);
    clearInterval(reader);
    clearInterval(reporter);
    await events.settled(sender.acknowledged); // the last messages' events may still be on their way
    report(`end ${elapsedMin().toFixed(1).padStart(6)}`);
    const newestSeq = ((await getJson(`${httpUrl}/api/messages?limit=1`)) as { messages: { seq: number }[] }).messages[0]?.seq ?? 0;
    events.close();
    console.log(`sink log: ${problems.count} warn/error lines${problems.first.length > 0 ? `, first: ${problems.first.join(' | ')}` : ''}`);
    process.exitCode = verdict(samples, sender, newestSeq, events.received) ? 0 : 1;
  } finally {
    stopChild();
  }
}

/** Prints the summary; returns whether the run passed. */
function verdict(samples: Sample[], sender: PacedSender, newestSeq: number, eventsReceived: number): boolean {
  const half = samples.filter((s) => s.minutes >= MINUTES / 2);
  const { slope } = fitLine(half);
  const spanMin = half.length > 1 ? half.at(-1)!.minutes - half[0]!.minutes : 0;
  const rise = slope * spanMin;
  const lost = sender.acknowledged - newestSeq;
  const trendsUp = slope > MAX_SLOPE && rise > NOISE_FLOOR_MIB;
  console.log(
    `\nsoak: ${sender.acknowledged.toLocaleString('en-US')} messages acknowledged, newest seq ${newestSeq.toLocaleString('en-US')} (lost ${lost}), ` +
      `${eventsReceived.toLocaleString('en-US')} message.received events, ${sender.failures.length} failures`,
  );
  console.log(
    `RSS: first ${samples[0]?.rssMiB.toFixed(1)} MiB, last ${samples.at(-1)?.rssMiB.toFixed(1)} MiB; second half (${half.length} samples over ${spanMin.toFixed(1)} min): ` +
      `slope ${slope.toFixed(2)} MiB/min, predicted rise ${rise.toFixed(1)} MiB (fails above ${MAX_SLOPE} MiB/min and ${NOISE_FLOOR_MIB} MiB)`,
  );
  for (const failure of sender.failures.slice(0, 5)) console.log(`  failure: ${failure}`);
  const ok = !trendsUp && lost === 0 && eventsReceived === sender.acknowledged && sender.failures.length === 0 && half.length >= 2;
  console.log(ok ? 'PASS' : `FAIL${trendsUp ? ': RSS trends up' : ''}${half.length < 2 ? ': too few samples (run at least 1 minute)' : ''}`);
  return ok;
}

/** Least-squares slope (MiB per minute) and intercept of RSS against time. */
function fitLine(samples: readonly Sample[]): { slope: number; intercept: number } {
  const n = samples.length;
  if (n < 2) return { slope: 0, intercept: samples[0]?.rssMiB ?? 0 };
  const meanX = samples.reduce((sum, s) => sum + s.minutes, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.rssMiB, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    sxy += (s.minutes - meanX) * (s.rssMiB - meanY);
    sxx += (s.minutes - meanX) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** Counts the sink's `warn`/`error` log lines (it logs one `info` line per stored message, which are dropped); keeps the start of its stderr. */
function logProblems(child: ReturnType<typeof spawn>) {
  const problems = { count: 0, first: [] as string[], head: '' };
  let partial = '';
  child.stderr!.on('data', (chunk) => {
    if (problems.head.length < 2000) problems.head += String(chunk); // shown if it exits at start
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!/ (warn|error) /.test(line)) continue;
      problems.count += 1;
      if (problems.first.length < 3) problems.first.push(line);
    }
  });
  return problems;
}

/** One read of each kind the inbox does. */
async function readApi(httpUrl: string): Promise<void> {
  const list = (await getJson(`${httpUrl}/api/messages?limit=50`)) as { messages: { id: string }[] };
  if (list.messages[0]) await getJson(`${httpUrl}/api/messages/${list.messages[0].id}`).catch(() => undefined); // may be evicted meanwhile
  await getJson(`${httpUrl}/api/messages?query=${encodeURIComponent('subject:"soak 1"')}&limit=10`);
}

/** A WebSocket client counting `message.received` events. */
function countEvents(httpUrl: string) {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/api/events`, 'mailsink.v1');
  const counter = { received: 0 };
  const wakers = new Set<() => void>();
  ws.on('message', (data) => {
    if ((JSON.parse(data.toString()) as { type: string }).type === 'message.received') counter.received += 1;
    for (const wake of wakers) wake();
  });
  ws.on('error', (err) => console.error(`soak: WebSocket error: ${err.message}`));
  return {
    get received() {
      return counter.received;
    },
    /** Resolves once `count` events arrived, or after 10 s. */
    settled(count: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(done, 10_000);
        function done() {
          clearTimeout(timer);
          wakers.delete(check);
          resolve();
        }
        function check() {
          if (counter.received >= count) done();
        }
        wakers.add(check);
        check();
      });
    },
    close: () => ws.close(),
  };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.json();
}

function banner(child: ReturnType<typeof spawn>, log: { head: string }): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match) resolve([Number(match[1]), match[2]!]);
    });
    child.once('exit', (code) => reject(new Error(`mailsink exited ${code} before its banner: ${out}${log.head}`)));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
