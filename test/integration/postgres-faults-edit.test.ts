/**
 * Two sinks on one PostgreSQL database: a fault rule edited (`PUT`), disabled (`PATCH`) or
 * reordered (`PUT /api/faults/order`) over REST on one instance reaches the other, which announces
 * it as `faults.changed` and answers SMTP by it; each instance keeps its own `lastFired` through them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../server/contract.js';
import type { FaultList } from '../../server/http/faults-routes.js';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { startPostgres } from '../helpers/postgres.js';
import type { TestPostgres } from '../helpers/postgres.js';
import { api, startTestSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The reply to `RCPT TO:<rcpt>` in a new session. */
async function rcptReply(sink: Sink, rcpt: string): Promise<string | null> {
  const session = await openSmtp(sink.smtpPort);
  try {
    await session.reply();
    await session.command('EHLO client.example');
    await session.command('MAIL FROM:<app@example.com>');
    return await session.command(`RCPT TO:<${rcpt}>`);
  } finally {
    await session.close();
  }
}

/** Resolves once `events` has received a `faults.changed` whose rules satisfy `test`. */
function changed(events: EventClient, what: string, test: (rules: FaultRule[]) => boolean): Promise<void> {
  return events.until(what, (all) => all.some((e) => e.type === 'faults.changed' && test(e.rules)), 20_000);
}

describe('fault rule edits across a PostgreSQL cluster', () => {
  let postgres: TestPostgres;
  let a: Sink;
  let b: Sink;
  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('faults_rest');
    a = await startTestSink({ storage: url });
    b = await startTestSink({ storage: url });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await postgres?.close();
  });

  it('PUT and reorder on A, PATCH on B: each instance applies the other\'s change', async () => {
    const [eventsA, eventsB] = [await connectEvents(a), await connectEvents(b)];
    try {
      const { rules } = await api<{ rules: FaultRule[] }>(a, '/api/faults', json('POST', [
        { stage: 'rcptTo', match: { rcptTo: '*@both.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'First' } },
        { stage: 'rcptTo', match: { rcptTo: '*@both.example' }, reply: { code: 551, enhancedCode: '5.1.6', text: 'Second' } },
      ]));
      const [first, second] = rules as [FaultRule, FaultRule];
      await changed(eventsB, 'two rules on B', (r) => r.length === 2);

      await api(a, `/api/faults/${first.id}`, json('PUT', { stage: 'rcptTo', match: { rcptTo: '*@both.example' }, reply: { code: 451, enhancedCode: '4.7.1', text: 'Edited' } }));
      await changed(eventsB, 'the edit on B', (r) => r[0]?.reply?.code === 451);
      expect(await rcptReply(b, 'x@both.example')).toBe('451 4.7.1 Edited');

      await api(b, `/api/faults/${first.id}`, json('PATCH', { enabled: false }));
      await changed(eventsA, 'the disabled rule on A', (r) => r[0]?.enabled === false);
      expect(await rcptReply(a, 'x@both.example')).toBe('551 5.1.6 Second');

      await api(b, `/api/faults/${first.id}`, json('PATCH', { enabled: true }));
      // The list is shared whole (last write wins): A reorders once it has B's change.
      await eventsA.until('the rule enabled again on A', (all) => {
        const lists = all.flatMap((e) => (e.type === 'faults.changed' ? [e.rules] : []));
        const disabledAt = lists.findIndex((r) => r[0]?.enabled === false);
        return disabledAt !== -1 && lists.slice(disabledAt + 1).some((r) => r[0]?.enabled === true);
      }, 20_000);
      await api(a, '/api/faults/order', json('PUT', { ids: [second.id, first.id] }));
      await changed(eventsB, 'the new order on B', (r) => r[0]?.id === second.id && r[1]?.enabled === true);
      expect((await api<FaultList>(b, '/api/faults')).rules.map((r) => [r.id, r.enabled, r.reply?.code])).toEqual([[second.id, true, 551], [first.id, true, 451]]);
      expect(await rcptReply(b, 'y@both.example')).toBe('551 5.1.6 Second');
      expect((await api<FaultList>(a, '/api/faults')).rules.map((r) => [r.id, r.enabled])).toEqual([[second.id, true], [first.id, true]]);
      // lastFired is per instance and survives the other instance's changes (kept by replace like the counts).
      const fired = (rules: FaultRule[]) => rules.map((r) => [r.id, r.lastFired?.code ?? null, r.lastFired?.remoteAddress ?? null]);
      expect(fired((await api<FaultList>(b, '/api/faults')).rules)).toEqual([[second.id, 551, '127.0.0.1'], [first.id, 451, '127.0.0.1']]);
      expect(fired((await api<FaultList>(a, '/api/faults')).rules)).toEqual([[second.id, 551, '127.0.0.1'], [first.id, null, null]]);
    } finally {
      await eventsA.close();
      await eventsB.close();
    }
  });
});
