/**
 * The SMTP limits and the exact reply each gives: `--max-recipients` → `452 4.5.3`,
 * `--max-connections` → `421 4.3.2` (all ports together), `--idle-timeout` → `421 4.4.2`,
 * `--max-line-length` → `421 4.5.0` (a `421` closes the connection, RFC 5321 §3.8). Message lines
 * are not limited by `--max-line-length`.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, Transcript } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';
import type { SmtpSession } from '../helpers/smtp-session.js';
import { transport } from '../helpers/smtp.js';

async function greeted(port: number): Promise<SmtpSession> {
  const session = await openSmtp(port);
  expect(await session.reply()).toBe('220 mailsink ESMTP ready');
  return session;
}

describe('--max-recipients', () => {
  const sink = useSink({ maxRecipients: 3 });

  it('answers 452 4.5.3 past the limit; a repeated recipient does not count; the message keeps the accepted ones', async () => {
    const session = await greeted(sink().smtpPort);
    try {
      expect(await session.command('EHLO client.example')).toBe('250 SIZE 52428800');
      expect(await session.command('MAIL FROM:<a@example.com>')).toBe('250 2.1.0 Accepted');
      for (const n of [1, 2, 3]) expect(await session.command(`RCPT TO:<r${n}@example.org>`)).toBe('250 2.1.5 Accepted');
      expect(await session.command('RCPT TO:<r4@example.org>')).toBe('452 4.5.3 Too many recipients');
      expect(await session.command('RCPT TO:<R2@example.org>')).toBe('250 2.1.5 Accepted');
      expect(await session.command('DATA')).toBe('354 End data with <CR><LF>.<CR><LF>');
      expect(await session.command('Subject: capped\r\n\r\nx\r\n.')).toMatch(/^250 2\.0\.0 Ok: queued as /);
    } finally {
      await session.close();
    }
    expect((await api<MessageDetail>(sink(), '/api/messages/latest')).envelope.rcptTo).toEqual(['r1@example.org', 'R2@example.org', 'r3@example.org']);
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections[0]).toMatchObject({ stage: 'rcptTo', ruleId: null, reply: '452 4.5.3 Too many recipients', argument: 'r4@example.org', envelope: { rcptTo: ['r1@example.org', 'r2@example.org', 'r3@example.org'] } });
  });

  it('nodemailer reports the refused recipients and the message is stored for the others', async () => {
    const t = transport(sink());
    const info = await t.sendMail({ from: 'a@example.com', to: ['n1@example.org', 'n2@example.org', 'n3@example.org', 'n4@example.org', 'n5@example.org'], subject: 'many', text: 'x' });
    t.close();
    expect(info.rejected).toEqual(['n4@example.org', 'n5@example.org']);
    expect(info.rejectedErrors?.map((e) => (e as Error & { response: string }).response)).toEqual(['452 4.5.3 Too many recipients', '452 4.5.3 Too many recipients']);
    expect((await api<MessageDetail>(sink(), '/api/messages/latest')).envelope.rcptTo).toEqual(['n1@example.org', 'n2@example.org', 'n3@example.org']);
  });
});

describe('--max-connections', () => {
  const sink = useSink({ maxConnections: 2, smtpPorts: [0, 0] });

  it('refuses a connection past the limit (counted over every port) with 421 4.3.2 and closes it; a freed slot is reused', async () => {
    const first = await greeted(sink().smtpPorts[0]!);
    const second = await greeted(sink().smtpPorts[1]!);
    const third = await openSmtp(sink().smtpPorts[0]!);
    try {
      expect(await third.reply()).toBe('421 4.3.2 Too many connections, try again later');
      await third.waitClosed();
      expect(await first.command('QUIT')).toBe('221 2.0.0 Bye'); // the server has let go of it once it answers
      const fourth = await greeted(sink().smtpPorts[1]!);
      expect(await fourth.command('QUIT')).toBe('221 2.0.0 Bye');
    } finally {
      await Promise.all([first.close(), second.close(), third.close()]);
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections[0]).toMatchObject({ stage: 'connect', ruleId: null, reply: '421 4.3.2 Too many connections, try again later', argument: '127.0.0.1' });
  });
});

describe('--idle-timeout', () => {
  // Long against the EHLO round trip that must beat it on a loaded machine (300 ms lost that race).
  const sink = useSink({ idleTimeoutMs: 2_000 });

  it('closes a session that sends nothing with 421 4.4.2, before and after EHLO', async () => {
    const silent = await greeted(sink().smtpPort);
    expect(await silent.reply(5_000)).toBe('421 4.4.2 Idle timeout, closing connection');
    await silent.waitClosed();

    const idleAfterEhlo = await greeted(sink().smtpPort);
    expect(await idleAfterEhlo.command('EHLO client.example')).toBe('250 SIZE 52428800');
    expect(await idleAfterEhlo.reply(5_000)).toBe('421 4.4.2 Idle timeout, closing connection');
    await idleAfterEhlo.waitClosed();
  });
});

describe('--max-line-length', () => {
  const sink = useSink({ maxLineLength: 512 });

  it('accepts a 512-octet command line; a longer one gets 421 4.5.0 and the connection closes', async () => {
    const session = await greeted(sink().smtpPort);
    expect(await session.command(`NOOP ${'x'.repeat(507)}`)).toBe('250 2.0.0 OK');
    expect(await session.command(`NOOP ${'x'.repeat(508)}`)).toBe('421 4.5.0 Line too long, closing connection');
    await session.waitClosed();
  });

  it('does not limit message lines: a 5000-octet line is stored as sent', async () => {
    const line = `X-Long: ${'y'.repeat(5000)}`;
    const raw = `${line}\r\nSubject: long line\r\n\r\n${'z'.repeat(5000)}\r\n`;
    const session = await greeted(sink().smtpPort);
    try {
      for (const command of ['EHLO client.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA']) await session.command(command);
      const reply = await session.command(`${raw}.`);
      expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as /);
      const id = reply!.split(' ').pop()!;
      const stored = Buffer.from(await (await fetch(`${sink().httpUrl}/api/messages/${id}/raw`)).arrayBuffer());
      expect(stored.equals(Buffer.from(raw))).toBe(true);
      const transcript = await api<Transcript>(sink(), `/api/messages/${id}/transcript`);
      expect(transcript.lines.map((l) => l.text)).not.toContain(line);
    } finally {
      await session.close();
    }
  });
});
