/**
 * The delivery queue on a manual clock (no timers, no sockets): backoff times `initial × 2^(n−1)`,
 * the outcome of each reply class, `maxAttempts`, `maxAge`, one active delivery per message, and
 * `close()` cancelling what is scheduled.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDeliveryStore } from '../../server/relay/delivery-store.js';
import { DeliveryQueue, RelayError } from '../../server/relay/queue.js';
import type { RelaySettings } from '../../server/relay/queue.js';
import type { AttemptResult } from '../../server/relay/smtp-client.js';
import type { Delivery } from '../../server/relay/types.js';
import { parseRelayUrl } from '../../server/relay/upstream.js';
import { ManualScheduler } from '../helpers/manual-scheduler.js';

const reply = (code: number): AttemptResult => ({ code, reply: `${code} x`, error: null, outcome: code < 300 ? 'delivered' : code < 500 ? 'retry' : 'failed', transcript: [] });

function setup(replies: AttemptResult[], settings: Partial<RelaySettings> = {}) {
  const scheduler = new ManualScheduler();
  const published: Delivery[] = [];
  const waiters: (() => void)[] = [];
  const queue = new DeliveryQueue({
    settings: { upstream: parseRelayUrl('smtp://127.0.0.1:2525'), tlsVerify: true, allow: [], deny: [], retryInitialMs: 1000, maxAttempts: 5, maxAgeMs: 3_600_000, ...settings },
    storage: new MemoryDeliveryStore(),
    scheduler,
    publish: (d) => {
      published.push(d);
      waiters.splice(0).forEach((w) => w());
    },
    send: async () => {
      scheduler.time += 7; // each attempt takes 7 ms
      return replies.shift() ?? reply(250);
    },
  });
  /** Runs the next timer and waits for the attempt it started to be published. */
  const step = async () => {
    const published = new Promise<void>((resolve) => waiters.push(resolve));
    const waited = scheduler.next();
    await published;
    return waited;
  };
  const enqueue = () => queue.enqueue({ messageId: 'm1', reason: 'release', mailFrom: 'a@x.example', rcptTo: ['b@y.example'], raw: Buffer.from('x') });
  return { queue, scheduler, published, step, enqueue };
}

describe('DeliveryQueue', () => {
  it('retries 4xx and connection failures after initial × 2^(n−1), then delivers', async () => {
    const { queue, step, enqueue, published } = setup([reply(421), { code: null, reply: null, error: 'ECONNREFUSED', outcome: 'retry', transcript: [] }, reply(451)]);
    enqueue();
    expect([await step(), await step(), await step(), await step()]).toEqual([0, 1000, 2000, 4000]);
    expect(published.map((d) => [d.state, d.attempts.length, d.nextAttemptAt])).toEqual([
      ['queued', 0, '2026-01-01T00:00:00.000Z'], ['retrying', 1, '2026-01-01T00:00:01.007Z'], ['retrying', 2, '2026-01-01T00:00:03.014Z'], ['retrying', 3, '2026-01-01T00:00:07.021Z'], ['delivered', 4, null],
    ]);
    expect(queue.get('m1')!.attempts.map((a) => [a.time, a.durationMs, a.code])).toEqual([
      ['2026-01-01T00:00:00.000Z', 7, 421], ['2026-01-01T00:00:01.007Z', 7, null], ['2026-01-01T00:00:03.014Z', 7, 451], ['2026-01-01T00:00:07.021Z', 7, 250],
    ]);
  });

  it('5xx fails at once; maxAttempts and maxAge end it as failed', async () => {
    const hard = setup([reply(554)]);
    hard.enqueue();
    await hard.step();
    expect([hard.queue.get('m1')!.state, hard.queue.get('m1')!.endReason, hard.scheduler.timers]).toEqual(['failed', 'reply', []]);
    const attempts = setup([reply(421), reply(421), reply(421)], { maxAttempts: 3 });
    attempts.enqueue();
    for (let i = 0; i < 3; i++) await attempts.step();
    expect([attempts.queue.get('m1')!.state, attempts.queue.get('m1')!.endReason, attempts.queue.get('m1')!.attempts.length]).toEqual(['failed', 'max-attempts', 3]);
    const age = setup([reply(421), reply(421), reply(421)], { maxAgeMs: 2500 }); // 2nd attempt at 1.007 s; a 3rd would be at 3.014 s
    age.enqueue();
    await age.step();
    await age.step();
    expect([age.queue.get('m1')!.state, age.queue.get('m1')!.endReason, age.queue.get('m1')!.attempts.length]).toEqual(['failed', 'max-age', 2]);
  });

  it('one active delivery per message; none without an upstream; close cancels the schedule', async () => {
    const { queue, scheduler, enqueue, step } = setup([reply(421)]);
    enqueue();
    expect(enqueue).toThrow(new RelayError('delivery_in_progress', 'message m1 is already queued'));
    await step();
    expect(enqueue).toThrow('message m1 is already retrying');
    await queue.close();
    expect(scheduler.timers).toEqual([]);
    expect(queue.status().queue).toEqual({ queued: 0, retrying: 1 });
    const off = new DeliveryQueue({ settings: { upstream: null, tlsVerify: true, allow: [], deny: [], retryInitialMs: 1, maxAttempts: 1, maxAgeMs: 1 }, storage: new MemoryDeliveryStore(), scheduler, publish: () => undefined });
    expect(() => off.enqueue({ messageId: 'm2', reason: 'release', mailFrom: '', rcptTo: ['b@y.example'], raw: Buffer.from('x') })).toThrow('relaying is off');
  });

  it('close() aborts an attempt under way and records nothing of it', async () => {
    const scheduler = new ManualScheduler();
    const published: Delivery[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const queue = new DeliveryQueue({
      settings: { upstream: parseRelayUrl('smtp://127.0.0.1:2525'), tlsVerify: true, allow: [], deny: [], retryInitialMs: 1000, maxAttempts: 5, maxAgeMs: 3_600_000 },
      storage: new MemoryDeliveryStore(),
      scheduler,
      publish: (d) => void published.push(d),
      send: (request) => {
        started();
        return new Promise((resolve) => request.signal!.addEventListener('abort', () => resolve({ code: null, reply: null, error: 'aborted', outcome: 'retry', transcript: [] })));
      },
    });
    queue.enqueue({ messageId: 'm1', reason: 'release', mailFrom: 'a@x.example', rcptTo: ['b@y.example'], raw: Buffer.from('x') });
    scheduler.next();
    await running;
    await queue.close();
    expect(published.map((d) => d.state)).toEqual(['queued']);
    expect([queue.get('m1')!.state, queue.get('m1')!.attempts]).toEqual(['queued', []]);
  });
});
