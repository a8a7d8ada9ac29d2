/**
 * The Postfix upstream of the relay tests (test/helpers/postfix.ts, issue 17) does what they rely on:
 * nodemailer (a client we did not write) sends over STARTTLS, verifying Postfix's self-signed
 * certificate, with AUTH PLAIN or LOGIN, and the maildir holds exactly the bytes sent; a wrong password
 * gets 535 and no AUTH gets no relay; with `tls: 'encrypt'` plain text gets 530. Without Postfix or Cyrus SASL every test fails naming
 * `node scripts/check-test-deps.js` (none is skipped).
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostfixUpstream } from '../helpers/postfix.js';
import type { PostfixUpstream } from '../helpers/postfix.js';

/** A message as a relay forwards it: its own earlier `Received:`, an 8-bit body, a line that needs dot-stuffing. */
function message(to: string, subject: string): Buffer {
  return Buffer.from(
    [
      'Received: from app.example (app.example [192.0.2.10]) by sink.example; Thu, 3 Dec 2026 10:00:00 +0000',
      'From: App <app@sender.example>',
      `To: <${to}>`,
      `Subject: ${subject}`,
      'Date: Thu, 3 Dec 2026 10:00:01 +0000',
      `Message-ID: <${subject.replace(/\W+/g, '-')}@sender.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Grüße aus dem Test.',
      '.a line that starts with a dot',
      '',
      'Last line.',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

describe('Postfix upstream with STARTTLS and AUTH', () => {
  let started: Promise<PostfixUpstream>;
  beforeAll(() => {
    started = startPostfixUpstream();
    started.catch(() => undefined);
  });
  afterAll(async () => (await started.catch(() => null))?.close());

  const transport = (upstream: PostfixUpstream, extra: Record<string, unknown> = {}) =>
    nodemailer.createTransport({ host: upstream.host, port: upstream.port, secure: false, requireTLS: true, tls: { ca: [upstream.certificate] }, auth: { user: upstream.auth!.username, pass: upstream.auth!.password }, ...extra });

  it.each(['PLAIN', 'LOGIN'])('delivers the exact bytes sent with AUTH %s after STARTTLS', async (method) => {
    const upstream = await started;
    const to = `${method.toLowerCase()}-rcpt@inbox.example`;
    const raw = message(to, `Relay check via ${method}`);
    const t = transport(upstream, { authMethod: method });
    const info = await t.sendMail({ envelope: { from: 'bounces@sender.example', to: [to] }, raw });
    t.close();
    expect(info.accepted).toEqual([to]);
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-Za-z]+$/);

    const [delivered, ...more] = await upstream.delivered(1, to);
    expect(more).toEqual([]);
    expect(delivered!.data.equals(raw)).toBe(true);
    expect(delivered!.data.toString('utf8')).toContain(`\r\nSubject: Relay check via ${method}\r\n`);
    expect(delivered!.recipient).toBe(to);
    expect(delivered!.returnPath).toBe('bounces@sender.example');
    // smtpd's Received: ESMTPSA = ESMTP + TLS + AUTH; the TLS session is named.
    expect(delivered!.received).toMatch(/^from \[127\.0\.0\.1\] \(unknown \[127\.0\.0\.1\]\) \(using TLSv1\.3 with cipher TLS_[A-Z0-9_]+ \(\d+\/\d+ bits\) key-exchange \S+ server-signature ECDSA \(prime256v1\) server-digest SHA256\) \(No client certificate requested\) by upstream\.postfix-test\.example \(Postfix\) with ESMTPSA id [0-9A-F]+\s/);
    expect(delivered!.received).toContain(` for <${to}>; `);
    expect(upstream.log()).toContain(`sasl_method=${method}, sasl_username=relay-user`);
  });

  it('refuses a wrong password with 535 (Cyrus SASL’s answer)', async () => {
    const upstream = await started;
    const t = transport(upstream, { auth: { user: upstream.auth!.username, pass: 'not-the-password' } });
    const error = await t.sendMail({ envelope: { from: 'a@sender.example', to: ['wrong-pass@inbox.example'] }, raw: message('wrong-pass@inbox.example', 'x') }).catch((err: unknown) => err);
    t.close();
    expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect((error as { response: string }).response).toBe('535 5.7.8 Error: authentication failed: authentication failure');
  });

  it('refuses a recipient without AUTH (554 5.7.1) even over STARTTLS', async () => {
    const upstream = await started;
    const to = 'no-auth@inbox.example';
    const t = transport(upstream, { auth: undefined });
    const error = await t.sendMail({ envelope: { from: 'a@sender.example', to: [to] }, raw: message(to, 'x') }).catch((err: unknown) => err);
    t.close();
    expect(error).toMatchObject({ code: 'EENVELOPE', responseCode: 554 });
    expect((error as { response: string }).response).toBe(`554 5.7.1 <${to}>: Recipient address rejected: Access denied`);
  });
});

describe('Postfix upstream requiring STARTTLS, without AUTH', () => {
  let started: Promise<PostfixUpstream>;
  beforeAll(() => {
    started = startPostfixUpstream({ tls: 'encrypt', auth: null });
    started.catch(() => undefined);
  });
  afterAll(async () => (await started.catch(() => null))?.close());

  it('refuses MAIL FROM in plain text with 530 and delivers after STARTTLS without AUTH', async () => {
    const upstream = await started;
    expect(upstream.auth).toBeNull();
    const to = 'tls-only@inbox.example';
    const raw = message(to, 'Relay check, TLS only');
    const plain = nodemailer.createTransport({ host: upstream.host, port: upstream.port, secure: false, ignoreTLS: true });
    const error = await plain.sendMail({ envelope: { from: 'a@sender.example', to: [to] }, raw }).catch((err: unknown) => err);
    plain.close();
    expect((error as { response: string }).response).toBe('530 5.7.0 Must issue a STARTTLS command first');

    const tls = nodemailer.createTransport({ host: upstream.host, port: upstream.port, secure: false, requireTLS: true, tls: { ca: [upstream.certificate] } });
    await tls.sendMail({ envelope: { from: 'a@sender.example', to: [to] }, raw });
    tls.close();
    const [delivered] = await upstream.delivered(1, to);
    expect(delivered!.data.equals(raw)).toBe(true);
    expect(delivered!.received).toMatch(/\(No client certificate requested\) by upstream\.postfix-test\.example \(Postfix\) with ESMTPS id [0-9A-F]+\s+for <tls-only@inbox\.example>; /);
  });
});
