/**
 * `rcptTo` rules seen by nodemailer: a 550 for one of three recipients is reported in
 * `info.rejected` / `rejectedErrors` while the message is stored for the two others; a 452 with
 * `nth` refuses every 2nd matching recipient.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import type { FaultList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
  command?: string;
  recipient?: string;
}

describe('rcptTo 550 for one of three recipients (nodemailer)', () => {
  const sink = useSink({
    faults: [{ stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' } }],
  });

  it('stores the message for the two others and names the third in info.rejected with 550', async () => {
    const t = transport(sink());
    try {
      const info = await t.sendMail({ from: 'app@example.com', to: ['ann@example.org', 'gone@bounce.example', 'ben@example.org'], subject: 'partial', text: 'two of three' });
      expect(info.accepted).toEqual(['ann@example.org', 'ben@example.org']);
      expect(info.rejected).toEqual(['gone@bounce.example']);
      const errors = (info as unknown as { rejectedErrors: SmtpError[] }).rejectedErrors;
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ responseCode: 550, response: '550 5.1.1 Recipient address rejected', command: 'RCPT TO', recipient: 'gone@bounce.example' });

      const list = await api<MessageList>(sink(), '/api/messages');
      expect(list.total).toBe(1);
      const message = await api<MessageDetail>(sink(), '/api/messages/latest');
      expect(message.envelope.rcptTo).toEqual(['ann@example.org', 'ben@example.org']);
      expect(message.to.map((a) => a.address)).toEqual(['ann@example.org', 'gone@bounce.example', 'ben@example.org']); // the header is the app's
    } finally {
      t.close();
    }
  });

  it('fails the send when every recipient is refused, and stores nothing', async () => {
    const before = (await api<MessageList>(sink(), '/api/messages')).total;
    const t = transport(sink());
    try {
      const err = (await t.sendMail({ from: 'app@example.com', to: ['a@bounce.example', 'b@bounce.example'], subject: 'none', text: 'x' }).catch((e: unknown) => e)) as SmtpError & { rejected?: string[] };
      expect(err).toBeInstanceOf(Error);
      expect(err.rejected).toEqual(['a@bounce.example', 'b@bounce.example']);
      expect(err.responseCode).toBe(550);
      expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(before);
    } finally {
      t.close();
    }
  });
});

describe('rcptTo 452 on every 2nd matching recipient (nth: 2, nodemailer)', () => {
  const sink = useSink({ faults: [{ stage: 'rcptTo', match: { rcptTo: '*@busy.example', nth: 2 }, reply: { code: 452, enhancedCode: '4.5.3', text: 'Too many recipients' } }] });

  it('refuses the 2nd and 4th busy.example recipient, not other domains, and keeps counting across messages', async () => {
    const t = transport(sink());
    try {
      const first = await t.sendMail({ from: 'app@example.com', to: ['a@busy.example', 'x@example.org', 'b@busy.example', 'c@busy.example', 'd@busy.example'], subject: 'nth', text: 'x' });
      expect(first.accepted).toEqual(['a@busy.example', 'x@example.org', 'c@busy.example']);
      expect(first.rejected).toEqual(['b@busy.example', 'd@busy.example']);
      const errors = (first as unknown as { rejectedErrors: SmtpError[] }).rejectedErrors;
      expect(errors.map((e) => [e.recipient, e.responseCode, e.response])).toEqual([
        ['b@busy.example', 452, '452 4.5.3 Too many recipients'],
        ['d@busy.example', 452, '452 4.5.3 Too many recipients'],
      ]);
      const second = await t.sendMail({ from: 'app@example.com', to: ['e@busy.example', 'f@busy.example'], subject: 'nth', text: 'x' });
      expect([second.accepted, second.rejected]).toEqual([['e@busy.example'], ['f@busy.example']]);
      const message = await api<MessageDetail>(sink(), '/api/messages/latest');
      expect(message.envelope.rcptTo).toEqual(['e@busy.example']);
      expect((await api<FaultList>(sink(), '/api/faults')).rules[0]).toMatchObject({ matched: 6, hits: 3, description: 'rcptTo matching *@busy.example → 452 4.5.3, every 2nd' });
    } finally {
      t.close();
    }
  });
});
