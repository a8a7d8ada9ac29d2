/**
 * Relay to a non-Node upstream: Python's aiosmtpd with STARTTLS required and AUTH required. The
 * upstream gets the exact bytes, the envelope and the login; the transcript shows STARTTLS and
 * `AUTH PLAIN ***`. With `--relay-tls-verify` on (the default) its self-signed certificate is
 * refused, and the attempt records the TLS error.
 */
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { startAiosmtpd } from '../helpers/aiosmtpd.js';
import type { AiosmtpdUpstream } from '../helpers/aiosmtpd.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { deliveryWhen, queuedId, rawOf } from '../helpers/relay.js';
import { startTestSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const RAW = Buffer.from('From: app@sender.test\r\nTo: me@inbox.test\r\nSubject: To Python\r\n\r\nfirst\r\n.dot line\r\n..two dots\r\nlast\r\n');

describe('relay to aiosmtpd (STARTTLS, AUTH)', () => {
  let upstream: AiosmtpdUpstream;
  const sinks: Sink[] = [];
  const clients: EventClient[] = [];
  const start = async (options: Parameters<typeof startTestSink>[0]) => {
    const sink = await startTestSink(options);
    sinks.push(sink);
    const events = await connectEvents(sink);
    clients.push(events);
    return { sink, events };
  };

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'upstream.test' }], { keySize: 2048, algorithm: 'sha256' });
    upstream = await startAiosmtpd({ cert: pems.cert, key: pems.private }, { user: 'relay-user', pass: 'py-secret' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(sinks.map((s) => s.stop()));
    await upstream?.stop();
  });

  it('delivers the exact bytes over STARTTLS as the URL\'s user', async () => {
    const { sink, events } = await start({ relayUrl: `smtp://relay-user:py-secret@127.0.0.1:${upstream.port}?starttls=required`, relayTlsVerify: false });
    const id = queuedId((await sendRaw(sink, { from: 'app@sender.test', to: ['me@inbox.test'] }, RAW)).response);
    expect((await fetch(`${sink.httpUrl}/api/messages/${id}/release`, { method: 'POST' })).status).toBe(202);
    const delivery = await deliveryWhen(events, id);
    expect(delivery.attempts.map((a) => [a.code, a.reply, a.outcome])).toEqual([[250, '250 2.0.0 Stored as 1', 'delivered']]);
    const stored = upstream.message(1);
    expect(stored.envelope).toEqual({ mail_from: 'app@sender.test', rcpt_tos: ['me@inbox.test'], login: 'relay-user' });
    expect(stored.raw.equals(RAW)).toBe(true);
    expect(stored.raw.equals(await rawOf(sink, id))).toBe(true);
    const transcript = delivery.attempts[0]!.transcript;
    expect(transcript.filter((l) => l.direction === 'client').map((l) => l.text)).toEqual(['EHLO mailsink', 'STARTTLS', 'EHLO mailsink', 'AUTH PLAIN ***', 'MAIL FROM:<app@sender.test>', 'RCPT TO:<me@inbox.test>', 'DATA']);
    expect(transcript).toContainEqual({ direction: 'note', text: 'Connection upgraded with STARTTLS' });
    expect(JSON.stringify(delivery)).not.toContain('py-secret');
  });

  it('with certificate checking on, the self-signed certificate is a TLS error, retried, then failed at max attempts', async () => {
    const { sink, events } = await start({ relayUrl: `smtp://relay-user:py-secret@127.0.0.1:${upstream.port}`, relayRetryInitialMs: 50, relayMaxAttempts: 2 });
    const id = queuedId((await sendRaw(sink, { from: 'app@sender.test', to: ['me@inbox.test'] }, RAW)).response);
    await fetch(`${sink.httpUrl}/api/messages/${id}/release`, { method: 'POST' });
    const delivery = await deliveryWhen(events, id);
    expect([delivery.state, delivery.endReason]).toEqual(['failed', 'max-attempts']);
    expect(delivery.attempts.map((a) => [a.code, a.outcome, a.error])).toEqual([[null, 'retry', expect.stringContaining('self-signed certificate')], [null, 'retry', expect.stringContaining('self-signed certificate')]]);
  });
});
