/**
 * The relay with several instances on one PostgreSQL database: auto-relay queues a message once
 * cluster-wide (both instances see it arrive; one inserts the delivery), and a delivery resumed by
 * two instances after a restart is attempted by one at a time (a lease per attempt), so the
 * upstream gets the message exactly once. Waits are on `message.delivery` events, never on time.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { startPostgres } from '../helpers/postgres.js';
import type { TestPostgres } from '../helpers/postgres.js';
import { deliveryWhen, queuedId, rawOf } from '../helpers/relay.js';
import { startTestSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';
import { freePort } from '../helpers/free-port.js';

const RAW = Buffer.from('From: app@sender.test\r\nTo: a@team.example\r\nSubject: Once\r\n\r\nbody\r\n.dot\r\n');

let server: TestPostgres;
const sinks = new Set<Sink>();
const clients = new Set<EventClient>();
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const sink of sinks) await sink.stop();
  await server?.close();
});

async function start(storage: string, port: number, relayAllow: string[] = []): Promise<[Sink, EventClient]> {
  const sink = await startTestSink({ storage, relayUrl: `smtp://127.0.0.1:${port}?starttls=off`, relayAllow, relayRetryInitialMs: 100, relayMaxAttempts: 30 });
  sinks.add(sink);
  const events = await connectEvents(sink);
  clients.add(events);
  return [sink, events];
}

async function stop(...pairs: [Sink, EventClient][]): Promise<void> {
  for (const [sink, events] of pairs) {
    await events.close();
    clients.delete(events);
    await sink.stop();
    sinks.delete(sink);
  }
}

/** The delivery once it ended, from whichever instance publishes it first. */
function endedOnEither(a: EventClient, b: EventClient, id: string): Promise<Delivery> {
  return Promise.any([deliveryWhen(a, id), deliveryWhen(b, id)]);
}

async function rows(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

const messagesAt = async (sink: Sink) => ((await (await fetch(`${sink.httpUrl}/api/health`)).json()) as { messages: number }).messages;

describe('relay queue shared by several instances (PostgreSQL)', () => {
  it('auto-relay: both instances see the message, one queues it, the upstream gets it once', async () => {
    const url = await server.createDatabase('auto_once');
    const upstream = await startTestSink();
    sinks.add(upstream);
    const a = await start(url, upstream.smtpPort, ['*@team.example']);
    const b = await start(url, upstream.smtpPort, ['*@team.example']);
    const id = queuedId((await sendRaw(a[0], { from: 'app@sender.test', to: ['a@team.example'] }, RAW)).response);
    const received = (events: EventClient) => events.until(`message.received ${id}`, (all) => all.some((e) => e.type === 'message.received' && e.message.id === id));
    await Promise.all([received(a[1]), received(b[1])]); // both relays were offered the message
    const delivered = await endedOnEither(a[1], b[1], id);
    expect(delivered).toMatchObject({ state: 'delivered', reason: 'auto-relay', rcptTo: ['a@team.example'] });
    expect(delivered.attempts.map((x) => [x.number, x.code, x.outcome])).toEqual([[1, 250, 'delivered']]);
    await stop(a, b); // waits for both instances' inserts and attempts
    expect(await messagesAt(upstream)).toBe(1);
    expect((await rawOf(upstream, queuedId(delivered.attempts[0]!.reply))).equals(RAW)).toBe(true);
    expect(await rows(url, 'SELECT message_id, state, lease_owner FROM mailsink.deliveries')).toEqual([{ message_id: id, state: 'delivered', lease_owner: null }]);
  });

  it('two instances resume one retrying delivery: each attempt is made once, the upstream gets the message once', async () => {
    const url = await server.createDatabase('resume_once');
    const port = await freePort();
    const first = await start(url, port);
    const id = queuedId((await sendRaw(first[0], { from: 'app@sender.test', to: ['a@team.example'] }, RAW)).response);
    expect((await fetch(`${first[0].httpUrl}/api/messages/${id}/release`, { method: 'POST' })).status).toBe(202);
    await deliveryWhen(first[1], id, (d) => d.attempts.length === 1);
    await stop(first);

    const b = await start(url, port);
    const c = await start(url, port);
    const upstream = await startTestSink({ smtpPort: port });
    sinks.add(upstream);
    const delivered = await endedOnEither(b[1], c[1], id);
    await stop(b, c);
    expect(delivered.state).toBe('delivered');
    expect(delivered.attempts.map((x) => x.number)).toEqual(delivered.attempts.map((_, i) => i + 1));
    expect(delivered.attempts.slice(0, -1).every((x) => x.outcome === 'retry' && x.error!.startsWith('ECONNREFUSED'))).toBe(true);
    expect(await messagesAt(upstream)).toBe(1);
    expect((await rawOf(upstream, queuedId(delivered.attempts.at(-1)!.reply))).equals(RAW)).toBe(true);
    const [row] = (await rows(url, 'SELECT state, lease_owner, delivery::text AS delivery FROM mailsink.deliveries')) as { state: string; lease_owner: null; delivery: string }[];
    expect([row!.state, row!.lease_owner, JSON.parse(row!.delivery)]).toEqual(['delivered', null, delivered]);
  });
});
