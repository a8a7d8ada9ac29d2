/**
 * `auth` rules: nodemailer configured with credentials gets `535 5.7.8` for a matching user (and
 * sends nothing), other users log in and their mail is stored with `envelope.authUser`; a `454`
 * with `times: 1` fails one login only. Later stages can match on the logged-in user.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

describe('auth rules (nodemailer with auth)', () => {
  const sink = useSink({
    faults: [
      { stage: 'auth', match: { authUser: 'blocked@example.com' }, reply: { code: 535, enhancedCode: '5.7.8' } },
      { stage: 'auth', match: { authUser: 'flaky' }, reply: { code: 454, enhancedCode: '4.7.0' }, times: 1 },
      { stage: 'mailFrom', match: { authUser: 'limited' }, reply: { code: 550, enhancedCode: '5.7.1', text: 'Sending not allowed for this user' } },
    ],
  });

  const send = async (user: string) => {
    const t = transport(sink(), { auth: { user, pass: 'secret' } });
    try {
      return await t.sendMail({ from: 'app@example.com', to: 'user@example.org', subject: `from ${user}`, text: 'x' });
    } finally {
      t.close();
    }
  };

  it('535 for the matching user: nodemailer fails with EAUTH and nothing is stored', async () => {
    const err = (await send('blocked@example.com').catch((e: unknown) => e)) as SmtpError;
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication credentials invalid' });
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections[0]).toMatchObject({ stage: 'auth', reply: '535 5.7.8 Authentication credentials invalid', argument: 'blocked@example.com', envelope: { authUser: 'blocked@example.com', mailFrom: '', rcptTo: [] } });
  });

  it('another user logs in; the message records the user', async () => {
    await send('alice');
    const message = await api<MessageDetail>(sink(), '/api/messages/latest');
    expect(message.envelope.authUser).toBe('alice');
  });

  it('454 with times: 1 fails one login, the retry gets in', async () => {
    const err = (await send('flaky').catch((e: unknown) => e)) as SmtpError;
    expect(err).toMatchObject({ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Temporary authentication failure' });
    expect((await send('flaky')).response).toMatch(/^250 /);
  });

  it('a mailFrom rule matching the logged-in user', async () => {
    const err = (await send('limited').catch((e: unknown) => e)) as SmtpError;
    expect(err).toMatchObject({ responseCode: 550, response: '550 5.7.1 Sending not allowed for this user' });
  });
});
