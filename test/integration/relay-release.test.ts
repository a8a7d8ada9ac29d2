/**
 * Release through `--relay-url` to a second sink as the upstream, with its fault rules: `421 4.3.2`
 * to the first two `MAIL FROM`s is retried with backoff (`--relay-retry-initial 50ms`) and the
 * third attempt delivers the exact bytes; `550` ends it as failed after one attempt; AUTH from the
 * URL reaches the upstream and the password shows nowhere (API, transcript); recipients refused at
 * RCPT TO; Mailpit's release (`ok` once delivered, `400` with the reply after a 4xx, still retried).
 * Every wait is on `message.delivery` events, never on time.
 */
import { MailpitClient } from 'mailpit-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/contract.js';
import { deliverySchema, relayStatusSchema } from '../../server/http/relay-schemas.js';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { deliveryEvents, deliveryWhen, queuedId, rawOf } from '../helpers/relay.js';
import { startTestSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const RAW = Buffer.from('From: App <app@sender.test>\r\nTo: user@example.net\r\nSubject: Relay me\r\n\r\nline one\r\n.leading dot\r\n\xe9 8-bit\r\n', 'latin1');
const PASSWORD = 's3cret-pass';

describe('release with retries', () => {
  let upstream: Sink;
  let sink: Sink;
  let events: EventClient;
  const release = (id: string, body: unknown = {}) => fetch(`${sink.httpUrl}/api/messages/${id}/release`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const store = async (from: string, to: string[]) => queuedId((await sendRaw(sink, { from, to }, RAW)).response);

  beforeAll(async () => {
    upstream = await startTestSink({
      faults: [
        { stage: 'mailFrom', match: { mailFrom: 'retry@sender.test' }, reply: { code: 421, enhancedCode: '4.3.2', text: 'Try again later' }, times: 2 },
        { stage: 'rcptTo', match: { rcptTo: 'nobody@example.net' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' } },
        { stage: 'rcptTo', match: { rcptTo: 'busy@example.net' }, reply: { code: 450, enhancedCode: '4.2.1', text: 'Mailbox busy' }, times: 1 },
      ],
    });
    sink = await startTestSink({ relayUrl: `smtp://relayuser:${PASSWORD}@127.0.0.1:${upstream.smtpPort}`, relayTlsVerify: false, relayRetryInitialMs: 50 });
    events = await connectEvents(sink);
  });
  afterAll(async () => {
    await events?.close();
    await Promise.all([sink?.stop(), upstream?.stop()]);
  });

  it('421 4.3.2 twice, then delivered on the third attempt, byte-exact, with each attempt and the backoff recorded', async () => {
    const id = await store('retry@sender.test', ['user@example.net']);
    const res = await release(id);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ messageId: id, state: 'queued', reason: 'release', mailFrom: 'retry@sender.test', rcptTo: ['user@example.net'], upstream: `smtp://127.0.0.1:${upstream.smtpPort}`, attempts: [] });
    const delivery = await deliveryWhen(events, id);
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.number, a.code, a.outcome, a.error])).toEqual([[1, 421, 'retry', null], [2, 421, 'retry', null], [3, 250, 'delivered', null]]);
    expect(delivery.attempts.slice(0, 2).map((a) => a.reply)).toEqual(['421 4.3.2 Try again later', '421 4.3.2 Try again later']);
    const upstreamId = queuedId(delivery.attempts[2]!.reply);
    expect(delivery.attempts[2]!.reply).toBe(`250 2.0.0 Ok: queued as ${upstreamId}`);
    expect((await rawOf(upstream, upstreamId)).equals(await rawOf(sink, id))).toBe(true);
    expect((await rawOf(upstream, upstreamId)).equals(RAW)).toBe(true);
    // states in order, and each retry was scheduled initial × 2^(n−1) after the attempt ended, and did not start before
    const seen = deliveryEvents(events, id);
    expect(seen.map((d) => [d.state, d.attempts.length])).toEqual([['queued', 0], ['retrying', 1], ['retrying', 2], ['delivered', 3]]);
    for (const n of [1, 2]) {
      const attempt = delivery.attempts[n - 1]!;
      const next = Date.parse(seen[n]!.nextAttemptAt!);
      expect(next - (Date.parse(attempt.time) + attempt.durationMs)).toBe(50 * 2 ** (n - 1));
      expect(Date.parse(delivery.attempts[n]!.time)).toBeGreaterThanOrEqual(next);
    }
    const served = await (await fetch(`${sink.httpUrl}/api/messages/${id}/delivery`)).json();
    expect(served).toEqual(delivery);
    expect(deliverySchema.strict().parse(served)).toEqual(served); // the documented schema, no extra fields
    expect(relayStatusSchema.strict().parse(await (await fetch(`${sink.httpUrl}/api/relay`)).json()).recent[0]).toEqual(delivery);
  });

  it('AUTH from the URL reaches the upstream, masked in the transcript; the password is nowhere in the API', async () => {
    const id = await store('auth@sender.test', ['user@example.net']);
    await release(id, { to: ['other@example.net'] });
    const delivery = await deliveryWhen(events, id);
    const upstreamId = queuedId(delivery.attempts[0]!.reply);
    const stored = (await (await fetch(`${upstream.httpUrl}/api/messages/${upstreamId}`)).json()) as { envelope: { authUser: string; rcptTo: string[]; secure: boolean } };
    expect(stored.envelope).toMatchObject({ authUser: 'relayuser', rcptTo: ['other@example.net'], secure: true });
    const client = delivery.attempts[0]!.transcript.filter((line) => line.direction === 'client').map((line) => line.text);
    expect(client).toEqual(['EHLO mailsink', 'STARTTLS', 'EHLO mailsink', 'AUTH PLAIN ***', 'MAIL FROM:<auth@sender.test>', 'RCPT TO:<other@example.net>', 'DATA']);
    const status = await (await fetch(`${sink.httpUrl}/api/relay`)).text();
    expect(JSON.parse(status)).toMatchObject({
      upstream: { url: `smtp://127.0.0.1:${upstream.smtpPort}`, host: '127.0.0.1', port: upstream.smtpPort, secure: false, starttls: 'opportunistic', tlsVerify: false, auth: true },
      allow: [], deny: [], retry: { initialMs: 50, maxAttempts: 5, maxAgeMs: 3_600_000 }, queue: { queued: 0, retrying: 0 },
    });
    const secrets = [PASSWORD, Buffer.from(`\0relayuser\0${PASSWORD}`).toString('base64')];
    for (const text of [status, JSON.stringify(delivery), JSON.stringify(events.received)]) for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('550 ends it as failed after one attempt, the reply kept; a second release is possible once it ended', async () => {
    const id = await store('app@sender.test', ['nobody@example.net']);
    expect((await release(id)).status).toBe(202);
    const delivery: Delivery = await deliveryWhen(events, id);
    expect(delivery).toMatchObject({ state: 'failed', endReason: 'reply', nextAttemptAt: null });
    expect(delivery.attempts.map((a) => [a.number, a.code, a.reply, a.outcome])).toEqual([[1, 550, '550 5.1.1 No such user', 'failed']]);
    expect(delivery.attempts[0]!.refused).toEqual([{ recipient: 'nobody@example.net', code: 550, reply: '550 5.1.1 No such user' }]);
    const again = await release(id, { to: ['user@example.net'] });
    expect([again.status, ((await again.json()) as Delivery).rcptTo]).toEqual([202, ['user@example.net']]);
    expect((await deliveryWhen(events, id, (d) => d.state === 'delivered')).attempts).toHaveLength(1);
  });

  it('some recipients refused with 550: delivered to the accepted ones, the refused recorded on the attempt and noted', async () => {
    const id = await store('app@sender.test', ['user@example.net']);
    await release(id, { to: ['nobody@example.net', 'user@example.net'] });
    const delivery = await deliveryWhen(events, id);
    expect([delivery.state, delivery.endReason, delivery.rcptTo]).toEqual(['delivered', null, ['nobody@example.net', 'user@example.net']]);
    expect(delivery.attempts.map((a) => [a.number, a.code, a.outcome, a.refused])).toEqual([[1, 250, 'delivered', [{ recipient: 'nobody@example.net', code: 550, reply: '550 5.1.1 No such user' }]]]);
    expect(delivery.attempts[0]!.transcript).toContainEqual({ direction: 'note', text: 'Delivered to 1 of 2 recipients; refused, not retried: <nobody@example.net> 550 5.1.1 No such user' });
    const stored = (await (await fetch(`${upstream.httpUrl}/api/messages/${queuedId(delivery.attempts[0]!.reply)}`)).json()) as { envelope: { rcptTo: string[] } };
    expect(stored.envelope.rcptTo).toEqual(['user@example.net']);
  });

  it('every recipient refused, one with 450: retried (the 4xx decides); then delivered to the one accepted', async () => {
    const id = await store('app@sender.test', ['user@example.net']);
    await release(id, { to: ['nobody@example.net', 'busy@example.net'] });
    const delivery = await deliveryWhen(events, id);
    const nobody = { recipient: 'nobody@example.net', code: 550, reply: '550 5.1.1 No such user' };
    expect(delivery.attempts.map((a) => [a.number, a.code, a.reply?.startsWith('250 ') ? '250' : a.reply, a.outcome, a.refused])).toEqual([
      [1, 450, '450 4.2.1 Mailbox busy', 'retry', [nobody, { recipient: 'busy@example.net', code: 450, reply: '450 4.2.1 Mailbox busy' }]],
      [2, 250, '250', 'delivered', [nobody]],
    ]);
    expect(delivery.state).toBe('delivered');
    const stored = (await (await fetch(`${upstream.httpUrl}/api/messages/${queuedId(delivery.attempts[1]!.reply)}`)).json()) as { envelope: { rcptTo: string[] } };
    expect(stored.envelope.rcptTo).toEqual(['busy@example.net']);
  });

  it('refusals: 409 while in progress, 400 naming to, 404 without a delivery or message', async () => {
    const id = await store('retry@sender.test', ['user@example.net']);
    const body = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string; field?: string } }).error];
    await upstream.faults.add([{ stage: 'mailFrom', match: { mailFrom: 'retry@sender.test' }, reply: { code: 451 }, times: 1 }]);
    expect(await body(await fetch(`${sink.httpUrl}/api/messages/${id}/delivery`))).toEqual([404, { code: 'no_delivery', message: `message ${id} was never released or relayed`, field: 'id' }]);
    expect(await body(await release(id, { to: ['not an address'] }))).toEqual([400, { code: 'invalid_request', message: 'invalid body field "to.0": expected an address such as someone@example.org', field: 'to.0' }]);
    expect((await release(id)).status).toBe(202);
    expect(await body(await release(id))).toEqual([409, { code: 'delivery_in_progress', message: `message ${id} is already queued` }]);
    expect((await deliveryWhen(events, id)).attempts.map((a) => a.code)).toEqual([451, 250]);
    expect((await body(await release('nope')))[0]).toBe(404);
  });

  it("Mailpit's POST /api/v1/message/{ID}/release: ok once delivered, its plain-text 400s", async () => {
    const id = await store('app@sender.test', ['user@example.net']);
    const post = (body: unknown) => fetch(`${sink.httpUrl}/api/v1/message/${id}/release`, { method: 'POST', body: JSON.stringify(body) });
    const text = async (res: Response) => [res.status, await res.text()];
    expect(await text(await post({ To: ['mp@example.net'] }))).toEqual([200, 'ok']);
    const delivery = (await (await fetch(`${sink.httpUrl}/api/messages/${id}/delivery`)).json()) as Delivery;
    expect([delivery.state, delivery.rcptTo]).toEqual(['delivered', ['mp@example.net']]);
    expect((await rawOf(upstream, queuedId(delivery.attempts[0]!.reply))).equals(RAW)).toBe(true);
    const client = new MailpitClient(sink.httpUrl); // the unchanged npm client
    expect(await client.releaseMessage(id, { To: ['client@example.net'] })).toBe('ok');
    const byClient = (await (await fetch(`${sink.httpUrl}/api/messages/${id}/delivery`)).json()) as Delivery;
    expect([byClient.state, byClient.rcptTo, byClient.attempts.length]).toEqual(['delivered', ['client@example.net'], 1]);
    expect(await text(await post({ To: ['nobody@example.net'] }))).toEqual([400, 'SMTP error: 550 5.1.1 No such user']);
    expect(await text(await post({ To: [] }))).toEqual([400, 'No valid addresses found']);
    expect(await text(await post({ To: ['bad'] }))).toEqual([400, 'Invalid email address: bad']);
    expect(await text(await fetch(`${sink.httpUrl}/api/v1/message/nope/release`, { method: 'POST', body: '{"To":["a@b.example"]}' }))).toEqual([404, '404 page not found']);
  });

  it("Mailpit's release answers 400 with the reply when the first attempt got a 4xx (as Mailpit), and mailsink still retries", async () => {
    const refuseOnce = () => upstream.faults.add([{ stage: 'mailFrom', match: { mailFrom: 'mp-retry@sender.test' }, reply: { code: 421, enhancedCode: '4.3.2', text: 'Try again later' }, times: 1 }]);
    await refuseOnce();
    const id = await store('mp-retry@sender.test', ['user@example.net']);
    const res = await fetch(`${sink.httpUrl}/api/v1/message/${id}/release`, { method: 'POST', body: JSON.stringify({ To: ['mp@example.net'] }) });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([400, 'text/plain; charset=utf-8', `SMTP error: 421 4.3.2 Try again later (mailsink retries it: GET /api/messages/${id}/delivery)`]);
    const delivery = await deliveryWhen(events, id);
    expect([delivery.state, delivery.rcptTo, delivery.attempts.map((a) => [a.code, a.outcome])]).toEqual(['delivered', ['mp@example.net'], [[421, 'retry'], [250, 'delivered']]]);
    expect((await rawOf(upstream, queuedId(delivery.attempts[1]!.reply))).equals(RAW)).toBe(true);

    await refuseOnce();
    const again = await store('mp-retry@sender.test', ['user@example.net']);
    const client = new MailpitClient(sink.httpUrl); // the unchanged npm client: its caller sees the refusal
    const error = await client.releaseMessage(again, { To: ['client@example.net'] }).then(() => null, (err: unknown) => err);
    expect((error as Error).message).toBe(`Mailpit API Error: 400 Bad Request at POST ${sink.httpUrl}/api/v1/message/${again}/release: SMTP error: 421 4.3.2 Try again later (mailsink retries it: GET /api/messages/${again}/delivery)`);
    expect((await deliveryWhen(events, again)).attempts.map((a) => [a.code, a.outcome])).toEqual([[421, 'retry'], [250, 'delivered']]);
  });
});

describe('without --relay-url', () => {
  let sink: Sink;
  beforeAll(async () => {
    sink = await startTestSink();
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('release is 409 relay_not_configured, Mailpit\'s a 400, /api/relay shows no upstream', async () => {
    const id = queuedId((await sendRaw(sink, { from: 'a@sender.test', to: ['b@example.net'] }, RAW)).response);
    const res = await fetch(`${sink.httpUrl}/api/messages/${id}/release`, { method: 'POST' });
    expect([res.status, await res.json()]).toEqual([409, { error: { code: 'relay_not_configured', message: 'relaying is off: start mailsink with --relay-url smtp://host:port' } }]);
    const mailpit = await fetch(`${sink.httpUrl}/api/v1/message/${id}/release`, { method: 'POST', body: '{"To":["b@example.net"]}' });
    expect([mailpit.status, await mailpit.text()]).toEqual([400, 'SMTP error: relaying is off: start mailsink with --relay-url smtp://host:port']);
    expect(await (await fetch(`${sink.httpUrl}/api/relay`)).json()).toEqual({ upstream: null, allow: [], deny: [], retry: { initialMs: 30_000, maxAttempts: 5, maxAgeMs: 3_600_000 }, queue: { queued: 0, retrying: 0 }, recent: [] });
  });
});
