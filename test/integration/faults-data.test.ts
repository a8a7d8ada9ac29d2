/**
 * `data` rules fire after the whole message was read (the message is then not stored): a `554`
 * with `times: 1` fails the first send only; rules can match the decoded subject or any accepted
 * recipient. Seen by nodemailer.
 */
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import type { FaultList, RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
  command?: string;
}

const send = async (sink: Parameters<typeof transport>[0], mail: Record<string, unknown>) => {
  const t = transport(sink);
  try {
    return await t.sendMail({ from: 'app@example.com', to: 'user@example.org', text: 'body', ...mail });
  } finally {
    t.close();
  }
};

describe('data 554 with times: 1', () => {
  const sink = useSink({ faults: [{ stage: 'data', reply: { code: 554, enhancedCode: '5.6.0', text: 'Message rejected as spam' }, times: 1 }] });

  it('the first send fails with 554 after DATA and stores nothing; the second send succeeds', async () => {
    const err = (await send(sink(), { subject: 'first' }).catch((e: unknown) => e)) as SmtpError;
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ responseCode: 554, response: '554 5.6.0 Message rejected as spam', command: 'DATA' });
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);

    const info = await send(sink(), { subject: 'second' });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => m.subject)).toEqual(['second']);
    expect((await api<FaultList>(sink(), '/api/faults')).rules[0]).toMatchObject({ hits: 1, active: false });

    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections).toEqual([
      expect.objectContaining({ stage: 'data', reply: '554 5.6.0 Message rejected as spam', argument: null, envelope: expect.objectContaining({ mailFrom: 'app@example.com', rcptTo: ['user@example.org'] }) }),
    ]);
  });
});

describe('data rules matching subject and recipients', () => {
  const sink = useSink({
    faults: [
      { stage: 'data', match: { subject: '/^\\[spam\\]/i' }, reply: { code: 550, enhancedCode: '5.7.1', text: 'Message content rejected' } },
      { stage: 'data', match: { rcptTo: '*@full.example' }, reply: { code: 452, enhancedCode: '4.2.2', text: 'Mailbox full' } },
    ],
  });

  it('matches the decoded subject (RFC 2047)', async () => {
    const err = (await send(sink(), { subject: '[SPAM] Grüße' }).catch((e: unknown) => e)) as SmtpError;
    expect(err).toMatchObject({ responseCode: 550, response: '550 5.7.1 Message content rejected' });
    expect((await send(sink(), { subject: 'Re: [spam] report' })).response).toMatch(/^250 /);
  });

  it('matches any accepted recipient of the transaction', async () => {
    const err = (await send(sink(), { to: ['ok@example.org', 'someone@full.example'], subject: 'hello' }).catch((e: unknown) => e)) as SmtpError;
    expect(err).toMatchObject({ responseCode: 452, response: '452 4.2.2 Mailbox full' });
    expect((await api<MessageList>(sink(), '/api/messages')).messages.map((m) => m.subject)).toEqual(['Re: [spam] report']);
  });
});
