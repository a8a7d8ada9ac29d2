/**
 * `delayMs` holds back one session's reply without blocking others: asserted by the order in which
 * things happen (a connection opened later is greeted and a message sent later is stored before
 * the delayed reply arrives), never by wall time. The delay's clock is the test's: the sink's
 * `setTimeout` of `node:timers/promises` is replaced for exactly `DELAY_MS` by a gate the test opens
 * once the other session is done (other durations keep the real timer), so a slow machine cannot
 * let the delay run out first; the sink must ask for exactly the rule's `delayMs`.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { openSmtp } from '../helpers/smtp-session.js';

/** Delays of `DELAY_MS` the sink started and the test has not ended yet. */
const delays = vi.hoisted(() => ({ DELAY_MS: 1_500, held: [] as Array<() => void> }));
const { DELAY_MS } = delays;

vi.mock('node:timers/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:timers/promises')>();
  const setTimeout = <T = void>(ms?: number, value?: T, options?: Parameters<typeof real.setTimeout>[2]): Promise<T> =>
    ms === delays.DELAY_MS ? new Promise<T>((resolve) => delays.held.push(() => resolve(value as T))) : real.setTimeout(ms, value, options);
  return { ...real, setTimeout, default: { ...real, setTimeout } };
});

/** Ends the one delay the sink is in (it must be in exactly one). */
function endDelay(): void {
  expect(delays.held).toHaveLength(1);
  delays.held.shift()!();
}

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
      endDelay();
      expect(await slow.reply()).toMatch(/^220 /);
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
      endDelay();
      expect(await slow.reply()).toBe('451 4.4.1 Timeout talking to the next hop');
      expect(order.slice(-2)).toEqual(['other client: stored', 'slow: 451 4.4.1 Timeout talking to the next hop']);
      expect((await api<MessageList>(sink(), '/api/messages')).messages.map((m) => m.subject)).toEqual(['sent later']);
    } finally {
      await slow.close();
      await events.close();
    }
  });
});
