/**
 * `rejection.recorded` on the WebSocket `/api/events` (the `ws` package as client): published for
 * every refused SMTP attempt, fault rule or built-in limit, with the same `Rejection` that
 * `GET /api/rejections` lists; a disabled rule refuses nothing and publishes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRule, Rejection } from '../../server/contract.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('rejection.recorded over WebSocket', () => {
  const sink = useSink({ maxMessageSize: 1024 });

  it('is published after a refused RCPT with the exact reply line, rule, envelope and transcript id', async () => {
    const [rule] = (await api<{ rules: FaultRule[] }>(sink(), '/api/faults', json('POST', { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user here' } }))).rules as [FaultRule];
    const events = await connectEvents(sink());
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toMatch(/^220 /);
      expect(await session.command('EHLO client.example')).toMatch(/^250 /);
      expect(await session.command('MAIL FROM:<app@example.com>')).toBe('250 2.1.0 Accepted');
      expect(await session.command('RCPT TO:<ok@example.org>')).toBe('250 2.1.5 Accepted');
      expect(await session.command('RCPT TO:<gone@bounce.example>')).toBe('550 5.1.1 No such user here');
      const event = await events.next('rejection.recorded');
      expect(event.rejection).toEqual({
        id: expect.stringMatching(/^[\w-]{12}$/), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        stage: 'rcptTo', ruleId: rule.id, ruleDescription: 'rcptTo matching *@bounce.example → 550 5.1.1', reply: '550 5.1.1 No such user here', disconnected: false, argument: 'gone@bounce.example',
        envelope: { mailFrom: 'app@example.com', rcptTo: ['ok@example.org'], heloName: 'client.example', remoteAddress: '127.0.0.1', authUser: null },
        transcriptId: expect.any(String),
      });
      const listed = await api<{ rejections: Rejection[] }>(sink(), '/api/rejections');
      expect(listed.rejections[0]).toEqual(event.rejection);
      const fired = events.received.findIndex((e) => e.type === 'fault.triggered');
      expect(events.received.findIndex((e) => e.type === 'rejection.recorded')).toBe(fired + 1);

      await api(sink(), `/api/faults/${rule.id}`, json('PATCH', { enabled: false }));
      expect(await session.command('RCPT TO:<again@bounce.example>')).toBe('250 2.1.5 Accepted');
      expect(await session.command('DATA')).toMatch(/^354 /);
      expect(await session.command(`Subject: big\r\n\r\n${'x'.repeat(2000)}\r\n.`)).toMatch(/^552 /); // a built-in limit is recorded too
      const limit = await events.next('rejection.recorded');
      expect([limit.rejection.stage, limit.rejection.ruleId, limit.rejection.ruleDescription, limit.rejection.reply?.slice(0, 4)]).toEqual(['data', null, null, '552 ']);
      expect(events.received.filter((e) => e.type === 'rejection.recorded')).toHaveLength(2); // the disabled rule published none
    } finally {
      await session.close();
      await events.close();
    }
  });
});
