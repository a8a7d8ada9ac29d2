/**
 * The relay queue survives a restart with a persistent store (`--storage sqlite:FILE`, a PostgreSQL
 * URL): a message released to an upstream that is down is `retrying` when the sink stops; a new
 * sink on the same store resumes it, and once the upstream comes up on that port the message is
 * delivered byte-exact, with the attempts of both runs in one record. Waits are on
 * `message.delivery` events, never on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import { deliveryWhen, queuedId, rawOf } from '../helpers/relay.js';
import { startPostgres } from '../helpers/postgres.js';
import type { TestPostgres } from '../helpers/postgres.js';
import { startTestSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';
import { freePort } from '../helpers/free-port.js';

const RAW = Buffer.from('From: App <app@sender.test>\r\nTo: user@example.net\r\nSubject: Survives a restart\r\n\r\nline one\r\n.leading dot\r\n\xe9 8-bit\r\n', 'latin1');

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-relay-persistent-'));
let postgres: TestPostgres | undefined;
const sinks = new Set<Sink>();
afterAll(async () => {
  for (const sink of sinks) await sink.stop();
  await postgres?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(storage: string, port: number): Promise<Sink> {
  const sink = await startTestSink({ storage, relayUrl: `smtp://127.0.0.1:${port}?starttls=off`, relayRetryInitialMs: 100, relayMaxAttempts: 30 });
  sinks.add(sink);
  return sink;
}

async function stop(sink: Sink): Promise<void> {
  await sink.stop();
  sinks.delete(sink);
}

async function deliveryOf(sink: Sink, id: string): Promise<Delivery> {
  const res = await fetch(`${sink.httpUrl}/api/messages/${id}/delivery`);
  expect(res.status).toBe(200);
  return (await res.json()) as Delivery;
}

/** Release while the upstream is down, stop, restart on the same store, bring the upstream up. */
async function survivesRestart(storage: string): Promise<void> {
  const port = await freePort();
  const first = await start(storage, port);
  // the last delivery the first run published: after stop() it is what the store holds (an attempt cut short by the stop is not recorded)
  let lastPublished: Delivery | undefined;
  first.events.subscribe((event) => {
    if (event.type === 'message.delivery') lastPublished = event.delivery;
  });
  const events1 = await connectEvents(first);
  const id = queuedId((await sendRaw(first, { from: 'app@sender.test', to: ['user@example.net'] }, RAW)).response);
  expect((await fetch(`${first.httpUrl}/api/messages/${id}/release`, { method: 'POST' })).status).toBe(202);
  const refused = await deliveryWhen(events1, id, (d) => d.attempts.length === 1);
  expect(refused).toMatchObject({ state: 'retrying', reason: 'release', mailFrom: 'app@sender.test', rcptTo: ['user@example.net'], upstream: `smtp://127.0.0.1:${port}` });
  expect(refused.attempts[0]).toMatchObject({ number: 1, code: null, reply: null, outcome: 'retry', error: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}` });
  await events1.close();
  await stop(first);
  const firstRun = lastPublished!;
  expect(firstRun.state).toBe('retrying');

  const restartedAt = Date.now();
  const second = await start(storage, port);
  const events2 = await connectEvents(second);
  const resumed = await deliveryOf(second, id);
  expect(resumed).toMatchObject({ messageId: id, queuedAt: firstRun.queuedAt, reason: 'release' });
  expect(resumed.attempts.slice(0, firstRun.attempts.length)).toEqual(firstRun.attempts);
  const upstream = await startTestSink({ smtpPort: port });
  sinks.add(upstream);
  const delivered = await deliveryWhen(events2, id);
  await events2.close();

  expect(delivered.state).toBe('delivered');
  expect(delivered.queuedAt).toBe(firstRun.queuedAt);
  const { attempts } = delivered;
  expect(attempts.map((a) => a.number)).toEqual(attempts.map((_, i) => i + 1));
  expect(attempts.slice(0, firstRun.attempts.length)).toEqual(firstRun.attempts); // the first run's attempts, kept
  const secondRun = attempts.slice(firstRun.attempts.length);
  expect(secondRun.length).toBeGreaterThanOrEqual(1);
  expect(secondRun.every((a) => Date.parse(a.time) >= restartedAt)).toBe(true);
  expect(attempts.slice(0, -1).every((a) => a.outcome === 'retry' && a.code === null && a.error!.startsWith('ECONNREFUSED'))).toBe(true);
  expect(attempts.at(-1)).toMatchObject({ code: 250, outcome: 'delivered', error: null });
  const upstreamId = queuedId(attempts.at(-1)!.reply);
  expect((await rawOf(upstream, upstreamId)).equals(RAW)).toBe(true);
  expect(((await (await fetch(`${upstream.httpUrl}/api/health`)).json()) as { messages: number }).messages).toBe(1);
  expect(await deliveryOf(second, id)).toEqual(delivered);
  const status = (await (await fetch(`${second.httpUrl}/api/relay`)).json()) as { queue: unknown; recent: Delivery[] };
  expect(status.queue).toEqual({ queued: 0, retrying: 0 });
  expect(status.recent).toEqual([delivered]);
  await stop(upstream);
  await stop(second);
}

describe('relay queue across a restart', () => {
  it('sqlite: retrying at stop, resumed by a new sink on the same file, delivered byte-exact once the upstream is up', async () => {
    await survivesRestart(`sqlite:${path.join(dir, 'mail.db')}`);
  });

  it('postgres: the same on one database', async () => {
    postgres = await startPostgres();
    await survivesRestart(postgres.url());
  });
});
