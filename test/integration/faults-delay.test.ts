/**
 * `delayMs` holds back one session's reply without blocking others: asserted by the order in which
 * things happen (a connection opened later is greeted and a message sent later is stored before
 * the delayed reply arrives), never by wall time. The delay is long against what the other session
 * does, and the second session starts only once the rule has fired (`fault.triggered`).
 */
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { openSmtp } from '../helpers/smtp-session.js';

const DELAY_MS = 1_500;

describe('delayMs', () => {
  const sink = useSink({
    faults: [
      { stage: 'connect', match: { remoteAddress: '127.0.0.2' }, delayMs: DELAY_MS },
      { stage: 'rcptTo', match: { rcptTo: '*@slow.example' }, delayMs: DELAY_MS, reply: { code: 451, enhancedCode: '4.4.1', text: 'Timeout talking to the next hop' } },
    ],
  });

  it('a delay-only connect rule: a client connecting later is greeted first; the delayed one then gets the normal greeting', async () => {
    const order: string[] = [];
    const events = await connectEvents(sink());
    const slow = await openSmtp(sink().smtpPort, { localAddress: '127.0.0.2', onReply: (line) => order.push(`slow: ${line}`) });
    try {
      expect(await events.next('fault.triggered')).toMatchObject({ stage: 'connect', code: null, disconnect: false, remoteAddress: '127.0.0.2' });
      const fast = await openSmtp(sink().smtpPort, { onReply: (line) => order.push(`fast: ${line}`) });
      try {
        expect(await fast.reply()).toMatch(/^220 /);
      } finally {
        await fast.close();
      }
      expect(await slow.reply(DELAY_MS + 5_000)).toMatch(/^220 /);
      expect(order.map((entry) => entry.slice(0, 10))).toEqual(['fast: 220 ', 'slow: 220 ']);
    } finally {
      await slow.close();
      await events.close();
    }
  });

  it('a delayed 451 at rcptTo arrives after a message sent later by another client was stored', async () => {
    const order: string[] = [];
    const events = await connectEvents(sink());
    const slow = await openSmtp(sink().smtpPort, { onReply: (line) => order.push(`slow: ${line}`) });
    try {
      expect(await slow.reply()).toMatch(/^220 /);
      expect(await slow.command('EHLO client.example')).toMatch(/^250 /);
      expect(await slow.command('MAIL FROM:<app@example.com>')).toBe('250 2.1.0 Accepted');
      slow.send('RCPT TO:<user@slow.example>');
      expect(await events.next('fault.triggered')).toMatchObject({ stage: 'rcptTo', code: 451 });

      const t = transport(sink());
      try {
        await t.sendMail({ from: 'other@example.com', to: 'user@example.org', subject: 'sent later', text: 'x' });
        order.push('other client: stored');
      } finally {
        t.close();
      }
      expect(await slow.reply(DELAY_MS + 5_000)).toBe('451 4.4.1 Timeout talking to the next hop');
      expect(order.slice(-2)).toEqual(['other client: stored', 'slow: 451 4.4.1 Timeout talking to the next hop']);
      expect((await api<MessageList>(sink(), '/api/messages')).messages.map((m) => m.subject)).toEqual(['sent later']);
    } finally {
      await slow.close();
      await events.close();
    }
  });
});
