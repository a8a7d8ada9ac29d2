/**
 * Auto-relay (`--relay-allow`, `--relay-deny`) and an upstream that is down at first: a stored
 * message is queued to its matching envelope recipients only, deny winning over allow; a message
 * with none is not queued; connection failures are retried until the upstream, started later on
 * the same port, takes the message. Waits are on `message.delivery` events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { deliveryWhen, queuedId, rawOf } from '../helpers/relay.js';
import { startTestSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';
import { freePort } from '../helpers/free-port.js';

const RAW = Buffer.from('From: app@sender.test\r\nTo: a@team.example\r\nSubject: Auto\r\n\r\nbody\r\n');

describe('auto-relay with an upstream that comes up late', () => {
  let upstream: Sink | undefined;
  let sink: Sink;
  let events: EventClient;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    sink = await startTestSink({ relayUrl: `smtp://127.0.0.1:${port}?starttls=off`, relayAllow: ['*@team.example', 'ops@partner.example'], relayDeny: ['boss@team.example'], relayRetryInitialMs: 50, relayMaxAttempts: 30 });
    events = await connectEvents(sink);
  });
  afterAll(async () => {
    await events?.close();
    await Promise.all([sink?.stop(), upstream?.stop()]);
  });

  it('retries while nothing listens, then delivers to the matching recipients only once the upstream is up', async () => {
    const skipped = queuedId((await sendRaw(sink, { from: 'app@sender.test', to: ['x@other.example', 'boss@team.example'] }, RAW)).response);
    const id = queuedId((await sendRaw(sink, { from: 'app@sender.test', to: ['a@team.example', 'BOSS@team.example', 'x@other.example', 'Ops@Partner.example'] }, RAW)).response);
    const refused = await deliveryWhen(events, id, (d) => d.attempts.length === 1);
    expect(refused).toMatchObject({ state: 'retrying', reason: 'auto-relay', rcptTo: ['a@team.example', 'Ops@partner.example'], upstream: `smtp://127.0.0.1:${port}` });
    expect(refused.attempts[0]).toMatchObject({ number: 1, code: null, reply: null, outcome: 'retry', error: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}` });
    upstream = await startTestSink({ smtpPort: port });
    const delivered = await deliveryWhen(events, id);
    expect(delivered.state).toBe('delivered');
    const attempts = delivered.attempts;
    expect(attempts.slice(0, -1).every((a) => a.outcome === 'retry' && a.code === null && a.error!.startsWith('ECONNREFUSED'))).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ code: 250, outcome: 'delivered', error: null });
    const upstreamId = queuedId(attempts.at(-1)!.reply);
    const stored = (await (await fetch(`${upstream.httpUrl}/api/messages/${upstreamId}`)).json()) as { envelope: { mailFrom: string; rcptTo: string[] } };
    expect(stored.envelope).toMatchObject({ mailFrom: 'app@sender.test', rcptTo: ['a@team.example', 'Ops@partner.example'] });
    expect((await rawOf(upstream, upstreamId)).equals(RAW)).toBe(true);
    const none = await fetch(`${sink.httpUrl}/api/messages/${skipped}/delivery`);
    expect(none.status).toBe(404);
    expect(((await (await fetch(`${upstream.httpUrl}/api/health`)).json()) as { messages: number }).messages).toBe(1);
    const status = (await (await fetch(`${sink.httpUrl}/api/relay`)).json()) as { allow: string[]; deny: string[]; recent: { messageId: string }[]; queue: unknown };
    expect(status).toMatchObject({ allow: ['*@team.example', 'ops@partner.example'], deny: ['boss@team.example'], queue: { queued: 0, retrying: 0 } });
    expect(status.recent.map((d) => d.messageId)).toEqual([id]);
  });
});
