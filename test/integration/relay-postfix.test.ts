/**
 * Relay to a real Postfix (test/helpers/postfix.ts) with STARTTLS required and AUTH PLAIN (Cyrus
 * SASL): mailsink trusts Postfix's self-signed certificate through `--relay-ca` (certificate checking
 * stays on), a release and an auto-relay are delivered with the exact bytes, one attempt each with
 * Postfix's `250 2.0.0 Ok: queued as …`, the transcript shows `STARTTLS` and `AUTH PLAIN ***` and never
 * the password; a wrong password gets `535` and fails after one attempt with the reply kept. Waits
 * are on `message.delivery` events and on Postfix's maildir, never on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { startPostfixUpstream } from '../helpers/postfix.js';
import type { PostfixUpstream } from '../helpers/postfix.js';
import { deliveryWhen, queuedId, rawOf } from '../helpers/relay.js';
import { startTestSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const PASSWORD = 'pf-Secret-9';

/** A message with an 8-bit body and a line that needs dot-stuffing. */
function message(to: string, subject: string): Buffer {
  return Buffer.from(`From: App <app@sender.test>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n.a dot line\r\nlast\r\n`, 'utf8');
}

describe('relay to Postfix (STARTTLS required, AUTH PLAIN, --relay-ca)', () => {
  const write = useTmpFiles();
  let upstream: PostfixUpstream;
  const sinks: Sink[] = [];
  const clients: EventClient[] = [];
  const start = async (password: string) => {
    const sink = await startTestSink({
      relayUrl: `smtp://relay-user:${password}@127.0.0.1:${upstream.port}?starttls=required`,
      relayCa: write('postfix-ca.pem', upstream.certificate),
      relayAllow: ['*@team.test'],
      relayMaxAttempts: 1, // a retry would hide a TLS or AUTH failure behind the backoff
    });
    sinks.push(sink);
    const events = await connectEvents(sink);
    clients.push(events);
    return { sink, events };
  };

  beforeAll(async () => {
    upstream = await startPostfixUpstream({ tls: 'encrypt', auth: { username: 'relay-user', password: PASSWORD } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(sinks.map((s) => s.stop()));
    await upstream?.close();
  });

  const expectClean = (delivery: Delivery, from: string, to: string) => {
    expect(delivery.attempts).toHaveLength(1);
    const [attempt] = delivery.attempts;
    expect([delivery.state, attempt!.number, attempt!.code, attempt!.outcome, attempt!.error]).toEqual(['delivered', 1, 250, 'delivered', null]);
    expect(attempt!.reply).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-Za-z]+$/);
    const client = attempt!.transcript.filter((l) => l.direction === 'client').map((l) => l.text);
    expect(client).toEqual(['EHLO mailsink', 'STARTTLS', 'EHLO mailsink', 'AUTH PLAIN ***', `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA']);
    expect(attempt!.transcript).toContainEqual({ direction: 'note', text: 'Connection upgraded with STARTTLS' });
    const secrets = [PASSWORD, Buffer.from(`\0relay-user\0${PASSWORD}`).toString('base64')];
    for (const secret of secrets) expect(JSON.stringify(delivery)).not.toContain(secret);
  };

  it('a release and an auto-relay are delivered with the exact bytes, one attempt each, AUTH masked', async () => {
    const { sink, events } = await start(PASSWORD);
    const released = message('me@inbox.test', 'Released to Postfix');
    const id = queuedId((await sendRaw(sink, { from: 'app@sender.test', to: ['me@inbox.test'] }, released)).response);
    expect((await fetch(`${sink.httpUrl}/api/messages/${id}/release`, { method: 'POST' })).status).toBe(202);
    const delivery = await deliveryWhen(events, id);
    expectClean(delivery, 'app@sender.test', 'me@inbox.test');
    const [got] = await upstream.delivered(1, 'me@inbox.test');
    expect(got!.data.equals(released)).toBe(true);
    expect(got!.data.equals(await rawOf(sink, id))).toBe(true);
    expect(got!.returnPath).toBe('app@sender.test');
    expect(got!.received).toMatch(/ with ESMTPSA id [0-9A-F]+\s/); // TLS and AUTH, as Postfix saw it
    expect(upstream.log()).toContain('sasl_method=PLAIN, sasl_username=relay-user');

    const auto = message('dev@team.test', 'Auto-relayed to Postfix');
    const autoId = queuedId((await sendRaw(sink, { from: 'ci@sender.test', to: ['dev@team.test', 'other@elsewhere.test'] }, auto)).response);
    const autoDelivery = await deliveryWhen(events, autoId);
    expect([autoDelivery.reason, autoDelivery.rcptTo]).toEqual(['auto-relay', ['dev@team.test']]);
    expectClean(autoDelivery, 'ci@sender.test', 'dev@team.test');
    const [autoGot] = await upstream.delivered(1, 'dev@team.test');
    expect(autoGot!.data.equals(auto)).toBe(true);
    expect(autoGot!.returnPath).toBe('ci@sender.test');
  });

  it('a wrong password: 535 from Cyrus SASL, failed after one attempt with the reply kept', async () => {
    const { sink, events } = await start('not-the-password');
    const id = queuedId((await sendRaw(sink, { from: 'app@sender.test', to: ['me@inbox.test'] }, message('me@inbox.test', 'Wrong password'))).response);
    await fetch(`${sink.httpUrl}/api/messages/${id}/release`, { method: 'POST' });
    const delivery = await deliveryWhen(events, id);
    expect([delivery.state, delivery.endReason, delivery.nextAttemptAt]).toEqual(['failed', 'reply', null]);
    expect(delivery.attempts.map((a) => [a.number, a.code, a.reply, a.outcome, a.error])).toEqual([[1, 535, '535 5.7.8 Error: authentication failed: authentication failure', 'failed', null]]);
    const transcript = delivery.attempts[0]!.transcript;
    expect(transcript.filter((l) => l.direction === 'client').map((l) => l.text)).toEqual(['EHLO mailsink', 'STARTTLS', 'EHLO mailsink', 'AUTH PLAIN ***']);
    expect(JSON.stringify(delivery)).not.toContain('not-the-password');
    expect(JSON.stringify(delivery)).not.toContain(Buffer.from('\0relay-user\0not-the-password').toString('base64'));
  });
});
