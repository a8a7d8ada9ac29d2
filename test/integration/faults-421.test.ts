/**
 * `421` closes the channel (RFC 5321 §3.8): at `connect` (instead of the greeting) and at
 * `mailFrom`, the client sees the code and the server closes the TCP connection, without waiting
 * for the client to QUIT. Seen by nodemailer and by a line-level client that watches the socket.
 * The rejection log records such a 421 as `disconnected: true` (a rule's and a built-in limit's).
 */
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { openSmtp } from '../helpers/smtp-session.js';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

describe('421', () => {
  const sink = useSink({
    faults: [
      { stage: 'connect', match: { remoteAddress: '127.0.0.2' }, reply: { code: 421, enhancedCode: '4.3.2', text: 'Too many connections, try again later' } },
      { stage: 'mailFrom', match: { mailFrom: '*@throttled.example' }, reply: { code: 421, enhancedCode: '4.7.0', text: 'Rate limit exceeded, closing connection' } },
    ],
  });

  it('at connect: the greeting is the 421 line, then the server closes the socket', async () => {
    const session = await openSmtp(sink().smtpPort, { localAddress: '127.0.0.2' });
    try {
      expect(await session.reply()).toBe('421 4.3.2 Too many connections, try again later');
      await session.waitClosed(); // we sent nothing: the server closed it
      expect(await session.command('EHLO client.example')).toBeNull();
    } finally {
      await session.close();
    }
  });

  it('at connect: nodemailer fails with the 421 reply', async () => {
    const t = transport(sink(), { localAddress: '127.0.0.2' });
    try {
      const err = (await t.sendMail({ from: 'app@example.com', to: 'a@example.org', text: 'x' }).catch((e: unknown) => e)) as SmtpError;
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ responseCode: 421, response: '421 4.3.2 Too many connections, try again later' });
    } finally {
      t.close();
    }
  });

  it('at mailFrom: the reply to MAIL FROM is the 421 line, then the server closes the socket', async () => {
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toMatch(/^220 /);
      expect(await session.command('EHLO client.example')).toMatch(/^250 /);
      expect(await session.command('MAIL FROM:<app@throttled.example>')).toBe('421 4.7.0 Rate limit exceeded, closing connection');
      await session.waitClosed();
      expect(await session.command('MAIL FROM:<app@example.com>')).toBeNull();
    } finally {
      await session.close();
    }
  });

  it('at mailFrom: nodemailer fails with the 421 reply on MAIL FROM and nothing is stored', async () => {
    const t = transport(sink());
    try {
      const err = (await t.sendMail({ from: 'app@throttled.example', to: 'a@example.org', text: 'x' }).catch((e: unknown) => e)) as SmtpError;
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ responseCode: 421, response: '421 4.7.0 Rate limit exceeded, closing connection', command: 'MAIL FROM' });
      expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);
    } finally {
      t.close();
    }
  });

  it('other clients and senders are served normally', async () => {
    const t = transport(sink());
    try {
      const info = await t.sendMail({ from: 'app@example.com', to: 'a@example.org', text: 'x' });
      expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    } finally {
      t.close();
    }
  });

  it('the rejection log records a 421 as disconnected (a rule without enhancedCode gets 4.3.2), other refusals not', async () => {
    await fetch(`${sink().httpUrl}/api/rejections`, { method: 'DELETE' });
    await api(sink(), '/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage: 'rcptTo', match: { rcptTo: '*@closing.example' }, reply: { code: 421 } }) });
    await api(sink(), '/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage: 'rcptTo', match: { rcptTo: '*@refused.example' }, reply: { code: 550 } }) });
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toMatch(/^220 /);
      expect(await session.command('EHLO client.example')).toMatch(/^250 /);
      expect(await session.command('MAIL FROM:<app@example.com>')).toBe('250 2.1.0 Accepted');
      expect(await session.command('RCPT TO:<a@refused.example>')).toBe('550 5.1.1 Requested action not taken: mailbox unavailable');
      expect(await session.command('RCPT TO:<a@closing.example>')).toBe('421 4.3.2 Service not available, closing transmission channel');
      await session.waitClosed();
    } finally {
      await session.close();
    }
    const second = await openSmtp(sink().smtpPort, { localAddress: '127.0.0.2' });
    try {
      expect(await second.reply()).toBe('421 4.3.2 Too many connections, try again later');
      await second.waitClosed();
    } finally {
      await second.close();
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections.map((r) => [r.stage, r.reply, r.disconnected])).toEqual([
      ['connect', '421 4.3.2 Too many connections, try again later', true],
      ['rcptTo', '421 4.3.2 Service not available, closing transmission channel', true],
      ['rcptTo', '550 5.1.1 Requested action not taken: mailbox unavailable', false],
    ]);
  });
});
