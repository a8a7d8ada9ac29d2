/**
 * Implicit TLS (SMTPS, RFC 8314 §3.3) on `--smtps-port`, besides the plain port: swaks `--tlsc`,
 * nodemailer `secure: true`, Python `SMTP_SSL` and curl `smtps://` are stored as `secure`.
 * Off by default.
 */
import { describe, expect, it } from 'vitest';
import type { Health, MessageDetail, Transcript } from '../../server/contract.js';
import { curlSend, smtplibSend } from '../helpers/clients.js';
import { api, startTestSink, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { swaks } from '../helpers/swaks.js';

describe('implicit TLS listener', () => {
  const sink = useSink({ smtpsPort: 0 });
  const latest = () => api<MessageDetail>(sink(), '/api/messages/latest');

  it('listens besides the plain port; health names both', async () => {
    expect(sink().smtpsPort).toBeGreaterThan(0);
    expect(sink().smtpsPort).not.toBe(sink().smtpPort);
    const health = await api<Health>(sink(), '/api/health');
    expect(health).toMatchObject({ smtpPort: sink().smtpPort, smtpPorts: [sink().smtpPort], smtpsPort: sink().smtpsPort });
  });

  it('swaks --tlsc: TLS from the first byte, no STARTTLS offered inside', async () => {
    const result = await swaks(sink().smtpsPort!, ['--tlsc', '--to', 'smtps@example.org', '--header', 'Subject: swaks tlsc']);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/=== TLS started with cipher TLSv1\.[23]/);
    expect(result.output.indexOf('=== TLS started')).toBeLessThan(result.output.indexOf('220 mailsink ESMTP ready'));
    expect(result.serverLines).not.toContain('250-STARTTLS');
    const message = await latest();
    expect(message).toMatchObject({ subject: 'swaks tlsc', envelope: { secure: true, rcptTo: ['smtps@example.org'] } });
    const transcript = await api<Transcript>(sink(), `/api/messages/${message.id}/transcript`);
    expect(transcript).toMatchObject({ secure: true, localPort: sink().smtpsPort });
    expect(transcript.lines[0]).toMatchObject({ direction: 'note', text: expect.stringMatching(/^TLS established: TLSv1\.[23], /) });
  });

  it('nodemailer secure: true', async () => {
    const t = transport(sink(), { port: sink().smtpsPort, secure: true, ignoreTLS: false, tls: { rejectUnauthorized: false } });
    const info = await t.sendMail({ from: 'a@example.com', to: 'nm@example.org', subject: 'nodemailer secure', text: 'x' });
    t.close();
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(await latest()).toMatchObject({ subject: 'nodemailer secure', envelope: { secure: true } });
  });

  it('Python smtplib SMTP_SSL with login', async () => {
    const py = await smtplibSend(sink().smtpsPort!, { mode: 'ssl', login: { user: 'ssl-user', password: 'x' }, subject: 'smtplib ssl' });
    expect(py).toMatchObject({ login: '235 2.7.0 Authentication successful', refused: {} });
    expect(py.features).not.toContain('starttls');
    expect(await latest()).toMatchObject({ subject: 'smtplib ssl', envelope: { secure: true, authUser: 'ssl-user' } });
  });

  it('curl smtps://', async () => {
    const result = await curlSend(`smtps://127.0.0.1:${sink().smtpsPort}`, 'Subject: curl smtps\r\n\r\nhello\r\n');
    expect(result, result.stderr).toEqual({ exitCode: 0, stderr: '' });
    expect(await latest()).toMatchObject({ subject: 'curl smtps', envelope: { secure: true } });
  });

  it('is off unless configured', async () => {
    const plain = await startTestSink();
    try {
      expect(plain.smtpsPort).toBeNull();
      expect(await api<Health>(plain, '/api/health')).toMatchObject({ smtpsPort: null });
    } finally {
      await plain.stop();
    }
  });
});
