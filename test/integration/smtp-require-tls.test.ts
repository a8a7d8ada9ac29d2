/**
 * `--require-tls`: AUTH and MAIL before STARTTLS get `530 5.7.0 Must issue a STARTTLS command
 * first` (RFC 3207 §4); after STARTTLS, and on the implicit-TLS port, mail goes through.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { smtplibSend } from '../helpers/clients.js';
import { api, useSink } from '../helpers/sink.js';
import { authPlain, openSmtp } from '../helpers/smtp-session.js';
import { transport } from '../helpers/smtp.js';
import { swaks } from '../helpers/swaks.js';

const REPLY = '530 5.7.0 Must issue a STARTTLS command first';

describe('--require-tls', () => {
  const sink = useSink({ requireTls: true, smtpsPort: 0 });

  it('refuses AUTH and MAIL in plain text with 530 5.7.0; EHLO, NOOP and STARTTLS still work', async () => {
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toBe('220 mailsink ESMTP ready');
      expect(await session.command('EHLO client.example')).toBe('250 SIZE 52428800');
      expect(await session.command(authPlain('user', 'pw'))).toBe(REPLY);
      expect(await session.command('MAIL FROM:<a@example.com>')).toBe(REPLY);
      expect(await session.command('NOOP')).toBe('250 2.0.0 OK');
      expect(await session.command('STARTTLS')).toBe('220 2.0.0 Ready to start TLS');
    } finally {
      await session.close();
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections[0]).toMatchObject({ stage: 'mailFrom', ruleId: null, reply: REPLY, argument: 'a@example.com' });
  });

  it('nodemailer without TLS fails with the 530; smtplib too', async () => {
    const t = transport(sink());
    await expect(t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'no tls', text: 'x' })).rejects.toMatchObject({ responseCode: 530, response: REPLY });
    t.close();
    expect(await smtplibSend(sink().smtpPort, { mode: 'plain', subject: 'no tls' })).toMatchObject({ error: '530 5.7.0 Must issue a STARTTLS command first' });
  });

  it('swaks --tls with AUTH after STARTTLS goes through; swaks without --tls gets the 530', async () => {
    const refused = await swaks(sink().smtpPort, ['--to', 'b@example.org']);
    expect({ exitCode: refused.exitCode, errorLines: refused.errorLines }).toEqual({ exitCode: 23, errorLines: [REPLY] });
    const ok = await swaks(sink().smtpPort, ['--tls', '--auth', 'LOGIN', '--auth-user', 'tls-user', '--auth-password', 'pw', '--to', 'b@example.org', '--header', 'Subject: after STARTTLS']);
    expect(ok.exitCode, ok.output).toBe(0);
    expect(await api<MessageDetail>(sink(), '/api/messages/latest')).toMatchObject({ subject: 'after STARTTLS', envelope: { secure: true, authUser: 'tls-user' } });
  });

  it('the implicit-TLS port needs no STARTTLS', async () => {
    const t = transport(sink(), { port: sink().smtpsPort, secure: true, ignoreTLS: false, tls: { rejectUnauthorized: false } });
    await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'smtps with require-tls', text: 'x' });
    t.close();
    expect(await api<MessageDetail>(sink(), '/api/messages/latest')).toMatchObject({ subject: 'smtps with require-tls', envelope: { secure: true } });
  });
});
