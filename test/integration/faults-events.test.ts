/**
 * WebSocket events of fault injection: `faults.changed` (with the full rule list) on every change
 * over REST, and `fault.triggered` (rule id, stage, code, disconnect, client address) each time a
 * rule fires, then `rejection.recorded` for the refused command, in `seq` order with the other events.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRule, SinkEvent } from '../../server/contract.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describe('fault events over WebSocket', () => {
  const sink = useSink();

  it('faults.changed on add, remove one, remove all; fault.triggered per firing; seq rises by one', async () => {
    const events = await connectEvents(sink());
    try {
      const { rules } = await api<{ rules: FaultRule[] }>(sink(), '/api/faults', post([
        { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' } },
        { stage: 'mailFrom', match: { mailFrom: '*@slow.example' }, delayMs: 1 },
        { stage: 'rcptTo', match: { rcptTo: '*@drop.example' }, disconnect: true },
      ]));
      const [bounce, slow, drop] = rules as [FaultRule, FaultRule, FaultRule];
      const added = await events.next('faults.changed');
      expect(added.rules).toEqual(rules);

      const t = transport(sink());
      try {
        const info = await t.sendMail({ from: 'app@slow.example', to: ['ok@example.org', 'x@bounce.example'], text: 'x' });
        expect(info.rejected).toEqual(['x@bounce.example']);
        await t.sendMail({ from: 'app@example.com', to: 'x@drop.example', text: 'x' }).catch(() => undefined);
      } finally {
        t.close();
      }
      const triggered = [await events.next('fault.triggered'), await events.next('fault.triggered'), await events.next('fault.triggered')];
      expect(triggered.map(({ seq: _seq, ...event }) => event)).toEqual([
        { type: 'fault.triggered', ruleId: slow.id, stage: 'mailFrom', code: null, disconnect: false, remoteAddress: '127.0.0.1' },
        { type: 'fault.triggered', ruleId: bounce.id, stage: 'rcptTo', code: 550, disconnect: false, remoteAddress: '127.0.0.1' },
        { type: 'fault.triggered', ruleId: drop.id, stage: 'rcptTo', code: null, disconnect: true, remoteAddress: '127.0.0.1' },
      ]);

      expect((await fetch(`${sink().httpUrl}/api/faults/${slow.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await events.next('faults.changed')).rules.map((r) => r.id)).toEqual([bounce.id, drop.id]);
      expect((await fetch(`${sink().httpUrl}/api/faults`, { method: 'DELETE' })).status).toBe(204);
      expect((await events.next('faults.changed')).rules).toEqual([]);

      // The one stored message is announced once it is parsed, after its own two fault firings;
      // where it falls among the later events depends on how long that parse took.
      // (Looked for in everything received: `next` only looks past the events it already returned.)
      await events.until('message.received', (all) => all.some((e) => e.type === 'message.received'));
      const received = events.received.find((e) => e.type === 'message.received');
      expect(received?.type === 'message.received' && received.message.envelope).toEqual({ mailFrom: 'app@slow.example', rcptTo: ['ok@example.org'] });
      const types = events.received.map((e: SinkEvent) => e.type);
      expect(types.filter((type) => type !== 'message.received')).toEqual([
        'hello', 'faults.changed', 'fault.triggered', 'fault.triggered', 'rejection.recorded', 'fault.triggered', 'rejection.recorded', 'faults.changed', 'faults.changed',
      ]);
      expect(types.indexOf('message.received')).toBeGreaterThan(3);
      expect(events.received.map((e) => e.seq)).toEqual(types.map((_, i) => i));
    } finally {
      await events.close();
    }
  });
});
