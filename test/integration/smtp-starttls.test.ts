/**
 * STARTTLS (RFC 3207) on the plain SMTP port, on by default with a certificate made at start, and
 * with `--tls-cert`/`--tls-key`: swaks `--tls`, Python `smtplib.starttls()`, `curl --ssl-reqd` and
 * nodemailer `requireTLS` upgrade and are stored as `secure`; clients that do not upgrade go on in
 * plain text as before.
 */
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDetail, Transcript } from '../../server/contract.js';
import { curlSend, smtplibSend } from '../helpers/clients.js';
import type { Sink } from '../../server/sink.js';
import { api, startTestSink, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { swaks } from '../helpers/swaks.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const latest = (sink: Parameters<typeof api>[0]) => api<MessageDetail>(sink, '/api/messages/latest');

describe('STARTTLS with the generated certificate', () => {
  const sink = useSink();

  it('EHLO offers STARTTLS and every AUTH mechanism; the certificate is self-signed for loopback names', async () => {
    const ehlo = await swaks(sink().smtpPort, ['--quit-after', 'EHLO']);
    expect(ehlo.serverLines).toEqual([
      '220 mailsink ESMTP ready',
      '250-mailsink Nice to meet you, [127.0.0.1]',
      '250-PIPELINING',
      '250-8BITMIME',
      '250-SMTPUTF8',
      '250-ENHANCEDSTATUSCODES',
      '250-AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2',
      '250-STARTTLS',
      '250 SIZE 52428800',
      '221 2.0.0 Bye',
    ]);
    expect(sink().tls.generated).toBe(true);
    const cert = new X509Certificate(sink().tls.cert);
    expect(cert.subject).toContain('CN=mailsink');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.fingerprint256).toBe(sink().tls.fingerprint256);
  });

  it('swaks --tls upgrades, sends over TLS and the message is stored as secure', async () => {
    const result = await swaks(sink().smtpPort, ['--tls', '--to', 'tls@example.org', '--header', 'Subject: over STARTTLS']);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.serverLines).toContain('220 2.0.0 Ready to start TLS');
    expect(result.output).toMatch(/=== TLS started with cipher TLSv1\.[23]/);
    expect(result.output).toMatch(/<~ {2}250 2\.0\.0 Ok: queued as \S+/);
    const message = await latest(sink());
    expect(message).toMatchObject({ subject: 'over STARTTLS', envelope: { rcptTo: ['tls@example.org'], secure: true } });
    const transcript = await api<Transcript>(sink(), `/api/messages/${message.id}/transcript`);
    expect(transcript.secure).toBe(true);
    const texts = transcript.lines.map((l) => `${l.direction} ${l.text}`);
    const starttls = texts.indexOf('client STARTTLS');
    expect(texts.slice(starttls, starttls + 3)).toEqual(['client STARTTLS', 'server 220 2.0.0 Ready to start TLS', expect.stringMatching(/^note TLS established: TLSv1\.[23], \S+/)]);
    expect(texts[starttls + 3]).toBe('client EHLO client.example');
  });

  it('clients that do not upgrade keep working in plain text (nodemailer ignoreTLS, smtplib without starttls)', async () => {
    const t = transport(sink());
    await t.sendMail({ from: 'a@example.com', to: 'plain@example.org', subject: 'plain nodemailer', text: 'x' });
    t.close();
    expect(await latest(sink())).toMatchObject({ subject: 'plain nodemailer', envelope: { secure: false } });
    const py = await smtplibSend(sink().smtpPort, { mode: 'plain', subject: 'plain smtplib' });
    expect(py).toMatchObject({ refused: {} });
    expect(py.features).toContain('starttls');
    expect(await latest(sink())).toMatchObject({ subject: 'plain smtplib', envelope: { secure: false } });
  });

  it('nodemailer with requireTLS upgrades (certificate checks off for the self-signed certificate)', async () => {
    const t = transport(sink(), { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    const info = await t.sendMail({ from: 'a@example.com', to: 'required@example.org', subject: 'requireTLS', text: 'x' });
    t.close();
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(await latest(sink())).toMatchObject({ subject: 'requireTLS', envelope: { secure: true } });
  });

  it('nodemailer that verifies certificates refuses the self-signed one (so apps must opt out or bring their own)', async () => {
    const t = transport(sink(), { ignoreTLS: false, requireTLS: true });
    await expect(t.sendMail({ from: 'a@example.com', to: 'x@example.org', subject: 'strict', text: 'x' })).rejects.toThrow(/self[- ]signed certificate/);
    t.close();
  });

  it('Python smtplib starttls() then login(): stored as secure, with the user', async () => {
    const py = await smtplibSend(sink().smtpPort, { mode: 'starttls', login: { user: 'py-user', password: 'anything' }, subject: 'smtplib starttls' });
    expect(py).toMatchObject({ starttls: [220, '2.0.0 Ready to start TLS'], login: '235 2.7.0 Authentication successful', refused: {} });
    expect(await latest(sink())).toMatchObject({ subject: 'smtplib starttls', envelope: { secure: true, authUser: 'py-user', mailFrom: 'py@example.com' } });
  });

  it('curl --ssl-reqd smtp:// with --mail-rcpt', async () => {
    const result = await curlSend(`smtp://127.0.0.1:${sink().smtpPort}`, 'From: curl@example.com\r\nSubject: curl starttls\r\n\r\nhello\r\n', ['--ssl-reqd']);
    expect(result, result.stderr).toEqual({ exitCode: 0, stderr: '' });
    expect(await latest(sink())).toMatchObject({ subject: 'curl starttls', envelope: { mailFrom: 'curl@example.com', rcptTo: ['rcpt@example.org'], secure: true } });
  });
});

describe('STARTTLS with --tls-cert and --tls-key', () => {
  const write = useTmpFiles();
  let sink: Sink;
  let cert: string;
  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'own.test' }], { keyType: 'ec', algorithm: 'sha256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
    cert = pems.cert;
    sink = await startTestSink({ tlsCert: write('cert.pem', pems.cert), tlsKey: write('key.pem', pems.private) });
  });
  afterAll(() => sink?.stop());

  it('serves that certificate: a client that trusts it verifies the connection', async () => {
    expect(sink.tls.generated).toBe(false);
    expect(sink.tls.fingerprint256).toBe(new X509Certificate(cert).fingerprint256);
    const t = transport(sink, { ignoreTLS: false, requireTLS: true, tls: { ca: [cert] } });
    await t.sendMail({ from: 'a@example.com', to: 'own-cert@example.org', subject: 'own certificate', text: 'x' });
    t.close();
    expect(await latest(sink)).toMatchObject({ subject: 'own certificate', envelope: { secure: true } });
  });
});
