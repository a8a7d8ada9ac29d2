/**
 * The delivery queue on a store shared by several instances (the contract PostgreSQL implements),
 * on a manual clock: nothing is sent unless the attempt is claimed; a lease held elsewhere is
 * looked at again when it ends; a delivery moved on by another instance is scheduled from the
 * stored state; an attempt cut short by a stop gives its lease back; auto-relay queues only when
 * the cluster-wide insert wins.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDeliveryStore } from '../../server/relay/delivery-store.js';
import type { Claim, DeliveryRecord } from '../../server/relay/delivery-store.js';
import { DeliveryQueue, LEASE_MS } from '../../server/relay/queue.js';
import type { AttemptRequest, AttemptResult } from '../../server/relay/smtp-client.js';
import type { Delivery } from '../../server/relay/types.js';
import { parseRelayUrl } from '../../server/relay/upstream.js';
import { ManualScheduler } from '../helpers/manual-scheduler.js';

/** A memory store that answers claims and inserts as told, and records what was asked. */
class SharedStore extends MemoryDeliveryStore {
  claims: Claim[] = [];
  asked: string[] = [];
  insertWins = true;
  async claim(messageId: string, attempts: number, leaseMs: number): Promise<Claim> {
    this.asked.push(`claim ${messageId} at ${attempts} for ${leaseMs}`);
    const claim = this.claims.shift() ?? { kind: 'claimed', record: this.get(messageId)! };
    if (claim.kind === 'moved') this.put(claim.record);
    return claim;
  }
  async unclaim(messageId: string): Promise<void> {
    this.asked.push(`unclaim ${messageId}`);
  }
  async putNew(record: DeliveryRecord): Promise<boolean> {
    this.asked.push(`insert ${record.delivery.messageId}`);
    if (this.insertWins) this.put(record);
    return this.insertWins;
  }
}

const T0 = '2026-01-01T00:00:00.000Z';
const retry: AttemptResult & { refused: [] } = { code: 421, reply: '421 x', error: null, outcome: 'retry', transcript: [], refused: [] };
const delivery = (attempts: number, nextAttemptAt: string | null): Delivery => ({
  messageId: 'm1', state: nextAttemptAt ? (attempts ? 'retrying' : 'queued') : 'delivered', reason: 'release', mailFrom: '', rcptTo: ['b@y.example'], upstream: 'smtp://127.0.0.1:2525', queuedAt: T0, nextAttemptAt, endReason: null,
  attempts: Array.from({ length: attempts }, (_, i) => ({ number: i + 1, time: T0, durationMs: 0, ...retry })),
});
/** Lets the claim's promise and what follows it run (no I/O: a turn of the event loop). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(store: SharedStore) {
  const scheduler = new ManualScheduler();
  const published: Delivery[] = [];
  const sent: AttemptRequest[] = [];
  let onSend: () => void = () => undefined;
  const queue = new DeliveryQueue({
    settings: { upstream: parseRelayUrl('smtp://127.0.0.1:2525'), tlsVerify: true, allow: [], deny: [], retryInitialMs: 1000, maxAttempts: 5, maxAgeMs: 3_600_000 },
    storage: store, scheduler, publish: (d) => published.push(d),
    send: async (request) => (sent.push(request), onSend(), retry),
  });
  return { queue, scheduler, published, sent, setOnSend: (fn: () => void) => (onSend = fn) };
}

describe('DeliveryQueue on a shared store', () => {
  it('resumes a stored delivery; busy waits for the lease, moved reschedules from the stored state, claimed sends', async () => {
    const store = new SharedStore();
    store.put({ delivery: delivery(1, '2026-01-01T00:00:01.000Z'), raw: Buffer.from('x') });
    store.claims = [{ kind: 'busy', retryInMs: 300 }, { kind: 'moved', record: { delivery: delivery(2, '2026-01-01T00:00:05.000Z'), raw: Buffer.from('x') } }];
    const { scheduler, published, sent } = setup(store);
    expect(scheduler.next()).toBe(1000); // resumed at its stored time
    await settle();
    expect([sent.length, scheduler.timers.map((t) => t.at - scheduler.time)]).toEqual([0, [300]]);
    expect(scheduler.next()).toBe(300);
    await settle();
    expect([sent.length, published.map((d) => d.attempts.length)]).toEqual([0, [2]]);
    expect(scheduler.next()).toBe(3700); // the other instance's next attempt time
    await settle();
    expect(sent.length).toBe(1);
    expect(published.map((d) => [d.state, d.attempts.length])).toEqual([['retrying', 2], ['retrying', 3]]);
    expect(store.asked).toEqual([`claim m1 at 1 for ${LEASE_MS}`, `claim m1 at 1 for ${LEASE_MS}`, `claim m1 at 2 for ${LEASE_MS}`]);
  });

  it('an attempt cut short by close() is not recorded and gives its lease back', async () => {
    const store = new SharedStore();
    store.put({ delivery: delivery(0, T0), raw: Buffer.from('x') });
    const { queue, scheduler, published, setOnSend } = setup(store);
    let closing: Promise<void> | undefined;
    setOnSend(() => (closing = queue.close()));
    scheduler.next();
    await settle();
    await closing;
    expect([published, store.asked, store.get('m1')!.delivery.attempts]).toEqual([[], [`claim m1 at 0 for ${LEASE_MS}`, 'unclaim m1'], []]);
  });

  it('enqueueOnce queues only when the cluster-wide insert wins', async () => {
    const request = { messageId: 'm1', reason: 'auto-relay' as const, mailFrom: '', rcptTo: ['b@y.example'], raw: Buffer.from('x') };
    const lost = new SharedStore();
    lost.insertWins = false;
    const a = setup(lost);
    expect(await a.queue.enqueueOnce(request)).toBeUndefined();
    expect([a.published, a.scheduler.timers, lost.asked]).toEqual([[], [], ['insert m1']]);
    const won = new SharedStore();
    const b = setup(won);
    expect(await b.queue.enqueueOnce(request)).toMatchObject({ state: 'queued', reason: 'auto-relay' });
    expect(await b.queue.enqueueOnce(request)).toBeUndefined(); // once per message
    expect([b.published.map((d) => d.state), b.scheduler.timers.length, won.asked]).toEqual([['queued'], 1, ['insert m1']]);
  });
});
